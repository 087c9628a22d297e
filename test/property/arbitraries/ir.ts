/**
 * Generators of valid IR (requests, responses, streams). Encoded by each codec they become
 * realistic wire bodies of every format, which the mutators then damage.
 */
import fc from 'fast-check';
import type { ChatRequest, ChatResponse, ContentBlock, Message, OutputBlock, StopReason, ToolDefinition, Usage } from '../../../app/ir/conversation';
import type { StreamEvent } from '../../../app/ir/stream';
import { KIMI_ARGUMENT_BEGIN, KIMI_CALL_BEGIN, KIMI_CALL_END, KIMI_SECTION_BEGIN, KIMI_SECTION_END, kimiTextToolCall } from '../../fakes/kimi-text';

/** Kimi's native tool-call syntax leaked into text: whole calls, and sections cut or malformed anywhere. */
const kimiToolCallText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(fc.constantFrom('Write', 'Bash', 'exec_command'), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), fc.nat({ max: 9 })).map(([name, args, i]) => kimiTextToolCall(name, args, i)),
    fc.tuple(fc.constantFrom('Write', 'Bash'), fc.nat({ max: 9 }), fc.nat()).map(([name, i, cut]) => {
      const whole = kimiTextToolCall(name, { path: 'a.txt' }, i);
      return whole.slice(0, cut % whole.length);
    }),
    fc.array(fc.constantFrom(KIMI_SECTION_BEGIN, KIMI_SECTION_END, KIMI_CALL_BEGIN, KIMI_ARGUMENT_BEGIN, KIMI_CALL_END, 'functions.Write:0', '{"a":', 'functions.:x'), { maxLength: 6 }).map((parts) => parts.join('')),
  );

/** Text as agents send it: mostly short, sometimes empty, unicode (astral, combining, RTL, NUL), sometimes long. */
export const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '日本語', '🧪\u200d🔥', 'a\u0301', '\ud800', '</s>', '<|tool_calls_section_begin|>') },
    { weight: 1, arbitrary: fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n)) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), kimiToolCallText(), fc.string({ maxLength: 10 })).map((parts) => parts.join('')) },
  );

const toolName = (): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom('Bash', 'Write', 'exec_command', 'read_file', 'multi_agent_v1.wait_agent', 'functions.Write'), fc.string({ minLength: 1, maxLength: 12 }));

const toolId = (): fc.Arbitrary<string> => fc.oneof(fc.constantFrom('toolu_01', 'call_1', 'functions.Write:0', 'fc_abc'), fc.string({ minLength: 1, maxLength: 16 }));

const jsonObject = (): fc.Arbitrary<Record<string, unknown>> => fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

const usage = (): fc.Arbitrary<Usage> =>
  fc.record({ inputTokens: fc.nat({ max: 300_000 }), outputTokens: fc.nat({ max: 64_000 }), cacheReadTokens: fc.nat({ max: 100_000 }) }, { requiredKeys: ['inputTokens', 'outputTokens'] });

const textBlock = () => fc.record({ type: fc.constant('text' as const), text: text() });
const imageBlock = () =>
  fc.record({
    type: fc.constant('image' as const),
    source: fc.oneof(
      fc.record({ kind: fc.constant('base64' as const), mediaType: fc.constantFrom('image/png', 'image/jpeg', 'text/evil'), data: fc.base64String({ maxLength: 40 }) }),
      fc.record({ kind: fc.constant('url' as const), url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 10 })) }),
    ),
  });
const toolUse = () => fc.record({ type: fc.constant('tool_use' as const), id: toolId(), name: toolName(), input: jsonObject() });
const toolResult = () =>
  fc.record({
    type: fc.constant('tool_result' as const),
    toolUseId: toolId(),
    content: fc.array(fc.oneof(textBlock(), imageBlock()), { minLength: 1, maxLength: 3 }),
    isError: fc.boolean(),
  });
const thinking = () => fc.record({ type: fc.constant('thinking' as const), thinking: text(), signature: fc.string({ maxLength: 20 }) }, { requiredKeys: ['type', 'thinking'] });
const redacted = () => fc.record({ type: fc.constant('redacted_thinking' as const), data: fc.base64String({ maxLength: 30 }) });

const block = (): fc.Arbitrary<ContentBlock> => fc.oneof({ weight: 4, arbitrary: textBlock() }, imageBlock(), toolUse(), toolResult(), thinking(), redacted());

const message = (): fc.Arbitrary<Message> =>
  fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const), content: fc.array(block(), { minLength: 1, maxLength: 4 }) });

const tool = (): fc.Arbitrary<ToolDefinition> =>
  fc.record(
    {
      name: toolName(),
      description: text(),
      inputSchema: fc.oneof(fc.constant({ type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] }), jsonObject()),
      strict: fc.boolean(),
    },
    { requiredKeys: ['name', 'inputSchema'] },
  );

