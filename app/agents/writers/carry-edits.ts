/**
 * Keeps the user's own bytes where a format library re-prints a whole document: the library's
 * print of the untouched document (`normalized`) and of the edited one (`edited`) differ only by
 * the edits; those line changes are carried onto the original text, whose other lines stay as
 * they were (spacing, quoting, flow style). When the library's print does not line up with the
 * original line for line, the edited print is used as it is.
 */
import { lineOps } from './line-diff';

export function carryEditsOnto(original: string, normalized: string, edited: string): string {
  const o = original.split('\n');
  const n = normalized.split('\n');
  if (o.length !== n.length) return edited;
  const e = edited.split('\n');
  const out: string[] = [];
  for (const op of lineOps(n, e)) {
    if (op.tag === ' ') out.push(o[op.a]!);
    else if (op.tag === '+') out.push(op.line);
  }
  return out.join('\n');
}
