#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner (via tsx).
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: test/)
//
// Keychain tests need a Secret Service. When none is reachable and gnome-keyring is
// installed, this script re-runs itself inside a private D-Bus session with an unlocked
// gnome-keyring whose keyring lives in a throw-away directory (the user's own keyrings are
// never read or written).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

function which(cmd) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, cmd)));
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

function rerunInsideDbusSession() {
  const inner = [
    'PB_KEYRING_HOME=$(mktemp -d);',
    'echo -n patchbay-test | XDG_DATA_HOME="$PB_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1;',
    'exec node scripts/run-tests.mjs "$@"',
  ].join(' ');
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', inner, 'sh', ...args], {
    cwd: root,
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, PATCHBAY_TEST_DBUS: '1' },
  });
  // dbus-daemon says it may not raise its fd limit inside a container: harmless and not ours.
  // Everything else on stderr is passed on as it comes.
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (!/dbus-daemon\[\d+\].*Failed to set fd limit/.test(line)) process.stderr.write(line + '\n');
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function runTests() {
  const targets = args.length ? args : ['test'];
  const missing = targets.filter((t) => !existsSync(resolve(root, t)));
  if (missing.length) {
    console.error(`no such test path: ${missing.join(', ')}`);
    process.exit(1);
  }
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
}

if (!process.env.PATCHBAY_TEST_DBUS && which('dbus-run-session') && which('gnome-keyring-daemon')) rerunInsideDbusSession();
else runTests();
