/** Test helpers: parse a snippet by its language; check shell with `bash -n` and by sourcing it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import type { Snippet } from '../../../app/agents/types';

export function parseSnippet(snippet: Snippet): unknown {
  if (snippet.language === 'json') return JSON.parse(snippet.text) as unknown;
  // smol-toml gives null-prototype tables: plain objects compare as expected.
  if (snippet.language === 'toml') return JSON.parse(JSON.stringify(parseToml(snippet.text))) as unknown;
  if (snippet.language === 'yaml') return parseYaml(snippet.text, { prettyErrors: true }) as unknown;
  return snippet.text;
}

function withScript<T>(text: string, run: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pb-snippet-'));
  try {
    const file = join(dir, 'snippet.sh');
    writeFileSync(file, text);
    return run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `bash -n`: '' when the syntax is fine, else bash's complaint. */
export function bashSyntaxError(text: string): string {
  return withScript(text, (file) => {
    const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    return r.status === 0 ? '' : r.stderr || `bash -n exited ${r.status}`;
  });
}

/** Sources the snippet in a clean subshell and reads the named variables back (only exported ones count). */
export function sourcedEnv(text: string, names: string[]): Record<string, string | undefined> {
  return withScript(text, (file) => {
    const script = `. "$1" || exit 9; shift; for n in "$@"; do if printenv "$n" >/dev/null; then printf '%s=%s\\0' "$n" "$(printenv "$n")"; fi; done`;
    const r = spawnSync('bash', ['--noprofile', '--norc', '-c', script, 'bash', file, ...names], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    if (r.status !== 0) throw new Error(`sourcing failed (${r.status}): ${r.stderr}`);
    const out: Record<string, string | undefined> = {};
    for (const pair of r.stdout.split('\0').filter(Boolean)) {
      const eq = pair.indexOf('=');
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return out;
  });
}
