/**
 * A client's Responses request body (Codex CLI, the `openai` SDK) -> IR request.
 *
 * - `instructions`, then leading `developer`/`system` messages, become the system prompt in order;
 *   later ones stay in place as system messages (Codex sends its prompt as a developer message).
 * - Assistant-side items in a row (`reasoning`, assistant `message`, `function_call`) make one
 *   assistant turn; `function_call_output` items in a row make one user turn of tool results,
 *   each tied by `call_id` to a call made before it.
 * - `reasoning` items: `reasoning_text` content (raw) or else the summary becomes IR thinking;
 *   `encrypted_content` is dropped unless Patchbay wrote it (see reasoning-carrier.ts).
 * - Tools: functions; namespace tools flattened (tool-namespaces.ts); tool types no backend can
 *   run (`web_search`, …) are left out and named by leftOutToolsOf() for the request log.
 * - `previous_response_id`, `store` and which system blocks are `instructions` ride in
 *   `responsesState`; the earlier turns are put back by app/responses-store/, not here.
 */
import type { z } from 'zod';
import type {
  ChatRequest,
  ContentBlock,
  DocumentBlock,
  ImageBlock,
  Message,
  OutputFormat,
  ReasoningEffort,
  TextBlock,
  ThinkingConfig,
  ToolChoice,
  ToolDefinition,
  ToolResultBlock,
} from '../../ir/conversation';
import { invalidRequest } from '../../ir/errors';
import { NO_OUTPUT } from '../openai/request-encode';
import { parseToolArguments } from '../openai/tool-arguments';
import { blockFromEncryptedContent } from './reasoning-carrier';
import {
  functionCallItemSchema,
  functionCallOutputItemSchema,
  functionToolSchema,
  inputFilePartSchema,
  inputImagePartSchema,
  inputTextPartSchema,
  messageItemSchema,
  namespaceToolSchema,
  reasoningItemSchema,
  refusalPartSchema,
  requestSchema,
} from './request-schema';
import type { WirePart, WireRequest } from './request-schema';
import { irToolName } from './tool-namespaces';

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(body)';
}

