/**
 * Backend side: encode an IR ChatRequest as an Anthropic Messages body for an
 * Anthropic-format backend (Moonshot's `/anthropic`), typically on behalf of an OpenAI client.
 */
import type {
  CacheHint,
  ChatRequest,
  ContentBlock,
  ImageBlock,
  Message,
  ReasoningEffort,
  TextBlock,
  ThinkingConfig,
} from '../../ir/conversation';
import type { BackendTarget, TranslationContext } from '../codec';
import { toAnthropicToolId } from '../../translate/tool-ids';

export const DEFAULT_MAX_TOKENS = 8192;
/** Anthropic's minimum thinking budget. */
export const MIN_THINKING_BUDGET = 1024;
const BUDGET_BY_EFFORT: Record<ReasoningEffort, number> = {
  minimal: 1024,
  low: 4096,
  medium: 8192,
  high: 16384,
  max: 32768,
};

type Json = Record<string, unknown>;

function withCache(out: Json, cache: CacheHint | undefined): Json {
  if (cache) out.cache_control = cache.ttl ? { type: 'ephemeral', ttl: cache.ttl } : { type: 'ephemeral' };
  return out;
}

function imageJson(block: ImageBlock): Json {
  const s = block.source;
  const source = s.kind === 'base64' ? { type: 'base64', media_type: s.mediaType, data: s.data } : { type: 'url', url: s.url };
  return withCache({ type: 'image', source }, block.cache);
}

function textJson(block: TextBlock): Json {
  return withCache({ type: 'text', text: block.text }, block.cache);
}

/** One IR block as Anthropic JSON, or undefined when it cannot be sent (see comments). */
function blockJson(block: ContentBlock, target: BackendTarget, ctx: TranslationContext): Json | undefined {
  switch (block.type) {
    case 'text':
      // Anthropic rejects empty text blocks.
      return block.text.length > 0 ? textJson(block) : undefined;
    case 'image':
      return imageJson(block);
    case 'document': {
      const s = block.source;
      const source =
        s.kind === 'url'
          ? { type: 'url', url: s.url }
          : { type: s.kind, media_type: s.mediaType, data: s.data };
      return withCache({ type: 'document', source, ...(block.title ? { title: block.title } : {}) }, block.cache);
    }
    case 'tool_use':
      return withCache(
        { type: 'tool_use', id: toAnthropicToolId(block.id), name: ctx.toolNames.wire(block.name), input: block.input },
        block.cache,
      );
    case 'tool_result':
      return withCache(
        {
          type: 'tool_result',
          tool_use_id: toAnthropicToolId(block.toolUseId),
          content: block.content.map((c) => (c.type === 'text' ? textJson(c) : imageJson(c))),
          ...(block.isError ? { is_error: true } : {}),
        },
        block.cache,
      );
    case 'thinking':
      // Signed thinking (from an Anthropic-format producer) goes back as is. Unsigned reasoning
      // (OpenAI `reasoning_content`) is only echoed to backends that want it (Kimi), with an
      // empty signature meaning "not Anthropic-signed".
      if (block.signature) return { type: 'thinking', thinking: block.thinking, signature: block.signature };
      return target.echoReasoning && block.thinking.length > 0
        ? { type: 'thinking', thinking: block.thinking, signature: '' }
        : undefined;
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
  }
}

/** A mid-conversation system message, folded into a user turn so it is kept. */
function systemReminder(message: Message): Json[] {
  const body = message.content
    .map((b) => (b.type === 'text' ? b.text : ''))
    .filter((t) => t.length > 0)
    .join('\n\n');
  return body.length > 0 ? [{ type: 'text', text: `<system-reminder>\n${body}\n</system-reminder>` }] : [];
}

/**
 * Messages with strict alternation: system messages become reminder text in a user turn,
 * consecutive same-role turns merge, tool results come first in their user turn, and turns
 * left empty are dropped.
 */
