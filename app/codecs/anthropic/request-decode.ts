/**
 * Client side: validate an Anthropic `POST /v1/messages` body (as Claude Code sends it) and
 * decode it into the IR ChatRequest.
 */
import type {
  CacheHint,
  ChatRequest,
  ContentBlock,
  DocumentBlock,
  ImageBlock,
  Message,
  ReasoningEffort,
  TextBlock,
  ThinkingConfig,
  ToolChoice,
  ToolDefinition,
} from '../../ir/conversation';
import { invalidRequest } from '../../ir/errors';
import { isClaudeCodeAttribution } from '../../translate/claude-code-attribution';
import { fromAnthropicToolId } from '../../translate/tool-ids';
import { formatIssues } from './issue-format';
import { messagesRequestSchema } from './wire-types';
import type {
  WireCacheControl,
  WireContentBlock,
  WireRequest,
  documentBlockSchema,
  imageBlockSchema,
  toolResultBlockSchema,
} from './wire-types';
import type { z } from 'zod';

/** What an empty tool result becomes: the IR never carries an empty result. */
export const EMPTY_TOOL_RESULT_TEXT = '(no output)';

const EFFORTS: readonly ReasoningEffort[] = ['minimal', 'low', 'medium', 'high', 'max'];

function cacheHint(cc: WireCacheControl | null | undefined): { cache?: CacheHint } {
  if (!cc) return {};
  return { cache: cc.ttl ? { type: 'ephemeral', ttl: cc.ttl } : { type: 'ephemeral' } };
}

function text(value: string, cc?: WireCacheControl | null): TextBlock {
  return { type: 'text', text: value, ...cacheHint(cc) };
}

function image(block: z.infer<typeof imageBlockSchema>): ImageBlock {
  const s = block.source;
  const source: ImageBlock['source'] =
    s.type === 'base64' ? { kind: 'base64', mediaType: s.media_type, data: s.data } : { kind: 'url', url: s.url };
  return { type: 'image', source, ...cacheHint(block.cache_control) };
}

function documentBlock(block: z.infer<typeof documentBlockSchema>): DocumentBlock {
  const s = block.source;
  const source: DocumentBlock['source'] =
    s.type === 'url'
      ? { kind: 'url', url: s.url }
      : { kind: s.type === 'base64' ? 'base64' : 'text', mediaType: s.media_type, data: s.data };
  return { type: 'document', source, ...(block.title ? { title: block.title } : {}), ...cacheHint(block.cache_control) };
}

/**
 * A tool_result. Documents inside it cannot live in the IR's result content, so they are
 * returned separately and placed right after the result in the same message.
 */
function toolResult(block: z.infer<typeof toolResultBlockSchema>): ContentBlock[] {
  const content: Array<TextBlock | ImageBlock> = [];
  const documents: DocumentBlock[] = [];
  const raw = block.content ?? '';
  if (typeof raw === 'string') {
    if (raw.length > 0) content.push(text(raw));
  } else {
    for (const part of raw) {
      if (part.type === 'text') content.push(text(part.text, part.cache_control));
      else if (part.type === 'image') content.push(image(part));
      else documents.push(documentBlock(part));
    }
  }
  if (content.length === 0) content.push(text(documents.length > 0 ? '(see the attached document)' : EMPTY_TOOL_RESULT_TEXT));
  return [
    {
      type: 'tool_result',
      toolUseId: fromAnthropicToolId(block.tool_use_id),
      content,
      isError: block.is_error ?? false,
      ...cacheHint(block.cache_control),
    },
    ...documents,
  ];
}

function contentBlock(block: WireContentBlock): ContentBlock[] {
  switch (block.type) {
    case 'text':
      return [text(block.text, block.cache_control)];
    case 'image':
      return [image(block)];
    case 'document':
      return [documentBlock(block)];
    case 'tool_use':
      return [
        { type: 'tool_use', id: fromAnthropicToolId(block.id), name: block.name, input: block.input, ...cacheHint(block.cache_control) },
      ];
    case 'tool_result':
      return toolResult(block);
    case 'thinking':
      return [{ type: 'thinking', thinking: block.thinking, ...(block.signature !== undefined ? { signature: block.signature } : {}) }];
    case 'redacted_thinking':
      return [{ type: 'redacted_thinking', data: block.data }];
  }
}

function messages(wire: WireRequest['messages']): Message[] {
  return wire.map((m) => ({
    role: m.role,
    content: typeof m.content === 'string' ? [text(m.content)] : m.content.flatMap(contentBlock),
  }));
}

function system(wire: WireRequest['system']): TextBlock[] {
  if (wire === undefined) return [];
  if (typeof wire === 'string') return wire.length > 0 && !isClaudeCodeAttribution(wire) ? [text(wire)] : [];
  return wire.filter((b) => !isClaudeCodeAttribution(b.text)).map((b) => text(b.text, b.cache_control));
}

function tools(wire: WireRequest['tools']): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (const tool of wire ?? []) {
    // Server tools (web_search_..., bash_..., ...) run at Anthropic: no other backend can serve them.
    if (!('input_schema' in tool)) continue;
    out.push({
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      inputSchema: tool.input_schema,
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      ...cacheHint(tool.cache_control),
    });
  }
  return out;
}

function toolChoice(wire: WireRequest['tool_choice']): ToolChoice | undefined {
  if (!wire) return undefined;
  return wire.type === 'tool' ? { type: 'tool', name: wire.name } : { type: wire.type };
}

function thinking(req: WireRequest): ThinkingConfig | undefined {
  const rawEffort = req.output_config?.effort;
  const effort = EFFORTS.find((e) => e === rawEffort);
  const withEffort = effort ? { effort } : {};
  const t = req.thinking;
  if (!t) return effort ? { mode: 'disabled', ...withEffort } : undefined;
  if (t.type === 'enabled') {
    return { mode: 'enabled', ...(t.budget_tokens !== undefined ? { budgetTokens: t.budget_tokens } : {}), ...withEffort };
  }
  return { mode: t.type, ...withEffort };
}

export function decodeRequest(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('request body must be a JSON object');
  }
  const parsed = messagesRequestSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw invalidRequest(formatIssues(parsed.error.issues), first ? first.path.map(String).join('.') : undefined);
  }
  const req = parsed.data;
  const think = thinking(req);
  const choice = toolChoice(req.tool_choice);
  const userId = req.metadata?.user_id;
  return {
    model: req.model,
    system: system(req.system),
    messages: messages(req.messages),
    tools: tools(req.tools),
    ...(choice ? { toolChoice: choice } : {}),
    ...(req.tool_choice?.disable_parallel_tool_use ? { parallelToolCalls: false } : {}),
    ...(req.max_tokens !== undefined ? { maxTokens: req.max_tokens } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.top_p !== undefined ? { topP: req.top_p } : {}),
    ...(req.top_k !== undefined ? { topK: req.top_k } : {}),
    ...(req.stop_sequences?.length ? { stopSequences: req.stop_sequences } : {}),
    stream: req.stream ?? false,
    ...(think ? { thinking: think } : {}),
    ...(userId ? { userId } : {}),
  };
}
