/** A config file for an engine under test, with fresh random tokens and a throwaway keychain service. */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function randomClientToken(): string {
  return `pb-client-${randomBytes(16).toString('hex')}`;
}

export function randomAdminToken(): string {
  return `pb-admin-${randomBytes(16).toString('hex')}`;
}

/** A keychain service of its own (the `patchbay-test-` prefix marks it as a test's). */
export function testKeychainService(): string {
  return `patchbay-test-${randomBytes(4).toString('hex')}`;
}

/** Writes `config` as `<dir>/config.json` and returns that path. */
export function writeEngineConfig(dir: string, config: object): string {
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  return configPath;
}
