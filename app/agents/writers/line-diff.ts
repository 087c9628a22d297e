/**
 * A small unified diff of two texts, line by line (the `diff` package is not installed):
 * common prefix and suffix are trimmed, the middle is matched by longest common subsequence
 * (or shown as one replacement when very large), then grouped into hunks with 3 lines of context.
 */

export type LineOp = { tag: ' ' | '-' | '+'; line: string; a: number; b: number };

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function middleOps(a: string[], b: string[], aStart: number, bStart: number): LineOp[] {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((line, i) => ({ tag: '-' as const, line, a: aStart + i, b: bStart })), ...b.map((line, j) => ({ tag: '+' as const, line, a: aStart + n, b: bStart + j }))];
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const ops: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ tag: ' ', line: a[i]!, a: aStart + i++, b: bStart + j++ });
    // Deletions before insertions, as diff(1) shows a replaced line.
    else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ tag: '-', line: a[i]!, a: aStart + i++, b: bStart + j });
    else ops.push({ tag: '+', line: b[j]!, a: aStart + i, b: bStart + j++ });
  }
  return ops;
}

export function lineOps(a: string[], b: string[]): LineOp[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ops: LineOp[] = a.slice(0, pre).map((line, i) => ({ tag: ' ', line, a: i, b: i }));
  ops.push(...middleOps(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf), pre, pre));
  for (let k = 0; k < suf; k++) ops.push({ tag: ' ', line: a[a.length - suf + k]!, a: a.length - suf + k, b: b.length - suf + k });
  return ops;
}

/** Unified diff (`--- a/<name>` / `+++ b/<name>` / `@@` hunks); '' when the texts are equal. */
export function unifiedDiff(before: string, after: string, name: string): string {
  if (before === after) return '';
  const ops = lineOps(splitLines(before), splitLines(after));
  const changed = ops.map((op, k) => (op.tag !== ' ' ? k : -1)).filter((k) => k >= 0);
  const out = [`--- a/${name}`, `+++ b/${name}`];
  if (changed.length === 0) {
    // Only the final newline differs.
    out.push('@@ end of file @@', `\\ ${after.endsWith('\n') ? 'newline added at end of file' : 'No newline at end of file'}`);
    return out.join('\n') + '\n';
  }
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - CONTEXT);
    let end = Math.min(ops.length, changed[k]! + CONTEXT + 1);
    while (k + 1 < changed.length && changed[k + 1]! - CONTEXT <= end) end = Math.min(ops.length, changed[++k]! + CONTEXT + 1);
    k++;
    const hunk = ops.slice(start, end);
    const aLines = hunk.filter((op) => op.tag !== '+').length;
    const bLines = hunk.filter((op) => op.tag !== '-').length;
    const aFrom = aLines ? hunk.find((op) => op.tag !== '+')!.a + 1 : hunk[0]!.a;
    const bFrom = bLines ? hunk.find((op) => op.tag !== '-')!.b + 1 : hunk[0]!.b;
    out.push(`@@ -${aFrom},${aLines} +${bFrom},${bLines} @@`);
    for (const op of hunk) out.push(op.tag + op.line);
  }
  return out.join('\n') + '\n';
}
