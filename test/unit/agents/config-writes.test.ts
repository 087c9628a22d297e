/**
 * Writing each agent's config into a file the user already has (hooks, permissions, plugins, a
 * status line, MCP servers, comments): only Patchbay's keys change, everything else parses the
 * same and every comment survives; a backup equal to the original is beside it, and restore
 * brings the original back byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { agentById } from '../../../app/agents/catalog';
import type { ConfigEdit, ConfigFormat } from '../../../app/agents/types';
import { removeTempDirs } from '../../helpers/temp-dirs';
import { INPUT, setup } from './write-fixture';

const EXISTING = join(import.meta.dirname, '..', '..', 'fixtures', 'agents', 'existing');

/** Fixture per agent, and the original lines a write may replace (Patchbay's own keys only). */
const CASES: Array<{ id: string; fixture: string; replaced: string[] }> = [
  { id: 'claude-code', fixture: 'claude-settings.json', replaced: ['    "ANTHROPIC_MODEL": "claude-opus-4-1"'] },
  { id: 'opencode', fixture: 'opencode.json', replaced: ['  "model": "ollama/qwen3",'] },
  { id: 'codex', fixture: 'codex-config.toml', replaced: ['model = "gpt-5-codex" # my favourite'] },
  { id: 'continue', fixture: 'continue-config.yaml', replaced: [] },
  { id: 'aider', fixture: 'aider.conf.yml', replaced: [] },
  { id: 'goose', fixture: 'goose-config.yaml', replaced: ['GOOSE_PROVIDER: anthropic', 'GOOSE_MODEL: claude-sonnet-4'] },
  { id: 'cline', fixture: 'cline-providers.json', replaced: ['  "lastUsedProvider": "anthropic",'] },
  { id: 'kimi-code', fixture: 'kimi-config.toml', replaced: ['default_model = "kimi-code/k3"'] },
];

function parseAs(format: ConfigFormat, text: string): Record<string, unknown> {
  if (format === 'json') return parseJsonc(text) as Record<string, unknown>;
  if (format === 'toml') return JSON.parse(JSON.stringify(parseToml(text))) as Record<string, unknown>;
  return parseYaml(text) as Record<string, unknown>;
}

/** The document with Patchbay's keys taken out (and its list item), to compare the rest. */
function withoutPatchbay(doc: Record<string, unknown>, edits: ConfigEdit[]): Record<string, unknown> {
  const copy = structuredClone(doc);
  for (const edit of edits) {
    let parent: Record<string, unknown> | undefined = copy;
    for (const key of edit.path.slice(0, -1)) parent = parent?.[key] as Record<string, unknown> | undefined;
    const last = edit.path[edit.path.length - 1]!;
    if (!parent) continue;
    if (edit.op === 'set') {
      delete parent[last];
      // A table Patchbay's keys alone made (e.g. model_providers.patchbay) goes too.
      if (Object.keys(parent).length === 0 && get(doc, edit.path.slice(0, -1)) !== undefined) pruneEmpty(copy, edit.path.slice(0, -1));
    }
    else if (Array.isArray(parent[last])) parent[last] = (parent[last] as Array<Record<string, unknown>>).filter((item) => item[edit.matchKey] !== edit.matchValue);
  }
  return copy;
}

function pruneEmpty(doc: Record<string, unknown>, path: string[]): void {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = get(doc, path.slice(0, depth - 1)) as Record<string, unknown>;
    const key = path[depth - 1]!;
    if (typeof parent[key] === 'object' && parent[key] !== null && Object.keys(parent[key] as object).length === 0) delete parent[key];
    else return;
  }
}

function get(doc: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((here, key) => (here as Record<string, unknown> | undefined)?.[key], doc);
}

function commentLines(text: string): string[] {
  return text.split('\n').filter((l) => /(^|\s)(#|\/\/|\/\*)/.test(l) && !/"[^"]*#[^"]*"/.test(l));
}


for (const c of CASES) {
  test(`${c.id}: write into ~/${agentById(c.id)!.snippets(INPUT).find((s) => s.kind === 'file')!.target} keeps everything else; backup; restore is byte for byte`, async () => {
    const snippet = agentById(c.id)!.snippets(INPUT).find((s) => s.kind === 'file')!;
    const original = readFileSync(join(EXISTING, c.fixture), 'utf8');
    const { home, path, service, backups } = setup(snippet.target!, original);
    try {
      const [preview] = await service.preview(c.id, INPUT);
      assert.equal(readFileSync(path, 'utf8'), original, 'preview writes nothing');
      assert.ok(preview?.exists && preview.changed);
      const removed = preview.diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---')).map((l) => l.slice(1));
      assert.deepEqual(removed, c.replaced, `only Patchbay's keys are replaced:\n${preview.diff}`);

      const { files } = await service.write(c.id, INPUT);
      const after = readFileSync(path, 'utf8');
      const format = snippet.format!;
      const before = parseAs(format, original);
      const written = parseAs(format, after);
      assert.deepEqual(withoutPatchbay(written, snippet.edits!), withoutPatchbay(before, snippet.edits!), 'everything else parses the same');
      for (const edit of snippet.edits!) {
        if (edit.op === 'set' && !(edit.onlyIfAbsent && get(before, edit.path) !== undefined)) assert.deepEqual(get(written, edit.path), edit.value, edit.path.join('.'));
        if (edit.op === 'set' && edit.onlyIfAbsent && get(before, edit.path) !== undefined) assert.deepEqual(get(written, edit.path), get(before, edit.path), `${edit.path.join('.')} kept`);
        if (edit.op === 'upsert-item') assert.deepEqual((get(written, edit.path) as unknown[]).at(-1), edit.value);
      }
      for (const line of commentLines(original)) {
        // A replaced line of Patchbay's keeps its trailing comment; every other line is kept whole.
        const kept = c.replaced.includes(line) ? /\s(#.*)$/.exec(line)![1]! : line;
        assert.ok(after.includes(kept), `comment kept: ${kept}`);
      }
      assert.equal(preview.diff.length > 0, true);

      assert.equal(backups().length, 1);
      assert.equal(files[0]?.backup, join(dirname(path), backups()[0]!));
      assert.equal(readFileSync(files[0]!.backup!, 'utf8'), original, 'the backup is the original');

      await service.restore(c.id, INPUT);
      assert.equal(readFileSync(path, 'utf8'), original, 'restore gives the original byte for byte');
    } finally {
      removeTempDirs(home);
    }
  });
}
