/**
 * Deterministic request bodies shaped like Claude Code's (2.1.x, see
 * /work/shared/notes/wire-formats.md): a system array of 3 text blocks with cache_control
 * (attribution line first), 24 tools with long descriptions and JSON schemas, adaptive thinking,
 * metadata.user_id, and conversations of tool_use / tool_result rounds.
 *
 * - `claudeCodeRequest()`: the ~45 KB body of an early turn (latency benchmarks);
 * - `smallRequest()`: a one-line prompt with no tools or system (~120 bytes; latency benchmarks);
 * - `largeClaudeCodeRequest()`: about 1 MB, 200 messages, with text, thinking blocks,
 *   tool_use/tool_result rounds and small base64 images (translation benchmark).
 */
import { seededRandom } from '../test/fakes/seeded-random';


// Same seeded PRNG as the fakes, so every run sends the same bytes.
const seeded = seededRandom;

const WORDS = (
  'the tool file path read write edit search pattern directory command output result error ' +
  'function returns value when list empty caller module import export test assert config ' +
  'server request response stream chunk token model agent user assistant system message ' +
  'content block index offset limit line number string object array schema property type'
).split(' ');

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

class Filler {
  private readonly rand: () => number;
  constructor(seed: number) {
    this.rand = seeded(seed);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }
  /** Prose of roughly `chars` characters. */
  prose(chars: number): string {
    const parts: string[] = [];
    let length = 0;
    while (length < chars) {
      const sentence = Array.from({ length: 6 + Math.floor(this.rand() * 10) }, () => this.pick(WORDS)).join(' ');
      const text = sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.';
      parts.push(text);
      length += text.length + 1;
    }
    return parts.join(' ').slice(0, chars);
  }
  /** Source-code-like lines of roughly `chars` characters, as `cat -n` prints them. */
  code(chars: number): string {
    const lines: string[] = [];
    let length = 0;
    for (let n = 1; length < chars; n++) {
      const indent = '  '.repeat(Math.floor(this.rand() * 4));
      const line = `${String(n).padStart(6)}\t${indent}const ${this.pick(WORDS)}_${n} = ${this.pick(WORDS)}(${this.pick(WORDS)}, "${this.pick(WORDS)} é ✓");`;
      lines.push(line);
      length += line.length + 1;
    }
    return lines.join('\n');
  }
  base64(bytes: number): string {
    const buf = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) buf[i] = Math.floor(this.rand() * 256);
    return buf.toString('base64');
  }
  toolUseId(): string {
    return 'toolu_01' + Array.from({ length: 22 }, () => this.pick(BASE62.split(''))).join('');
  }
}

const TOOL_NAMES = [
  'Task', 'Bash', 'Glob', 'Grep', 'LS', 'ExitPlanMode', 'Read', 'Edit', 'MultiEdit', 'Write',
  'NotebookEdit', 'WebFetch', 'TodoWrite', 'WebSearch', 'BashOutput', 'KillShell', 'SlashCommand',
  'mcp__ide__getDiagnostics', 'mcp__ide__executeCode', 'ListMcpResourcesTool', 'ReadMcpResourceTool',
  'AskUserQuestion', 'Skill', 'mcp__github__create_pull_request_review_comment_with_suggestions',
];

function tools(f: Filler, descriptionChars: number): Array<Record<string, unknown>> {
  return TOOL_NAMES.map((name) => ({
    name,
    description: f.prose(descriptionChars),
    input_schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      required: ['file_path'],
      properties: {
        file_path: { type: 'string', description: f.prose(80) },
        offset: { type: 'number', description: f.prose(60) },
        limit: { type: 'number', description: f.prose(60) },
        mode: { type: 'string', enum: ['content', 'files_with_matches', 'count'], description: f.prose(60) },
        edits: {
          type: 'array',
          items: {
            type: 'object',
            properties: { old_string: { type: 'string' }, new_string: { type: 'string' }, replace_all: { type: 'boolean', default: false } },
            required: ['old_string', 'new_string'],
          },
        },
      },
    },
  }));
}

