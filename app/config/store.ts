/**
 * The live, persisted config. Edits (backends added/edited/removed, the active backend
 * switched) are validated as a whole, then written atomically; a failed validation changes
 * nothing. Writes are serialised so concurrent edits never interleave.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { ConfigError, parseConfig } from './load';
import type { PatchbayConfig } from './schema';

export type ConfigListener = (config: PatchbayConfig) => void;

export class ConfigStore {
  private current: PatchbayConfig;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<ConfigListener>();

  private constructor(
    readonly path: string,
    initial: PatchbayConfig,
  ) {
    this.current = initial;
  }

  /**
   * Opens the config at `path`. When the file does not exist yet it is created from `seed()`
   * (with its directory). Callers that must not create it check first (`requireConfigFile`).
   * A file that exists but is invalid is an error (never silently replaced).
   */
  static async open(path: string, seed: () => PatchbayConfig): Promise<ConfigStore> {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === undefined) {
      const initial = parseConfig(seed(), 'built-in presets');
      const store = new ConfigStore(path, initial);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFileAtomic(path, serialise(initial));
      return store;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
    }
    return new ConfigStore(path, parseConfig(raw, path));
  }

  get config(): PatchbayConfig {
    return this.current;
  }

  /**
   * Resolves when every edit queued so far is settled (saved or refused): a caller whose change
   * is saved in the background (an active-backend switch) answers only once it is on disk.
   */
  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Apply an edit. `edit` gets a deep copy and returns the new config; it is validated
   * (throws ConfigError naming the field) and persisted before listeners hear of it.
   */
  update(edit: (draft: PatchbayConfig) => PatchbayConfig | void): Promise<PatchbayConfig> {
    const run = this.queue.then(async () => {
      const draft = structuredClone(this.current);
      const edited = edit(draft) ?? draft;
      const next = parseConfig(edited, 'the edited config');
      const text = serialise(next);
      // An edit that changes nothing (e.g. re-saving the active backend) writes and announces nothing.
      if (text === serialise(this.current)) return this.current;
      await writeFileAtomic(this.path, text);
      this.current = next;
      for (const listener of this.listeners) listener(next);
      return next;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function serialise(config: PatchbayConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}
