/** IR request -> OpenAI Chat Completions request body for a backend (NIM, Moonshot /v1, ...). */
import type {
  ChatRequest,
  ContentBlock,
  DocumentBlock,
  ImageBlock,
  ImageSource,
  Message,
  ToolChoice,
  ToolResultBlock,
} from '../../ir/conversation';
import { fromAnthropicToolId } from '../../translate/tool-ids';
import type { BackendTarget, TranslationContext } from '../codec';
import type { WireContentPart, WireMessage, WireTool, WireToolCall, WireToolChoice } from './wire-types';
import { applyChatRequestQuirks } from '../../quirks/chat-request-edits';

export const NO_OUTPUT = '(no output)';
export const TOOL_ERROR_PREFIX = '[tool error] ';

function imageUrl(source: ImageSource): string {
  return source.kind === 'base64' ? `data:${source.mediaType};base64,${source.data}` : source.url;
}

function imagePart(block: ImageBlock): WireContentPart {
  return { type: 'image_url', image_url: { url: imageUrl(block.source) } };
}

function documentText(block: DocumentBlock): string {
  const title = block.title ? ` "${block.title}"` : '';
  if (block.source.kind === 'text') return block.title ? `[Document${title}]\n${block.source.data}` : block.source.data;
  const what = block.source.kind === 'url' ? `at ${block.source.url}` : `(${block.source.mediaType})`;
  return `[Document${title} ${what} omitted: this backend cannot read binary documents]`;
}

function textOf(blocks: ContentBlock[]): string {
  return blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('\n\n');
}

/** User-visible parts of a user message (text, images, documents). */
function userParts(blocks: ContentBlock[]): WireContentPart[] {
  const parts: WireContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image') parts.push(imagePart(block));
    else if (block.type === 'document') parts.push({ type: 'text', text: documentText(block) });
  }
  return parts;
}

function userMessage(parts: WireContentPart[]): WireMessage {
  const textOnly = parts.every((p) => p.type === 'text');
  if (textOnly) return { role: 'user', content: parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n\n') };
  return { role: 'user', content: parts };
}

function toolMessage(block: ToolResultBlock): { message: WireMessage; images: ImageBlock[] } {
  const images = block.content.filter((b): b is ImageBlock => b.type === 'image');
  let content = textOf(block.content);
  if (images.length > 0) {
    const note = `[${images.length} image(s) from this tool result follow in the next user message]`;
    content = content === '' ? note : `${content}\n\n${note}`;
  }
  if (content === '') content = NO_OUTPUT;
  if (block.isError) content = TOOL_ERROR_PREFIX + content;
  return { message: { role: 'tool', tool_call_id: fromAnthropicToolId(block.toolUseId), content }, images };
}

function encodeUser(message: Message): WireMessage[] {
  const out: WireMessage[] = [];
  const resultImages: WireContentPart[] = [];
  for (const block of message.content) {
    if (block.type !== 'tool_result') continue;
    const { message: tool, images } = toolMessage(block);
    out.push(tool);
    if (images.length > 0) {
      resultImages.push({ type: 'text', text: `Images from the result of tool call ${fromAnthropicToolId(block.toolUseId)}:` });
      resultImages.push(...images.map(imagePart));
    }
  }
  if (resultImages.length > 0) out.push({ role: 'user', content: resultImages });
  const parts = userParts(message.content);
  if (parts.length > 0) out.push(userMessage(parts));
  return out;
}

function encodeAssistant(message: Message, target: BackendTarget, ctx: TranslationContext): WireMessage {
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: WireToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'thinking') thinking.push(block.thinking);
    else if (block.type === 'document') texts.push(documentText(block));
    else if (block.type === 'image') texts.push('[image omitted: assistant messages cannot carry images in this format]');
    else if (block.type === 'tool_use')
      toolCalls.push({
        id: fromAnthropicToolId(block.id),
        type: 'function',
        function: { name: ctx.toolNames.wire(block.name), arguments: JSON.stringify(block.input) },
      });
    // redacted_thinking is opaque to any other model: dropped
  }
  const text = texts.join('\n\n');
  const out: WireMessage = { role: 'assistant', content: toolCalls.length > 0 && text === '' ? null : text };
  if (target.echoReasoning && thinking.length > 0) out.reasoning_content = thinking.join('\n\n');
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  return out;
}

function encodeToolChoice(choice: ToolChoice, ctx: TranslationContext): WireToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: ctx.toolNames.wire(choice.name) } };
  }
}

export function encodeMessages(request: ChatRequest, target: BackendTarget, ctx: TranslationContext): WireMessage[] {
  const messages: WireMessage[] = [];
  if (request.system.length > 0) messages.push({ role: 'system', content: request.system.map((b) => b.text).join('\n\n') });
  for (const message of request.messages) {
    if (message.role === 'system') messages.push({ role: 'system', content: textOf(message.content) });
    else if (message.role === 'user') messages.push(...encodeUser(message));
    else messages.push(encodeAssistant(message, target, ctx));
  }
  return messages;
}

function maxTokens(request: ChatRequest, target: BackendTarget): number | undefined {
  if (request.maxTokens === undefined) return target.maxOutputTokens;
  return target.maxOutputTokens === undefined ? request.maxTokens : Math.min(request.maxTokens, target.maxOutputTokens);
}

export function encodeRequest(request: ChatRequest, target: BackendTarget, ctx: TranslationContext): Record<string, unknown> {
  const body: Record<string, unknown> = { model: target.model, messages: encodeMessages(request, target, ctx) };
  if (request.tools.length > 0) {
    body.tools = request.tools.map(
      (t): WireTool => ({
        type: 'function',
        function: {
          name: ctx.toolNames.wire(t.name),
          ...(t.description !== undefined ? { description: t.description } : {}),
          parameters: t.inputSchema,
          ...(t.strict !== undefined ? { strict: t.strict } : {}),
        },
      }),
    );
    if (request.toolChoice) body.tool_choice = encodeToolChoice(request.toolChoice, ctx);
    if (request.parallelToolCalls === false) body.parallel_tool_calls = false;
  }
  const max = maxTokens(request, target);
  if (max !== undefined) body.max_tokens = max;
  if (!target.fixedSampling) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  if (request.stopSequences && request.stopSequences.length > 0) body.stop = request.stopSequences;
  if (request.outputFormat) {
    const { name, schema, strict, description } = request.outputFormat;
    // Chat Completions' structured output (OpenAI, vLLM/NIM guided decoding).
    body.response_format = {
      type: 'json_schema',
      json_schema: { name, schema, ...(strict !== undefined ? { strict } : {}), ...(description !== undefined ? { description } : {}) },
    };
  }
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return applyChatRequestQuirks(body, target);
}
