/** Backend `chat.completion` JSON -> IR response. */
import type { ChatResponse, OutputBlock } from '../../ir/conversation';
import { apiError, ApiErrorException } from '../../ir/errors';
import type { TranslationContext } from '../codec';
import { stopReasonFromFinish } from './finish-reason';
import { generatedCallId } from './ids';
import { parseToolArguments } from './tool-arguments';
import { usageFromWire } from './usage';
import { noCopyParser } from '../no-copy-parse';
import { wireCompletionSchema } from './wire-types';

const parseCompletion = noCopyParser(wireCompletionSchema);

function contentText(content: string | Array<{ type: string; text?: string | null }> | null | undefined): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => (p.type === 'text' ? (p.text ?? '') : '')).join('');
}

export function decodeResponse(body: unknown, ctx: TranslationContext): ChatResponse {
  const parsed = parseCompletion(body);
  if (!parsed.success) {
    throw new ApiErrorException(apiError('api_error', `upstream sent a malformed chat.completion: ${parsed.error.issues[0]?.message ?? 'invalid body'}`));
  }
  const completion = parsed.data;
  const choice = completion.choices.find((c) => (c.index ?? 0) === 0) ?? completion.choices[0];
  if (!choice) throw new ApiErrorException(apiError('api_error', 'upstream response had no choices'));
  const { message } = choice;

  const content: OutputBlock[] = [];
  if (message.reasoning_content) content.push({ type: 'thinking', thinking: message.reasoning_content });
  let text = contentText(message.content);
  let callCount = 0;
  const textCalls = ctx.textToolCalls?.split(text);
  if (textCalls) text = textCalls.text;
  if (text !== '') content.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id || generatedCallId(callCount),
      name: ctx.toolNames.original(call.function.name ?? ''),
      input: parseToolArguments(call.function.arguments ?? ''),
    });
    callCount++;
  }
  for (const call of textCalls?.calls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: ctx.toolNames.original(call.name), input: parseToolArguments(call.arguments) });
    callCount++;
  }

  return {
    id: completion.id ?? '', // the upstream's (for the log); '' when it gave none
    model: completion.model || ctx.requestedModel,
    content,
    // Kimi may say "stop" while calling tools: calls decide.
    stopReason: callCount > 0 ? 'tool_use' : stopReasonFromFinish(choice.finish_reason),
    usage: usageFromWire(completion.usage),
  };
}
