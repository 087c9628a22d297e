/**
 * Reading and validating the config file. Every problem is reported with the file and
 * the field, e.g. `config.json: backends[1].apiKey: literal key refused: ...`.
 */
import { access, readFile } from 'node:fs/promises';
import { configSchema, formatConfigIssues, type PatchbayConfig } from './schema';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validate an already-parsed config object. `source` names it in error messages. */
export function parseConfig(raw: unknown, source = 'config'): PatchbayConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = formatConfigIssues(result.error)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
    throw new ConfigError(`${source} is invalid:\n${lines}`);
  }
  return result.data;
}

/**
 * A config file named on the command line must exist: a mistyped path would otherwise be
 * created from the presets silently. `--init` is the explicit way to create it.
 */
export async function requireConfigFile(path: string): Promise<void> {
  try {
    await access(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new ConfigError(`cannot read config file ${path}: ${String(code ?? err)}`);
    throw new ConfigError(
      `config file ${path} does not exist. Check the path, or add --init to create it there from the built-in presets ` +
        `(patchbay serve --config ${path} --init)`,
    );
  }
}

export async function loadConfigFile(path: string): Promise<PatchbayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read config file ${path}: ${code === 'ENOENT' ? 'no such file' : String(code ?? err)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, path);
}