export const irRequest = (): fc.Arbitrary<ChatRequest> =>
  fc.record(
    {
      model: fc.constantFrom('claude-sonnet-4-6', 'gpt-5', 'kimi-k2.6'),
      system: fc.array(textBlock(), { maxLength: 2 }),
      messages: fc.array(message(), { minLength: 1, maxLength: 6 }),
      tools: fc.array(tool(), { maxLength: 3 }),
      toolChoice: fc.oneof(fc.constant({ type: 'auto' as const }), fc.constant({ type: 'any' as const }), fc.constant({ type: 'none' as const }), toolName().map((name) => ({ type: 'tool' as const, name }))),
      maxTokens: fc.integer({ min: 1, max: 200_000 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      stopSequences: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
      stream: fc.boolean(),
      thinking: fc.record({ mode: fc.constantFrom('enabled' as const, 'adaptive' as const, 'disabled' as const), budgetTokens: fc.integer({ min: 1024, max: 32_000 }) }, { requiredKeys: ['mode'] }),
    },
    { requiredKeys: ['model', 'system', 'messages', 'tools', 'stream'] },
  );

const stopReason = (): fc.Arbitrary<StopReason> => fc.constantFrom('end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal');

const outputBlock = (): fc.Arbitrary<OutputBlock> => fc.oneof({ weight: 3, arbitrary: textBlock() }, toolUse(), thinking(), redacted());

export const irResponse = (): fc.Arbitrary<ChatResponse> =>
  fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }), model: fc.constantFrom('kimi-k2.6', 'gpt-5'), content: fc.array(outputBlock(), { maxLength: 4 }), stopReason: stopReason(), usage: usage() });

/** A text split into 1..4 pieces (how a model streams it). */
const pieces = (whole: string): fc.Arbitrary<string[]> =>
  fc.array(fc.nat({ max: whole.length }), { maxLength: 3 }).map((cuts) => {
    const at = [0, ...[...new Set(cuts)].sort((a, b) => a - b), whole.length];
    return at.slice(1).map((end, i) => whole.slice(at[i], end));
  });

/** One output block as its stream events (tool input as JSON text cut anywhere, even mid-escape). */
function blockEvents(b: OutputBlock, index: number): fc.Arbitrary<StreamEvent[]> {
  switch (b.type) {
    case 'text':
      return pieces(b.text).map((ps) => [{ type: 'block_start', index, block: { type: 'text' } }, ...ps.map((t) => ({ type: 'block_delta' as const, index, delta: { type: 'text' as const, text: t } })), { type: 'block_stop', index }]);
    case 'thinking':
      return pieces(b.thinking).map((ps) => [
        { type: 'block_start', index, block: { type: 'thinking' } },
        ...ps.map((t) => ({ type: 'block_delta' as const, index, delta: { type: 'thinking' as const, thinking: t } })),
        ...(b.signature !== undefined ? [{ type: 'block_delta' as const, index, delta: { type: 'signature' as const, signature: b.signature } }] : []),
        { type: 'block_stop', index },
      ]);
    case 'redacted_thinking':
      return fc.constant([{ type: 'block_start', index, block: { type: 'redacted_thinking', data: b.data } }, { type: 'block_stop', index }]);
    case 'tool_use':
      return pieces(JSON.stringify(b.input)).map((ps) => [
        { type: 'block_start', index, block: { type: 'tool_use', id: b.id, name: b.name } },
        ...ps.map((p) => ({ type: 'block_delta' as const, index, delta: { type: 'input_json' as const, partialJson: p } })),
        { type: 'block_stop', index },
      ]);
  }
}

/** A valid IR stream (the invariants of app/ir/stream.ts), optionally failing with an error after some events. */
export const irStream = (): fc.Arbitrary<StreamEvent[]> =>
  irResponse().chain((r) =>
    fc.tuple(fc.tuple(...r.content.map((b, i) => blockEvents(b, i))), fc.option(fc.nat(), { nil: undefined })).map(([blocks, failAt]) => {
      const events: StreamEvent[] = [
        { type: 'message_start', id: r.id, model: r.model, usage: { inputTokens: r.usage.inputTokens, outputTokens: 0 } },
        ...blocks.flat(),
        { type: 'message_delta', stopReason: r.stopReason, usage: r.usage },
        { type: 'message_stop' },
      ];
      if (failAt === undefined) return events;
      const cut = failAt % events.length;
      return [...events.slice(0, cut), { type: 'error' as const, error: { kind: 'overloaded' as const, status: 529, message: 'upstream overloaded' } }];
    }),
  );
