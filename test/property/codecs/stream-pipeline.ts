/**
 * The crossed-format stream path of app/proxy/request/translate.ts, without sockets: upstream
 * bytes as they arrive -> UTF-8 -> eventsource-parser -> backend decoder -> IR events -> client
 * encoder, ending as the proxy ends it (message_stop or error written, or the decoder's end(),
 * or the client's error event when the decoder refuses the stream).
 */
import { createParser } from 'eventsource-parser';
import type { SseMessage, TranslationContext, WireFormat } from '../../../app/codecs/codec';
import { codecFor } from '../../../app/codecs/registry';
import { ApiErrorException, apiError } from '../../../app/ir/errors';
import type { StreamEvent } from '../../../app/ir/stream';
import type { ChatResponse } from '../../../app/ir/conversation';
import { StreamCollector } from '../../../app/responses-store';

export interface PipelineResult {
  /** The answer the stream carried, as the Responses store rebuilds it (only a finished stream has one). */
  collected: ChatResponse | undefined;
  /** What the client received, in its own format. */
  clientText: string;
  /** The decoder refused the stream (an ApiErrorException); the client got the error event. */
  refused: boolean;
}

/** A decoder may refuse a stream only deliberately (ApiErrorException); anything else is a bug. */
function refusal(err: unknown): ApiErrorException {
  if (err instanceof ApiErrorException) return err;
  throw err;
}

export function runStreamPipeline(backend: WireFormat, client: WireFormat, chunks: Uint8Array[], ctx: TranslationContext): PipelineResult {
  const decoder = codecFor(backend).createStreamDecoder(ctx);
  const encoder = codecFor(client).createStreamEncoder(ctx);
  const collector = new StreamCollector();
  let pending: StreamEvent[] = [];
  let failure: ApiErrorException | undefined;
  let clientText = '';
  let over = false;
  const parser = createParser({
    onEvent: (e) => {
      if (failure || over) return;
      const message: SseMessage = e.event !== undefined ? { event: e.event, data: e.data } : { data: e.data };
      try {
        pending.push(...decoder.push(message));
      } catch (err) {
        failure = refusal(err);
      }
    },
  });
  const flush = (): void => {
    for (const event of pending) {
      if (event.type === 'ping') continue;
      clientText += encoder.encode(event);
      collector.push(event);
      if (event.type === 'message_stop' || event.type === 'error') {
        over = true;
        break;
      }
    }
    pending = [];
  };
  const fail = (err: ApiErrorException): PipelineResult => {
    const error = apiError('api_error', `backend sent a response Patchbay could not read: ${err.apiError.message}`, { status: 502 });
    return { clientText: clientText + codecFor(client).wire.streamErrorEventText(error, ctx.requestedModel), refused: true, collected: undefined };
  };

  const utf8 = new TextDecoder();
  let endsWithCr = false;
  const feed = (text: string): void => {
    parser.feed(text);
    if (text) endsWithCr = text.endsWith('\r');
  };
  for (const chunk of chunks) {
    feed(utf8.decode(chunk, { stream: true }));
    if (failure) return fail(failure);
    flush();
    if (over) return { clientText, refused: false, collected: collector.response() };
  }
  feed(utf8.decode());
  // As translate.ts: a last lone CR is a line end at the end of the stream.
  if (endsWithCr) parser.feed('\n');
  parser.reset({ consume: true });
  if (failure) return fail(failure);
  try {
    pending.push(...decoder.end());
  } catch (err) {
    return fail(refusal(err));
  }
  flush();
  return { clientText, refused: false, collected: collector.response() };
}

/** Upstream SSE bytes in pieces -> messages, read as translate.ts reads them (a last lone CR ends its line). */
export function readUpstreamSse(chunks: Uint8Array[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createParser({ onEvent: (e) => out.push(e.event !== undefined ? { event: e.event, data: e.data } : { data: e.data }) });
  const utf8 = new TextDecoder();
  let text = '';
  for (const chunk of chunks) {
    const piece = utf8.decode(chunk, { stream: true });
    parser.feed(piece);
    if (piece) text = piece;
  }
  const rest = utf8.decode();
  parser.feed(rest);
  if ((rest || text).endsWith('\r')) parser.feed('\n');
  parser.reset({ consume: true });
  return out;
}

/** The client's SSE messages (as its SDK would split them). */
export function clientMessages(text: string): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createParser({ onEvent: (e) => out.push(e.event !== undefined ? { event: e.event, data: e.data } : { data: e.data }) });
  parser.feed(text);
  parser.feed('\n\n');
  return out;
}

/** A final message that reports a failure rather than a result. */
export function isErrorMessage(message: SseMessage): boolean {
  if (message.event === 'error' || message.event === 'response.failed') return true;
  try {
    const data = JSON.parse(message.data) as { type?: unknown; error?: unknown };
    return data.type === 'error' || data.type === 'response.failed' || (data.error !== undefined && data.error !== null && data.type === undefined);
  } catch {
    return false;
  }
}
