/**
 * `npx patchbay serve` runs the server as node <- sh -c <- npm exec. Killing the npm process
 * (SIGTERM or SIGKILL) does not reach the server: npm forwards SIGTERM to the shell only, and
 * SIGKILL to nobody, so the server would live on as an orphan holding the port. When npm (or
 * a shell under it) launched us, we watch those launcher processes and close, the way SIGTERM
 * does, as soon as one of them is gone. A server started any other way (a shell, nohup, a
 * service manager) is left alone: it may outlive its parent on purpose.
 */
import { readFileSync } from 'node:fs';

/** A process as read from /proc: state, parent, start time (tells a reused pid apart), command line. */
export interface ProcessInfo {
  pid: number;
  /** `Z` for a zombie: exited, not yet reaped by its parent. */
  state: string;
  ppid: number;
  startTime: string;
  cmdline: string[];
}

export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) may contain spaces and parentheses: count from its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '');
    return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '', cmdline };
  } catch {
    return undefined;
  }
}

/** npm's own process: titled `npm exec ...`/`npm run ...` by npm, or node running npm-cli.js / npx-cli.js. */
export function isNpmProcess(cmdline: readonly string[]): boolean {
  const [argv0 = '', argv1 = ''] = cmdline;
  if (/^npm(?:\s|$)/.test(argv0) || /^npx(?:\s|$)/.test(argv0)) return true;
  return /(?:^|\/)(?:npm|npx)(?:-cli\.js)?$/.test(argv1) || /(?:^|\/)(?:npm|npx)$/.test(argv0);
}

/** A shell running one command for npm (`sh -c '<bin>' ...`). */
function isShellCommand(cmdline: readonly string[]): boolean {
  return /(?:^|\/)(?:sh|bash|dash|zsh)$/.test(cmdline[0] ?? '') && cmdline[1] === '-c';
}

/**
 * The launcher chain to watch: our parent and grandparent when they are npm, or a `sh -c`
 * under npm; empty when npm did not launch us (or /proc is not there: not Linux).
 */
export function npmLauncherChain(read: (pid: number) => ProcessInfo | undefined = readProcess, self = process.pid): ProcessInfo[] {
  const me = read(self);
  if (!me) return [];
  const parent = read(me.ppid);
  if (!parent) return [];
  if (isNpmProcess(parent.cmdline)) return [parent];
  if (!isShellCommand(parent.cmdline)) return [];
  const grandparent = read(parent.ppid);
  return grandparent && isNpmProcess(grandparent.cmdline) ? [parent, grandparent] : [];
}

/**
 * Calls `onGone` once when a process of `chain` has exited (or its pid now names another
 * process). Polls every `intervalMs` on an unref'd timer; returns a function that stops it.
 */
export function watchLauncher(
  chain: readonly ProcessInfo[],
  onGone: (gone: ProcessInfo) => void,
  options: { intervalMs?: number; read?: (pid: number) => ProcessInfo | undefined } = {},
): () => void {
  if (chain.length === 0) return () => {};
  const read = options.read ?? readProcess;
  const timer = setInterval(() => {
    for (const p of chain) {
      const now = read(p.pid);
      // Exited, or a zombie left for its parent to reap, or the pid reused by another process.
      if (!now || now.startTime !== p.startTime || now.state === 'Z') {
        clearInterval(timer);
        onGone(p);
        return;
      }
    }
  }, options.intervalMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}
