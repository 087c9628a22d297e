/** A client's Chat Completions request body -> IR request. */
import type { z } from 'zod';
import type {
  ChatRequest,
  ContentBlock,
  ImageBlock,
  Message,
  ReasoningEffort,
  TextBlock,
  ThinkingConfig,
  ToolChoice,
  ToolDefinition,
  ToolResultBlock,
} from '../../ir/conversation';
import { invalidRequest } from '../../ir/errors';
import { NO_OUTPUT } from './request-encode';
import { requestSchema } from './request-schema';
import type { WireRequest, WireRequestMessage, WireUserPart } from './request-schema';
import { parseToolArguments } from './tool-arguments';

type Content = string | WireUserPart[];

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(body)';
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issuePath(issue.path)}: ${issue.message}`)
    .join('; ');
}

function imageFromUrl(url: string): ImageBlock {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { type: 'image', source: { kind: 'base64', mediaType: data[1]!, data: data[2]! } };
  return { type: 'image', source: { kind: 'url', url } };
}

function partToBlock(part: WireUserPart, where: string): TextBlock | ImageBlock {
  if (part.type === 'text' && 'text' in part && typeof part.text === 'string') return { type: 'text', text: part.text };
  if (part.type === 'image_url' && 'image_url' in part) {
    const image = part.image_url;
    if (typeof image === 'string') return imageFromUrl(image);
    if (image && typeof image === 'object' && 'url' in image && typeof image.url === 'string') return imageFromUrl(image.url);
  }
  if (part.type === 'input_audio' || part.type === 'audio') {
    throw invalidRequest(`${where}: audio content parts are not supported by Patchbay's backends`, where);
  }
  throw invalidRequest(`${where}: content part type "${part.type}" is not supported (use "text" or "image_url")`, where);
}

function contentBlocks(content: Content | null | undefined, where: string): Array<TextBlock | ImageBlock> {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map((part, i) => partToBlock(part, `${where}[${i}]`));
}

function textBlocks(content: Content, where: string): TextBlock[] {
  return contentBlocks(content, where).map((b) => {
    if (b.type !== 'text') throw invalidRequest(`${where}: only text is allowed in this message`, where);
    return b;
  });
}

function decodeMessages(messages: WireRequestMessage[]): { system: TextBlock[]; messages: Message[] } {
  const system: TextBlock[] = [];
  const out: Message[] = [];
  let leading = true;
  let pendingResults: ToolResultBlock[] | undefined;

  messages.forEach((message, i) => {
    const where = `messages[${i}].content`;
    if (message.role !== 'tool') pendingResults = undefined;
    if (message.role === 'system' || message.role === 'developer') {
      const blocks = textBlocks(message.content, where);
      if (leading) system.push(...blocks);
      else out.push({ role: 'system', content: blocks });
      return;
    }
    leading = false;
    if (message.role === 'user') {
      out.push({ role: 'user', content: contentBlocks(message.content, where) });
    } else if (message.role === 'assistant') {
      const content: ContentBlock[] = [];
      if (message.reasoning_content) content.push({ type: 'thinking', thinking: message.reasoning_content });
      content.push(...contentBlocks(message.content, where));
      for (const call of message.tool_calls ?? []) {
        content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseToolArguments(call.function.arguments ?? '') });
      }
      out.push({ role: 'assistant', content });
    } else if (message.role === 'tool') {
      const blocks = contentBlocks(message.content, where);
      const result: ToolResultBlock = {
        type: 'tool_result',
        toolUseId: message.tool_call_id,
        content: blocks.length > 0 ? blocks : [{ type: 'text', text: NO_OUTPUT }],
        isError: false,
      };
      if (pendingResults) {
        pendingResults.push(result);
      } else {
        pendingResults = [result];
        out.push({ role: 'user', content: pendingResults });
      }
    }
  });
  return { system, messages: out };
}

function decodeTools(tools: NonNullable<WireRequest['tools']>): ToolDefinition[] {
  return tools.map((tool, i) => {
    if (tool.type !== 'function' || !tool.function) {
      throw invalidRequest(`tools[${i}]: tool type "${tool.type}" is not supported (only "function" tools)`, `tools[${i}].type`);
    }
    const fn = tool.function;
    const def: ToolDefinition = { name: fn.name, inputSchema: fn.parameters ?? { type: 'object', properties: {} } };
    if (fn.description) def.description = fn.description;
    if (typeof fn.strict === 'boolean') def.strict = fn.strict;
    return def;
  });
}

function decodeToolChoice(choice: NonNullable<WireRequest['tool_choice']>): ToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.function.name };
}

const EFFORTS: Record<string, ThinkingConfig> = {
  none: { mode: 'disabled' },
  minimal: { mode: 'enabled', effort: 'minimal' },
  low: { mode: 'enabled', effort: 'low' },
  medium: { mode: 'enabled', effort: 'medium' },
  high: { mode: 'enabled', effort: 'high' },
  xhigh: { mode: 'enabled', effort: 'max' satisfies ReasoningEffort },
};

/** Refuse fields whose meaning cannot be kept across formats, naming them. */
function refuseUnkeepable(body: WireRequest): void {
  if (body.n !== null && body.n !== undefined && body.n > 1) throw invalidRequest('n > 1 (several choices) is not supported: ask for one choice', 'n');
  if (body.logprobs) throw invalidRequest('logprobs is not supported by Patchbay\'s backends', 'logprobs');
  if (body.top_logprobs) throw invalidRequest('top_logprobs is not supported by Patchbay\'s backends', 'top_logprobs');
  const format = body.response_format?.type;
  if (format === 'json_schema' || format === 'json_object') {
    throw invalidRequest(`response_format "${format}" cannot be enforced on the backend: leave response_format out`, 'response_format');
  }
  if (body.modalities?.includes('audio') || (body.audio !== undefined && body.audio !== null)) {
    throw invalidRequest('audio output is not supported by Patchbay\'s backends', 'audio');
  }
}

export function decodeRequest(raw: unknown): ChatRequest {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) throw invalidRequest(`invalid Chat Completions request: ${formatIssues(parsed.error)}`, issuePath(parsed.error.issues[0]?.path ?? []));
  const body = parsed.data;
  refuseUnkeepable(body);

  const { system, messages } = decodeMessages(body.messages);
  const request: ChatRequest = {
    model: body.model,
    system,
    messages,
    tools: body.tools ? decodeTools(body.tools) : [],
    stream: body.stream ?? false,
  };
  if (body.tool_choice) request.toolChoice = decodeToolChoice(body.tool_choice);
  if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens) request.maxTokens = maxTokens;
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  if (typeof body.top_p === 'number') request.topP = body.top_p;
  if (body.stop !== null && body.stop !== undefined) {
    const stops = (typeof body.stop === 'string' ? [body.stop] : body.stop).filter((s) => s !== '');
    if (stops.length > 0) request.stopSequences = stops;
  }
  if (body.reasoning_effort) {
    const thinking = EFFORTS[body.reasoning_effort];
    if (!thinking) throw invalidRequest(`reasoning_effort "${body.reasoning_effort}" is not one of none, minimal, low, medium, high, xhigh`, 'reasoning_effort');
    request.thinking = { ...thinking };
  }
  if (body.user) request.userId = body.user;
  return request;
}

/** Whether the client asked for the trailing usage chunk (`stream_options.include_usage`). */
export function wantsStreamUsage(raw: unknown): boolean {
  const body = requestSchema.safeParse(raw);
  return body.success && body.data.stream_options?.include_usage === true;
}
