/**
 * Format-preserving TOML edits with @decimalturn/toml-patch: the wanted object is the parsed
 * file with Patchbay's keys set, and `patch` rewrites only what differs (comments kept).
 */
import { parse, patch, TomlFormat } from '@decimalturn/toml-patch';
import type { ConfigEdit } from '../types';
import { ConfigParseError } from './config-parse-error';

type Table = Record<string, unknown>;

function parseTable(text: string): Table {
  try {
    return parse(text) as Table;
  } catch (err) {
    throw new ConfigParseError('toml', ((err as Error).message.split('\n')[0] ?? 'parse error').slice(0, 200));
  }
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function tableAt(root: Table, path: string[]): Table {
  let here = root;
  for (const key of path) {
    const next = here[key];
    if (next === undefined) here[key] = {};
    else if (!isTable(next)) throw new ConfigParseError('toml', `${path.join('.')} is not a table`);
    here = here[key] as Table;
  }
  return here;
}

export function applyTomlEdits(original: string, edits: ConfigEdit[]): string {
  const wanted = parseTable(original);
  for (const edit of edits) {
    const parent = tableAt(wanted, edit.path.slice(0, -1));
    const key = edit.path[edit.path.length - 1]!;
    if (edit.op === 'set') {
      if (edit.onlyIfAbsent && parent[key] !== undefined) continue;
      parent[key] = edit.value;
      continue;
    }
    const list = parent[key];
    if (list === undefined) parent[key] = [edit.value];
    else if (!Array.isArray(list)) throw new ConfigParseError('toml', `${edit.path.join('.')} is not an array`);
    else {
      const index = list.findIndex((item) => isTable(item) && item[edit.matchKey] === edit.matchValue);
      if (index >= 0) list[index] = edit.value;
      else list.push(edit.value);
    }
  }
  // New tables get their own [section] (Codex's documented style), not an inline table.
  const format = original.trim() === '' ? TomlFormat.default() : TomlFormat.autoDetectFormat(original);
  format.inlineTableStart = 8;
  return dropAddedEmptyParents(original, patch(original, wanted, format));
}

/**
 * toml-patch writes an empty `[a]` header before a new `[a.b]`: valid, but noise. Such a header
 * is dropped when Patchbay added it (it is not in the original) and `[a.…]` follows at once.
 */
function dropAddedEmptyParents(original: string, patched: string): string {
  const had = new Set(original.split(/\r?\n/).map((l) => l.trim()));
  const lines = patched.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = /^\[([^[\]]+)\]\s*$/.exec(lines[i]!.replace(/\r$/, ''));
    if (header && !had.has(lines[i]!.trim())) {
      let next = i + 1;
      while (next < lines.length && lines[next]!.trim() === '') next++;
      if (lines[next]?.startsWith(`[${header[1]}.`)) {
        i = next - 1;
        continue;
      }
    }
    out.push(lines[i]!);
  }
  return out.join('\n');
}

export function checkToml(text: string): void {
  parseTable(text);
}
