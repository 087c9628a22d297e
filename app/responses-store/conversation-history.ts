/**
 * The conversation a Responses answer ends, as kept for a follow-up (`previous_response_id`),
 * and the follow-up request rebuilt from it. OpenAI's rules: a follow-up is served as if its
 * `input` came after the earlier request's input and output; the earlier `instructions` are not
 * inherited (the follow-up's own, if any, stand in their place); developer messages of an
 * earlier input are kept. The rebuilt request is what the client would have decoded to had it
 * sent the whole history itself (as Codex does).
 */
import type { ChatRequest, ContentBlock, Message, OutputBlock, TextBlock } from '../ir/conversation';
import { invalidRequest } from '../ir/errors';

/** Everything before a follow-up's own input: system blocks (no `instructions`) and turns. */
export interface ConversationHistory {
  system: TextBlock[];
  messages: Message[];
}

/** The history a follow-up of this answer continues: the request's conversation, then the output. */
export function historyOf(request: ChatRequest, output: OutputBlock[]): ConversationHistory {
  const instructionBlocks = request.responsesState?.instructionBlocks ?? 0;
  const history = structuredClone({ system: request.system.slice(instructionBlocks), messages: request.messages });
  if (output.length > 0) appendTurn(history.messages, { role: 'assistant', content: structuredClone(output) });
  return history;
}

function toolUseIds(messages: Message[]): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) for (const b of m.content) if (b.type === 'tool_use') ids.add(b.id);
  return ids;
}

/**
 * `request` (which continues `previousId`) with `history` put before its own input. Every
 * function_call_output must answer a call made before it, in the history or the request.
 */
export function continueConversation(history: ConversationHistory, request: ChatRequest, previousId: string): ChatRequest {
  const earlier = structuredClone(history);
  const calls = toolUseIds(earlier.messages);
  const messages: Message[] = [...earlier.messages];
  for (const message of request.messages) {
    for (const block of message.content) {
      if (block.type === 'tool_use') calls.add(block.id);
      if (block.type === 'tool_result' && !calls.has(block.toolUseId)) {
        throw invalidRequest(
          `No tool call found for function call output with call_id ${block.toolUseId}: neither the input nor previous response '${previousId}' has a function_call with it.`,
          'input',
        );
      }
    }
    appendTurn(messages, { role: message.role, content: [...message.content] });
  }
  return { ...request, system: [...request.system, ...earlier.system], messages };
}

/** Assistant turns in a row fold into one, as the decoder folds assistant items. */
function appendTurn(messages: Message[], message: Message): void {
  const last = messages.at(-1);
  if (last?.role === 'assistant' && message.role === 'assistant') last.content = [...last.content, ...message.content];
  else if (last?.role === 'user' && message.role === 'user' && isToolResults(last.content) && isToolResults(message.content)) last.content = [...last.content, ...message.content];
  else messages.push(message);
}

function isToolResults(content: ContentBlock[]): boolean {
  return content.every((b) => b.type === 'tool_result');
}
