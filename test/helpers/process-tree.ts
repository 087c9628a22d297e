/**
 * The processes below a pid, read from /proc (Linux): npm and npx start the server a few levels
 * down, so a test collects them before a kill to check they are gone and to clean up after a failure.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (in parentheses) may hold spaces: the fields after it are state, ppid, ...
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every live process below `root`, up to 10 levels down. */
export function descendantsOf(root: number): number[] {
  const pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  return pids.filter((pid) => {
    for (let p: number | undefined = parentOf(pid), hops = 0; p !== undefined && p > 1 && hops < 10; p = parentOf(p), hops++) {
      if (p === root) return true;
    }
    return false;
  });
}