function messagesJson(request: ChatRequest, target: BackendTarget, ctx: TranslationContext): Json[] {
  const turns: Array<{ role: 'user' | 'assistant'; content: Json[] }> = [];
  for (const message of request.messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content: Json[] =
      message.role === 'system'
        ? systemReminder(message)
        : message.content.flatMap((b): Json[] => {
            const json = blockJson(b, target, ctx);
            return json ? [json] : [];
          });
    if (content.length === 0) continue;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...content);
    else turns.push({ role, content });
  }
  for (const turn of turns) {
    if (turn.role !== 'user') continue;
    const results = turn.content.filter((b) => b.type === 'tool_result');
    if (results.length > 0) turn.content = [...results, ...turn.content.filter((b) => b.type !== 'tool_result')];
  }
  return turns;
}

function maxTokens(request: ChatRequest, target: BackendTarget): number {
  const wanted = request.maxTokens ?? target.maxOutputTokens ?? DEFAULT_MAX_TOKENS;
  return target.maxOutputTokens !== undefined ? Math.min(wanted, target.maxOutputTokens) : wanted;
}

/**
 * Thinking for a backend that is not Anthropic: `adaptive` is not known to be accepted, so it
 * becomes `enabled` with a budget by effort, kept below max_tokens (Anthropic requires
 * budget_tokens < max_tokens and >= 1024; when that is impossible thinking is left off).
 */
export function thinkingJson(thinking: ThinkingConfig | undefined, maxTokensValue: number): Json | undefined {
  if (!thinking) return undefined;
  if (thinking.mode === 'disabled') return { type: 'disabled' };
  const wanted = thinking.mode === 'enabled' && thinking.budgetTokens !== undefined
    ? thinking.budgetTokens
    : BUDGET_BY_EFFORT[thinking.effort ?? 'high'];
  // Leave room for the answer: at most max_tokens minus the minimum budget, and always below it.
  const ceiling = thinking.mode === 'adaptive' ? maxTokensValue - MIN_THINKING_BUDGET : maxTokensValue - 1;
  const budget = Math.min(Math.max(wanted, MIN_THINKING_BUDGET), ceiling);
  if (budget < MIN_THINKING_BUDGET) return undefined;
  return { type: 'enabled', budget_tokens: budget };
}

function toolChoiceJson(request: ChatRequest, ctx: TranslationContext): Json | undefined {
  const choice = request.toolChoice;
  const noParallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (!choice) return request.parallelToolCalls === false ? { type: 'auto', ...noParallel } : undefined;
  if (choice.type === 'tool') return { type: 'tool', name: ctx.toolNames.wire(choice.name), ...noParallel };
  if (choice.type === 'none') return { type: 'none' };
  return { type: choice.type, ...noParallel };
}

export function encodeRequest(request: ChatRequest, target: BackendTarget, ctx: TranslationContext): Json {
  const max = maxTokens(request, target);
  const body: Json = { model: target.model, max_tokens: max, messages: messagesJson(request, target, ctx) };
  const system = request.system.filter((b) => b.text.length > 0).map(textJson);
  if (system.length > 0) body.system = system;
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) =>
      withCache(
        {
          name: ctx.toolNames.wire(t.name),
          ...(t.description !== undefined ? { description: t.description } : {}),
          input_schema: t.inputSchema,
        },
        t.cache,
      ),
    );
    const choice = toolChoiceJson(request, ctx);
    if (choice) body.tool_choice = choice;
  }
  const thinking = thinkingJson(request.thinking, max);
  if (thinking) body.thinking = thinking;
  if (request.stopSequences?.length) body.stop_sequences = request.stopSequences;
  if (!target.fixedSampling) {
    // Anthropic's temperature range is 0..1 (OpenAI clients may send up to 2).
    if (request.temperature !== undefined) body.temperature = Math.min(request.temperature, 1);
    if (request.topP !== undefined) body.top_p = request.topP;
    if (request.topK !== undefined) body.top_k = request.topK;
  }
  if (request.userId) body.metadata = { user_id: request.userId };
  body.stream = request.stream;
  return body;
}
