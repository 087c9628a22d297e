/**
 * Format-preserving YAML edits with the `yaml` package's Document API: the document keeps its
 * comments and layout; only the nodes Patchbay sets are replaced, and the library's re-print of
 * the other lines (flow spacing, comment spacing) is undone by carrying the edits onto the original.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { ConfigEdit } from '../types';
import { carryEditsOnto } from './carry-edits';
import { ConfigParseError } from './config-parse-error';

/** No folding of long lines: a line stays a line. */
const PRINT = { lineWidth: 0 } as const;

function parse(text: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const error = doc.errors[0];
  if (error) throw new ConfigParseError('yaml', error.message.split('\n')[0] ?? 'parse error');
  if (doc.contents !== null && !isMap(doc.contents)) throw new ConfigParseError('yaml', 'the top level is not a mapping');
  return doc;
}

export function applyYamlEdits(original: string, edits: ConfigEdit[]): string {
  const doc = parse(original);
  const normalized = doc.toString(PRINT);
  if (doc.contents === null) doc.contents = doc.createNode({});
  for (const edit of edits) {
    if (edit.op === 'set') {
      if (edit.onlyIfAbsent && doc.hasIn(edit.path)) continue;
      doc.setIn(edit.path, doc.createNode(edit.value));
      continue;
    }
    const list = doc.getIn(edit.path, true);
    if (list === undefined || list === null) {
      doc.setIn(edit.path, doc.createNode([edit.value]));
      continue;
    }
    if (!isSeq(list)) throw new ConfigParseError('yaml', `${edit.path.join('.')} is not a list`);
    const index = list.items.findIndex((item) => isMap(item) && item.get(edit.matchKey) === edit.matchValue);
    if (index >= 0) list.set(index, doc.createNode(edit.value));
    else list.add(doc.createNode(edit.value));
  }
  const edited = doc.toString(PRINT);
  return original.trim() === '' ? edited : carryEditsOnto(original, normalized, edited);
}

export function checkYaml(text: string): void {
  parse(text);
}
