/**
 * IR response -> Responses JSON for a client. The id is always a fresh `resp_` of Patchbay's;
 * a max_tokens stop is `status: "incomplete"` with the reason, as OpenAI answers.
 */
import type { ChatResponse } from '../../ir/conversation';
import type { TranslationContext } from '../codec';
import { newResponsesId } from './ids';
import { outputItems } from './output-items';
import { responseEnvelope } from './response-envelope';
import { statusFromStopReason } from './response-status';

export function encodeResponse(response: ChatResponse, ctx: TranslationContext): Record<string, unknown> {
  const { status, incompleteReason } = statusFromStopReason(response.stopReason);
  return responseEnvelope(
    {
      id: ctx.responseId ?? newResponsesId('resp'),
      createdAt: Math.floor(Date.now() / 1000),
      status,
      output: outputItems(response.content),
      usage: response.usage,
      ...(incompleteReason ? { incompleteReason } : {}),
    },
    ctx,
  );
}
