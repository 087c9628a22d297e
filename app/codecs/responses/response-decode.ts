/** Backend Responses JSON (`object: "response"`) -> IR response. */
import type { ChatResponse, OutputBlock } from '../../ir/conversation';
import { apiError, ApiErrorException } from '../../ir/errors';
import type { TranslationContext } from '../codec';
import { decodeWireErrorObject } from './errors';
import { newResponsesId } from './ids';
import { blocksOfItem } from './output-items';
import { stopReasonFromStatus } from './response-status';
import { usageFromWire } from './usage';
import { noCopyParser } from '../no-copy-parse';
import { wireResponseSchema } from './wire-types';

const parseResponse = noCopyParser(wireResponseSchema);

export function decodeResponse(body: unknown, ctx: TranslationContext): ChatResponse {
  const parsed = parseResponse(body);
  if (!parsed.success) {
    throw new ApiErrorException(apiError('api_error', `upstream sent a malformed response: ${parsed.error.issues[0]?.message ?? 'invalid body'}`));
  }
  const response = parsed.data;
  if (response.status === 'failed' || (response.error && response.status !== 'completed')) {
    throw new ApiErrorException(decodeWireErrorObject(response.error ?? {}));
  }
  const content: OutputBlock[] = [];
  let calls = 0;
  for (const item of response.output ?? []) {
    const blocks = blocksOfItem(item, ctx, calls);
    calls += blocks.filter((b) => b.type === 'tool_use').length;
    content.push(...blocks);
  }
  return {
    id: response.id || newResponsesId('resp'),
    model: response.model || ctx.requestedModel,
    content,
    stopReason: stopReasonFromStatus(response.status, response.incomplete_details?.reason, calls > 0),
    usage: usageFromWire(response.usage),
  };
}
