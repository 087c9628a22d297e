/**
 * Turns zod issues into Anthropic-style validation messages naming the path
 * (`messages.3.content.0.type: ...`). Union failures are unwrapped to the branch that got
 * furthest, so the message names the deepest field that was wrong rather than "Invalid input".
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Path = ReadonlyArray<PropertyKey>;

function depth(issues: readonly Issue[]): number {
  return issues.reduce((max, i) => Math.max(max, i.path.length + (i.code === 'invalid_union' ? 1 : 0)), -1);
}

function deepest(issue: Issue, prefix: Path): { path: Path; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    let best: readonly Issue[] | undefined;
    for (const branch of issue.errors) if (!best || depth(branch) > depth(best)) best = branch;
    const first = best?.[0];
    if (first && depth(best!) > 0) return deepest(first, path);
  }
  return { path, message: issue.message };
}

export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => {
      const { path, message } = deepest(issue, []);
      const where = path.map((p) => String(p)).join('.');
      return where ? `${where}: ${message}` : message;
    })
    .join('; ');
}
