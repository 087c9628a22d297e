/**
 * A D-Bus session bus and a gnome-keyring of the test's own, so a test can kill the keychain
 * daemon and start it again without touching the shared one the other tests use. The bus has no
 * service directories: nothing auto-starts a keyring behind the test's back when it kills its
 * daemon (a real desktop's bus would start a locked one). The keyring lives in a throw-away
 * XDG_DATA_HOME, unlocked with a throw-away password.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

const KEYRING_PASSWORD = 'patchbay-fault-test';

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, cmd)));
}

/** Why a private keyring cannot be run here, or undefined when it can. */
export function privateKeyringProblem(): string | undefined {
  const missing = ['dbus-daemon', 'gnome-keyring-daemon', 'dbus-send'].filter((cmd) => !onPath(cmd));
  return missing.length ? `not installed: ${missing.join(', ')} (sudo apt-get install dbus gnome-keyring)` : undefined;
}

export interface PrivateBus {
  address: string;
  stop(): void;
}

export async function startPrivateBus(dir: string): Promise<PrivateBus> {
  const configFile = join(dir, 'bus.conf');
  writeFileSync(configFile, BUS_CONFIG);
  const bus = spawn('dbus-daemon', [`--config-file=${configFile}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: bus.stdout! }).once('line', resolve);
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
  return { address, stop: () => void bus.kill() };
}

/** Is the Secret Service's name owned on the bus (is a keychain daemon there)? */
export function secretServiceRunning(address: string): boolean {
  const r = spawnSync(
    'dbus-send',
    [`--bus=${address}`, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'],
    { encoding: 'utf8' },
  );
  return /boolean true/.test(r.stdout ?? '');
}

export interface KeyringDaemon {
  pid: number;
  /** Kills this daemon (only this one, by its pid) and waits until it is gone from the bus. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** gnome-keyring-daemon in the foreground (so its pid is the daemon's), unlocked, on `address`. */
export async function startKeyringDaemon(address: string, dataHome: string, runtimeDir: string): Promise<KeyringDaemon> {
  const daemon: ChildProcess = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, XDG_DATA_HOME: dataHome, XDG_RUNTIME_DIR: runtimeDir },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  daemon.stdin!.end(KEYRING_PASSWORD);
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  for (let i = 0; i < 100 && !secretServiceRunning(address); i++) await new Promise((r) => setTimeout(r, 50));
  if (!secretServiceRunning(address)) {
    daemon.kill('SIGKILL');
    throw new Error('gnome-keyring-daemon did not take org.freedesktop.secrets on the private bus');
  }
  return {
    pid: daemon.pid!,
    async kill(signal = 'SIGKILL') {
      if (daemon.exitCode === null && daemon.signalCode === null) process.kill(daemon.pid!, signal);
      await exited;
      for (let i = 0; i < 100 && secretServiceRunning(address); i++) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
