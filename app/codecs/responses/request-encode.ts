/**
 * IR request -> Responses request body for a backend that speaks Responses (OpenAI's own API).
 * Stateless (`store: false`, the whole conversation in `input`), system prompt as
 * `instructions`, function tools with an explicit `strict` (Responses defaults it to true).
 * Thinking is echoed as reasoning items only when the backend wants reasoning back
 * (`echoReasoning`); stop sequences have no Responses field and are refused (400).
 */
import { createHash } from 'node:crypto';
import type { ChatRequest, ContentBlock, DocumentBlock, ImageBlock, ImageSource, Message, ToolChoice, ToolResultBlock } from '../../ir/conversation';
import { invalidRequest } from '../../ir/errors';
import { NO_OUTPUT, TOOL_ERROR_PREFIX } from '../openai/request-encode';
import type { BackendTarget, TranslationContext } from '../codec';

type Json = Record<string, unknown>;

function imageUrl(source: ImageSource): string {
  return source.kind === 'base64' ? `data:${source.mediaType};base64,${source.data}` : source.url;
}

function imagePart(block: ImageBlock): Json {
  return { type: 'input_image', image_url: imageUrl(block.source), detail: 'auto' };
}

function documentPart(block: DocumentBlock): Json {
  const name = block.title ? { filename: block.title } : {};
  if (block.source.kind === 'text') return { type: 'input_text', text: block.title ? `[Document "${block.title}"]\n${block.source.data}` : block.source.data };
  if (block.source.kind === 'url') return { type: 'input_file', file_url: block.source.url, ...name };
  return { type: 'input_file', file_data: `data:${block.source.mediaType};base64,${block.source.data}`, filename: block.title ?? 'document.pdf' };
}

function resultOutput(block: ToolResultBlock): string | Json[] {
  const hasImage = block.content.some((b) => b.type === 'image');
  const prefix = block.isError ? TOOL_ERROR_PREFIX : '';
  if (!hasImage) {
    const text = block.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n\n');
    return prefix + (text === '' ? NO_OUTPUT : text);
  }
  const parts = block.content.map((b) => (b.type === 'text' ? { type: 'input_text', text: b.text } : imagePart(b)));
  return prefix ? [{ type: 'input_text', text: prefix.trim() }, ...parts] : parts;
}

function encodeUser(message: Message): Json[] {
  const items: Json[] = [];
  const parts: Json[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result') items.push({ type: 'function_call_output', call_id: block.toolUseId, output: resultOutput(block) });
    else if (block.type === 'text') parts.push({ type: 'input_text', text: block.text });
    else if (block.type === 'image') parts.push(imagePart(block));
    else if (block.type === 'document') parts.push(documentPart(block));
  }
  if (parts.length > 0) items.push({ type: 'message', role: 'user', content: parts });
  return items;
}

function encodeAssistant(message: Message, target: BackendTarget, ctx: TranslationContext): Json[] {
  const items: Json[] = [];
  let texts: Json[] = [];
  const flushText = () => {
    if (texts.length > 0) items.push({ type: 'message', role: 'assistant', content: texts });
    texts = [];
  };
  for (const block of message.content as ContentBlock[]) {
    if (block.type === 'text') texts.push({ type: 'output_text', text: block.text });
    else if (block.type === 'thinking' && target.echoReasoning && block.thinking !== '') {
      flushText();
      items.push({ type: 'reasoning', summary: [{ type: 'summary_text', text: block.thinking }] });
    } else if (block.type === 'tool_use') {
      flushText();
      items.push({ type: 'function_call', call_id: block.id, name: ctx.toolNames.wire(block.name), arguments: JSON.stringify(block.input) });
    }
    // images, documents and redacted thinking cannot be said by an assistant in this format
  }
  flushText();
  return items;
}

function encodeToolChoice(choice: ToolChoice, target: BackendTarget, ctx: TranslationContext): unknown {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'none':
      return 'none';
    case 'any':
      return target.noForcedToolChoice ? 'auto' : 'required';
    case 'tool':
      return target.noForcedToolChoice ? 'auto' : { type: 'function', name: ctx.toolNames.wire(choice.name) };
  }
}

function maxTokens(request: ChatRequest, target: BackendTarget): number | undefined {
  if (request.maxTokens === undefined) return target.maxOutputTokens;
  return target.maxOutputTokens === undefined ? request.maxTokens : Math.min(request.maxTokens, target.maxOutputTokens);
}

const EFFORT: Record<string, string> = { minimal: 'minimal', low: 'low', medium: 'medium', high: 'high', max: 'xhigh' };

export function encodeRequest(request: ChatRequest, target: BackendTarget, ctx: TranslationContext): Record<string, unknown> {
  if (request.stopSequences && request.stopSequences.length > 0) {
    throw invalidRequest('stop sequences cannot be sent to a Responses backend (the format has no such field): leave them out', 'stop_sequences');
  }
  const input: Json[] = [];
  for (const message of request.messages) {
    if (message.role === 'system') {
      const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n\n');
      input.push({ type: 'message', role: 'developer', content: [{ type: 'input_text', text }] });
    } else if (message.role === 'user') input.push(...encodeUser(message));
    else input.push(...encodeAssistant(message, target, ctx));
  }
  const body: Record<string, unknown> = { model: target.model, input, store: false };
  if (request.system.length > 0) body.instructions = request.system.map((b) => b.text).join('\n\n');
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => ({
      type: 'function',
      name: ctx.toolNames.wire(t.name),
      ...(t.description !== undefined ? { description: t.description } : {}),
      parameters: t.inputSchema,
      strict: t.strict ?? false,
    }));
    if (request.toolChoice) body.tool_choice = encodeToolChoice(request.toolChoice, target, ctx);
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  const max = maxTokens(request, target);
  if (max !== undefined) body.max_output_tokens = max;
  if (!target.fixedSampling) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  const effort = request.thinking?.mode === 'disabled' ? undefined : request.thinking?.effort;
  if (effort) body.reasoning = { effort: EFFORT[effort] ?? 'medium' };
  if (request.outputFormat) {
    const { name, schema, strict, description } = request.outputFormat;
    body.text = { format: { type: 'json_schema', name, schema, ...(strict !== undefined ? { strict } : {}), ...(description ? { description } : {}) } };
  }
  if (request.userId) body.safety_identifier = safetyIdentifier(request.userId);
  if (request.stream) body.stream = true;
  return body;
}

/** OpenAI caps `safety_identifier` at 64 characters; a longer user id (Claude Code's is ~150) is sent as its SHA-256. */
const SAFETY_IDENTIFIER_MAX = 64;

function safetyIdentifier(userId: string): string {
  return userId.length <= SAFETY_IDENTIFIER_MAX ? userId : createHash('sha256').update(userId).digest('hex');
}