function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${prefix}${issuePath(issue.path)}: ${issue.message}`)
    .join('; ');
}

function parseAs<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw invalidRequest(`invalid Responses request: ${formatIssues(parsed.error, where)}`, first ? `${where}${issuePath(first.path).replace(/^(?=[^[])/, '.')}` : where);
  }
  return parsed.data;
}

function imageFromUrl(url: string): ImageBlock {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { type: 'image', source: { kind: 'base64', mediaType: data[1]!, data: data[2]! } };
  return { type: 'image', source: { kind: 'url', url } };
}

function fileBlock(value: unknown, where: string): DocumentBlock {
  const file = parseAs(inputFilePartSchema, value, where);
  const title = file.filename ? { title: file.filename } : {};
  if (file.file_data) {
    const data = /^data:([^;,]+);base64,(.*)$/s.exec(file.file_data);
    if (data) return { type: 'document', source: { kind: 'base64', mediaType: data[1]!, data: data[2]! }, ...title };
    return { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: file.file_data }, ...title };
  }
  if (file.file_url) return { type: 'document', source: { kind: 'url', url: file.file_url }, ...title };
  throw invalidRequest(`${where}: input_file by file_id needs OpenAI's file store, which Patchbay's backends do not have: send file_data`, where);
}

type UserBlock = TextBlock | ImageBlock | DocumentBlock;

function partToBlock(value: WirePart, where: string): UserBlock {
  switch (value.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: parseAs(inputTextPartSchema, value, where).text };
    case 'refusal':
      return { type: 'text', text: parseAs(refusalPartSchema, value, where).refusal };
    case 'input_image': {
      const image = parseAs(inputImagePartSchema, value, where);
      if (image.image_url) return imageFromUrl(image.image_url);
      throw invalidRequest(`${where}: input_image by file_id needs OpenAI's file store, which Patchbay's backends do not have: send image_url`, where);
    }
    case 'input_file':
      return fileBlock(value, where);
    default:
      throw invalidRequest(`${where}: content part type "${value.type}" is not supported (use input_text, output_text, input_image or input_file)`, where);
  }
}

function contentBlocks(content: string | WirePart[], where: string): UserBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map((part, i) => partToBlock(part, `${where}[${i}]`));
}

function textBlocks(content: string | WirePart[], where: string): TextBlock[] {
  return contentBlocks(content, where).map((block) => {
    if (block.type !== 'text') throw invalidRequest(`${where}: only text is allowed in a system or developer message`, where);
    return block;
  });
}

/**
 * Items of a conversation folded into IR system prompt and messages. A conversation that
 * `continues` an earlier response (`previous_response_id`) has no leading part: its developer
 * messages come after the earlier turns, and its outputs may answer calls made in them (checked
 * when the earlier turns are put back, app/responses-store/).
 */
class Conversation {
  readonly system: TextBlock[] = [];
  readonly messages: Message[] = [];
  private leading: boolean;
  private readonly calls = new Set<string>();

  constructor(private readonly continues: boolean) {
    this.leading = !continues;
  }

  instruction(blocks: TextBlock[]): void {
    if (this.leading) this.system.push(...blocks);
    else this.messages.push({ role: 'system', content: blocks });
  }

  user(blocks: UserBlock[]): void {
    this.leading = false;
    this.messages.push({ role: 'user', content: blocks });
  }

  assistant(blocks: ContentBlock[]): void {
    this.leading = false;
    if (blocks.length === 0) return;
    const last = this.messages.at(-1);
    if (last?.role === 'assistant') last.content.push(...blocks);
    else this.messages.push({ role: 'assistant', content: blocks });
  }

  call(id: string, name: string, input: Record<string, unknown>): void {
    this.calls.add(id);
    this.assistant([{ type: 'tool_use', id, name, input }]);
  }

  result(block: ToolResultBlock, where: string): void {
    this.leading = false;
    if (!this.calls.has(block.toolUseId) && !this.continues) {
      throw invalidRequest(`${where}: function_call_output for call_id "${block.toolUseId}" has no function_call before it`, `${where}.call_id`);
    }
    const last = this.messages.at(-1);
    if (last?.role === 'user' && last.content.every((b) => b.type === 'tool_result')) last.content.push(block);
    else this.messages.push({ role: 'user', content: [block] });
  }
}

function decodeItem(conversation: Conversation, item: Record<string, unknown>, where: string): void {
  const type = typeof item.type === 'string' ? item.type : 'message';
  switch (type) {
    case 'message': {
      const message = parseAs(messageItemSchema, item, where);
      const at = `${where}.content`;
      if (message.role === 'system' || message.role === 'developer') conversation.instruction(textBlocks(message.content, at));
      else if (message.role === 'user') conversation.user(contentBlocks(message.content, at));
      else conversation.assistant(contentBlocks(message.content, at).map((b) => (b.type === 'text' ? b : { type: 'text', text: '[non-text content omitted]' })));
      return;
    }
    case 'function_call': {
      const call = parseAs(functionCallItemSchema, item, where);
      conversation.call(call.call_id, irToolName(call.name, call.namespace), parseToolArguments(call.arguments));
      return;
    }
    case 'function_call_output': {
      const output = parseAs(functionCallOutputItemSchema, item, where);
      const blocks = contentBlocks(output.output, `${where}.output`).map((b) => (b.type === 'document' ? { type: 'text' as const, text: '[document omitted]' } : b));
      const content = blocks.length > 0 ? blocks : [{ type: 'text' as const, text: NO_OUTPUT }];
      conversation.result({ type: 'tool_result', toolUseId: output.call_id, content, isError: false }, where);
      return;
    }
    case 'reasoning': {
      const reasoning = parseAs(reasoningItemSchema, item, where);
      const raw = (reasoning.content ?? []).filter((c) => c.type === 'reasoning_text').map((c) => c.text);
      const summary = (reasoning.summary ?? []).map((s) => s.text);
      const text = (raw.length > 0 ? raw : summary).join('\n\n');
      const carried = reasoning.encrypted_content ? blockFromEncryptedContent(reasoning.encrypted_content, text) : undefined;
      if (carried) conversation.assistant([carried]);
      else if (text !== '') conversation.assistant([{ type: 'thinking', thinking: text }]);
      return;
    }
    case 'web_search_call':
      return; // a hosted search that ran elsewhere: nothing a backend can replay
    default:
      throw invalidRequest(`${where}: input item type "${type}" is not supported by Patchbay's backends`, `${where}.type`);
  }
}

/** Tool types a backend cannot run (hosted tools): left out of the request. */
function isRunnable(type: string): boolean {
  return type === 'function' || type === 'namespace';
}

function functionTool(value: unknown, where: string, namespace?: string): ToolDefinition {
  const fn = parseAs(functionToolSchema, value, where);
  const def: ToolDefinition = {
    name: namespace ? irToolName(fn.name, namespace) : fn.name,
    inputSchema: fn.parameters ?? { type: 'object', properties: {} },
  };
  if (fn.description) def.description = fn.description;
  if (typeof fn.strict === 'boolean') def.strict = fn.strict;
  return def;
}

function decodeTools(tools: NonNullable<WireRequest['tools']>): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  tools.forEach((tool, i) => {
    const where = `tools[${i}]`;
    if (tool.type === 'function') out.push(functionTool(tool, where));
    else if (tool.type === 'namespace') {
      const ns = parseAs(namespaceToolSchema, tool, where);
      ns.tools.forEach((inner, j) => {
        if (inner.type === 'function') out.push(functionTool(inner, `${where}.tools[${j}]`, ns.name));
      });
    }
  });
  return out;
}

