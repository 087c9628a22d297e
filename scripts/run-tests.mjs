#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner (via tsx).
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: test/)
//
// Keychain tests need a Secret Service. When none is reachable and gnome-keyring is
// installed, this script re-runs itself inside a private D-Bus session with an unlocked
// gnome-keyring (nothing of the user's own keyring is touched).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

function which(cmd) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, cmd)));
}

if (!process.env.PATCHBAY_TEST_DBUS && which('dbus-run-session') && which('gnome-keyring-daemon')) {
  // The daemon keeps its keyring in a throw-away XDG_DATA_HOME: a fresh, unlocked keyring per
  // run, and the user's own keyrings are never read or written.
  const inner = [
    'PB_KEYRING_HOME=$(mktemp -d);',
    'echo -n patchbay-test | XDG_DATA_HOME="$PB_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1;',
    'exec node scripts/run-tests.mjs "$@"',
  ].join(' ');
  const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner, 'sh', ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATCHBAY_TEST_DBUS: '1' },
  });
  process.exit(r.status ?? 1);
}

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      collect(join(path, name), out);
    }
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const targets = args.length ? args : ['test'];
const files = targets.flatMap((t) => collect(resolve(root, t), []));
if (files.length === 0) {
  console.error(`no test files under ${targets.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-force-exit', '--test-timeout=600000', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(r.status ?? 1);
