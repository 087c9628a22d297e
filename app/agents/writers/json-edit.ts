/**
 * Format-preserving JSON/JSONC edits with jsonc-parser: each edit becomes a minimal text edit
 * (modify + applyEdits), so comments, key order and formatting elsewhere stay byte for byte.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, printParseErrorCode, type FormattingOptions, type Node, type ParseError } from 'jsonc-parser';
import type { ConfigEdit } from '../types';
import { ConfigParseError } from './config-parse-error';

function parseRoot(text: string): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new ConfigParseError('json', `${printParseErrorCode(first.error)} at line ${line}`);
  }
  if (root && root.type !== 'object') throw new ConfigParseError('json', 'the top level is not an object');
  return root;
}

/** Indentation the file already uses (default two spaces). */
function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)["/]/.exec(text)?.[1];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent?.length ?? 2, eol };
}

function listItemIndex(root: Node | undefined, path: string[], matchKey: string, matchValue: string): number | undefined {
  const list = root ? findNodeAtLocation(root, path) : undefined;
  if (!list || list.type !== 'array') return undefined;
  const index = (list.children ?? []).findIndex((item) => {
    const key = item.type === 'object' ? findNodeAtLocation(item, [matchKey]) : undefined;
    return key?.value === matchValue;
  });
  // -1 appends (jsonc-parser's convention).
  return index >= 0 ? index : -1;
}

export function applyJsonEdits(original: string, edits: ConfigEdit[]): string {
  let text = original.trim() === '' ? '{}\n' : original;
  parseRoot(text);
  const formattingOptions = formattingOf(text);
  for (const edit of edits) {
    const root = parseRoot(text);
    if (edit.op === 'set') {
      if (edit.onlyIfAbsent && root && findNodeAtLocation(root, edit.path)) continue;
      text = applyEdits(text, modify(text, edit.path, edit.value, { formattingOptions }));
    } else {
      const index = listItemIndex(root, edit.path, edit.matchKey, edit.matchValue);
      if (index === undefined) {
        text = applyEdits(text, modify(text, edit.path, [edit.value], { formattingOptions }));
      } else {
        text = applyEdits(text, modify(text, [...edit.path, index], edit.value, { formattingOptions }));
      }
    }
  }
  return text;
}

/** Throws ConfigParseError when the text is not JSON/JSONC with an object at the top. */
export function checkJson(text: string): void {
  if (text.trim() !== '') parseRoot(text);
}
