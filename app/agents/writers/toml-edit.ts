/**
 * Format-preserving TOML edits. Keys that already exist (or sit in a table that exists) are
 * changed by @decimalturn/toml-patch, which rewrites only what differs and keeps comments. Keys
 * that are new are written as a person would: a new root key goes near the top (after the
 * file's leading comment block, before any table), a new table becomes its own `[a.b]` section
 * at the end of the file.
 */
import { parse, patch, stringify, TomlFormat } from '@decimalturn/toml-patch';
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

function tableAt(root: Table, path: string[], create: boolean): Table | undefined {
  let here = root;
  for (const key of path) {
    const next = here[key];
    if (next === undefined) {
      if (!create) return undefined;
      here[key] = {};
    } else if (!isTable(next)) throw new ConfigParseError('toml', `${path.join('.')} is not a table`);
    here = here[key] as Table;
  }
  return here;
}

function quoteKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function body(values: Table, eol: string): string {
  return stringify(values).trim().split(/\r?\n/).join(eol);
}

/** Sets the edits that touch keys already present (or in present tables) through toml-patch. */
function patchExisting(original: string, edits: ConfigEdit[]): string {
  if (edits.length === 0) return original;
  const wanted = parseTable(original);
  for (const edit of edits) {
    const parent = tableAt(wanted, edit.path.slice(0, -1), true)!;
    const key = edit.path[edit.path.length - 1]!;
    if (edit.op === 'set') {
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
  return patch(original, wanted, TomlFormat.autoDetectFormat(original));
}

export function applyTomlEdits(original: string, edits: ConfigEdit[]): string {
  const current = parseTable(original);
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const existing: ConfigEdit[] = [];
  const newRoot: Table = {};
  const newTables = new Map<string, { path: string[]; values: Table }>();
  for (const edit of edits) {
    const tablePath = edit.path.slice(0, -1);
    const key = edit.path[edit.path.length - 1]!;
    const table = tableAt(current, tablePath, false);
    if (edit.op === 'set' && edit.onlyIfAbsent && table?.[key] !== undefined) continue;
    if (edit.op === 'set' && tablePath.length === 0 && current[key] === undefined) newRoot[key] = edit.value;
    else if (edit.op === 'set' && table === undefined) {
      const id = JSON.stringify(tablePath);
      const entry = newTables.get(id) ?? { path: tablePath, values: {} };
      entry.values[key] = edit.value;
      newTables.set(id, entry);
    } else existing.push(edit);
  }

  let text = patchExisting(original, existing);
  if (Object.keys(newRoot).length) {
    const lines = text.split('\n');
    let at = 0;
    while (at < lines.length && /^\s*#/.test(lines[at]!)) at++;
    const header = at > 0 && lines[at]?.trim() === '' ? at + 1 : at;
    lines.splice(header, 0, ...body(newRoot, eol).split(eol).map((l) => l + (eol === '\r\n' ? '\r' : '')));
    text = lines.join('\n');
  }
  for (const { path, values } of newTables.values()) {
    const sep = text === '' ? '' : text.endsWith(eol + eol) ? '' : text.endsWith(eol) ? eol : eol + eol;
    text += `${sep}[${path.map(quoteKey).join('.')}]${eol}${body(values, eol)}${eol}`;
  }
  return text;
}

export function checkToml(text: string): void {
  parseTable(text);
}
