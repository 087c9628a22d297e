/**
 * A machine whose Secret Service cannot be reached (D-Bus session bus pointing at a socket that
 * does not exist), run as a real child process: the user gets the message naming the fix, env
 * keys keep working, and the key is stored nowhere else: no plaintext fallback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fakeKey, uniqueTestService } from '../../unit/vault/helpers/test-keychain';

const root = resolve(import.meta.dirname, '../../..');
const child = join(import.meta.dirname, 'fixtures/open-vault-child.ts');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('unreachable Secret Service: clear message, env keys work, no plaintext fallback', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-nokeychain-'));
  try {
    const home = join(dataDir, 'home');
    mkdirSync(home);
    const key = fakeKey('sk-unreachable');
    const envKey = fakeKey('nvapi');
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, uniqueTestService()], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_DATA_HOME: join(home, '.local/share'),
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_CACHE_HOME: join(home, '.cache'),
        XDG_RUNTIME_DIR: dataDir,
        TMPDIR: dataDir,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-such-bus')}`,
        PB_TEST_KEY: key,
        NIM_KEY: envKey,
      },
    });
    assert.equal(run.error, undefined, `child failed to run: ${String(run.error)}`);
    assert.equal(run.status, 0, `child exited ${run.status}: ${run.stderr}`);
    const result = JSON.parse(run.stdout.trim()) as {
      keychainWarning: string | null;
      tokensPersistent: boolean;
      tokensWarning: string | null;
      clientTokenShape: boolean;
      setKey: { ok: boolean; error?: { name: string; message: string } };
      keychainKeyMatches: { ok: boolean; value?: boolean; error?: { name: string } };
      envKeyWorks: boolean;
    };

    // The clear message, naming the fix.
    assert.ok(result.keychainWarning, 'a warning is produced');
    assert.match(result.keychainWarning, /OS keychain unavailable/);
    assert.match(result.keychainWarning, /gnome-keyring/);
    assert.match(result.keychainWarning, /dbus-run-session/);
    assert.match(result.keychainWarning, /env:NAME/);

    // Tokens work for this run, and the caller is told they will not persist.
    assert.equal(result.tokensPersistent, false);
    assert.equal(result.clientTokenShape, true);
    assert.match(result.tokensWarning ?? '', /will change on restart/);

    // Storing fails loudly, reading a keychain key fails loudly: nothing falls back.
    assert.equal(result.setKey.ok, false);
    assert.equal(result.setKey.error?.name, 'KeychainUnavailableError');
    assert.equal(result.keychainKeyMatches.ok, false);
    assert.equal(result.keychainKeyMatches.error?.name, 'KeychainUnavailableError');
    assert.equal(result.envKeyWorks, true);

    // The key is nowhere: not in the output, not in any file the child could have written.
    assert.ok(!run.stdout.includes(key) && !run.stderr.includes(key), 'key not printed');
    for (const file of filesUnder(dataDir)) {
      assert.ok(!readFileSync(file).includes(key), `key found in ${file}`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