function system(f: Filler, chars: number): Array<Record<string, unknown>> {
  return [
    { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197.a1b; cc_entrypoint=cli; cch=00000;' },
    { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: 'ephemeral' } },
    { type: 'text', text: f.prose(chars), cache_control: { type: 'ephemeral' } },
  ];
}

function envelope(f: Filler, messages: unknown[], stream: boolean, descriptionChars: number, systemChars: number) {
  return {
    model: 'claude-sonnet-4-5-20250929',
    messages,
    system: system(f, systemChars),
    tools: tools(f, descriptionChars),
    metadata: { user_id: JSON.stringify({ device_id: 'bench-device', session_id: '3f0c2a1e-bench' }) },
    max_tokens: 32000,
    thinking: { type: 'adaptive' },
    output_config: { effort: 'high' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    stream,
  };
}

/** The ~45 KB body of an early Claude Code turn: prompt, one Read round, a follow-up. */
export function claudeCodeRequest(stream: boolean): Record<string, unknown> {
  const f = new Filler(42);
  const id = f.toolUseId();
  const messages = [
    {
      role: 'user',
      content: [
        { type: 'text', text: '<system-reminder>\n' + f.prose(600) + '\n</system-reminder>' },
        { type: 'text', text: 'Why does parseList return undefined for an empty file? Fix it.' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me read the parser first.' },
        { type: 'tool_use', id, name: 'Read', input: { file_path: '/home/dev/project/src/parse-list.ts' } },
      ],
    },
    {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: id, content: f.code(2000), cache_control: { type: 'ephemeral' } }],
    },
  ];
  return envelope(f, messages, stream, 300, 13000);
}

/** The smallest useful request: one short user message, no system, no tools. */
export function smallRequest(stream: boolean): Record<string, unknown> {
  return { model: 'claude-haiku-4-5-20251001', max_tokens: 512, messages: [{ role: 'user', content: 'Say hi.' }], stream };
}

function round(f: Filler, i: number, resultChars: number): unknown[] {
  const id = f.toolUseId();
  const name = f.pick(['Read', 'Grep', 'Bash', 'Edit', 'Glob']);
  const assistant = {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: f.prose(600), signature: f.base64(180) },
      { type: 'text', text: f.prose(200) },
      { type: 'tool_use', id, name, input: { file_path: `/home/dev/project/src/module-${i}.ts`, offset: i, limit: 400 } },
    ],
  };
  const withImage = i % 10 === 3;
  const content = withImage
    ? [
        { type: 'text', text: f.code(resultChars) },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: f.base64(3000) } },
      ]
    : f.code(resultChars);
  const user = {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: id, content, ...(i % 17 === 5 ? { is_error: true } : {}) },
      ...(i % 4 === 0 ? [{ type: 'text', text: f.prose(300) }] : []),
    ],
  };
  return [assistant, user];
}

function largeBody(resultChars: number): Record<string, unknown> {
  const f = new Filler(7);
  const messages: unknown[] = [{ role: 'user', content: [{ type: 'text', text: f.prose(1500) }] }];
  for (let i = 0; messages.length < 199; i++) messages.push(...round(f, i, resultChars));
  messages.length = 199; // user prompt + 99 rounds, ends on a user turn
  // Claude Code's mid-conversation system message (beta mid-conversation-system-2026-04-07).
  messages.splice(100, 0, { role: 'system', content: [{ type: 'text', text: f.prose(800) }] });
  return envelope(f, messages, true, 700, 5000);
}

/** About 1 MB (within 2%), exactly 200 messages. */
export function largeClaudeCodeRequest(targetBytes = 1_000_000): Record<string, unknown> {
  let resultChars = 4000;
  let body = largeBody(resultChars);
  for (let attempt = 0; attempt < 4; attempt++) {
    const size = Buffer.byteLength(JSON.stringify(body));
    if (Math.abs(size - targetBytes) / targetBytes < 0.02) break;
    // About 100 tool results carry the filler: adjust each by its share of the gap.
    resultChars = Math.max(200, Math.round(resultChars + (targetBytes - size) / 100));
    body = largeBody(resultChars);
  }
  return body;
}