/**
 * The tools of a raw Responses request that are left out because no backend can run them, as
 * `type` (or `namespace/type` inside a namespace): for the request log. [] when none.
 */
export function leftOutToolsOf(raw: unknown): string[] {
  const tools = (raw as { tools?: unknown } | null)?.tools;
  if (!Array.isArray(tools)) return [];
  const out: string[] = [];
  for (const tool of tools as Array<{ type?: unknown; name?: unknown; tools?: unknown }>) {
    const type = typeof tool?.type === 'string' ? tool.type : '(no type)';
    if (!isRunnable(type)) out.push(type);
    else if (type === 'namespace' && Array.isArray(tool.tools)) {
      for (const inner of tool.tools as Array<{ type?: unknown }>) {
        if (inner?.type !== 'function') out.push(`${String(tool.name)}/${String(inner?.type)}`);
      }
    }
  }
  return out;
}

function decodeToolChoice(choice: NonNullable<WireRequest['tool_choice']>): ToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  if (choice.type === 'function' && 'name' in choice && typeof choice.name === 'string') {
    const namespace = 'namespace' in choice && typeof choice.namespace === 'string' ? choice.namespace : undefined;
    return { type: 'tool', name: irToolName(choice.name, namespace) };
  }
  if (choice.type === 'auto' || choice.type === 'allowed_tools') return { type: 'auto' };
  throw invalidRequest(`tool_choice of type "${choice.type}" names a tool no backend can run: use "auto" or a function`, 'tool_choice');
}

const EFFORTS: Record<string, ThinkingConfig> = {
  none: { mode: 'disabled' },
  minimal: { mode: 'enabled', effort: 'minimal' },
  low: { mode: 'enabled', effort: 'low' },
  medium: { mode: 'enabled', effort: 'medium' },
  high: { mode: 'enabled', effort: 'high' },
  xhigh: { mode: 'enabled', effort: 'max' satisfies ReasoningEffort },
};

function decodeOutputFormat(format: NonNullable<NonNullable<WireRequest['text']>['format']>): OutputFormat | undefined {
  if (format.type === 'text') return undefined;
  if (format.type !== 'json_schema') {
    throw invalidRequest(`text.format "${format.type}" is not supported: use "json_schema" with a schema, or "text"`, 'text.format.type');
  }
  if (!format.schema) throw invalidRequest('text.format json_schema needs a schema', 'text.format.schema');
  const out: OutputFormat = { type: 'json_schema', name: format.name ?? 'output', schema: format.schema };
  if (typeof format.strict === 'boolean') out.strict = format.strict;
  if (format.description) out.description = format.description;
  return out;
}

export function decodeRequest(raw: unknown): ChatRequest {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalidRequest(`invalid Responses request: ${formatIssues(parsed.error)}`, issuePath(parsed.error.issues[0]?.path ?? []));
  }
  const body = parsed.data;
  if (body.background) throw invalidRequest('background responses are not supported: leave background out', 'background');

  const conversation = new Conversation(Boolean(body.previous_response_id));
  if (body.instructions) conversation.system.push({ type: 'text', text: body.instructions });
  if (typeof body.input === 'string') conversation.user([{ type: 'text', text: body.input }]);
  else body.input.forEach((item, i) => decodeItem(conversation, item, `input[${i}]`));

  const request: ChatRequest = {
    model: body.model,
    system: conversation.system,
    messages: conversation.messages,
    tools: body.tools ? decodeTools(body.tools) : [],
    stream: body.stream ?? false,
  };
  if (body.tool_choice) request.toolChoice = decodeToolChoice(body.tool_choice);
  if (typeof body.parallel_tool_calls === 'boolean') request.parallelToolCalls = body.parallel_tool_calls;
  if (body.max_output_tokens) request.maxTokens = body.max_output_tokens;
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  if (typeof body.top_p === 'number') request.topP = body.top_p;
  const effort = body.reasoning?.effort;
  if (effort) {
    const thinking = EFFORTS[effort];
    if (!thinking) throw invalidRequest(`reasoning.effort "${effort}" is not one of none, minimal, low, medium, high, xhigh`, 'reasoning.effort');
    request.thinking = { ...thinking };
  }
  const format = body.text?.format ? decodeOutputFormat(body.text.format) : undefined;
  if (format) request.outputFormat = format;
  const user = body.safety_identifier ?? body.user;
  if (user) request.userId = user;
  request.responsesState = {
    ...(body.previous_response_id ? { previousResponseId: body.previous_response_id } : {}),
    store: body.store !== false,
    instructionBlocks: body.instructions ? 1 : 0,
  };
  return request;
}
