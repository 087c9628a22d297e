/**
 * Crossed-format path: client request -> IR -> backend request; backend response (or stream)
 * -> IR -> client response (or stream). Upstream SSE is parsed with eventsource-parser.
 */
import { createParser } from 'eventsource-parser';
import type { BackendTarget, StreamDecoder, StreamEncoder, TranslationContext, WireCodec } from '../../codecs/codec';
import type { ChatRequest, ChatResponse } from '../../ir/conversation';
import { newResponseId } from '../../codecs/minted-ids';
import { StreamCollector } from '../../responses-store';
import { ApiErrorException, apiError } from '../../ir/errors';
import type { StreamEvent } from '../../ir/stream';
import { ToolNameMap } from '../../translate/tool-names';
import { outputFormatRefusal } from '../../codecs/responses';
import { BACKEND_ADAPT } from '../adapt/anthropic-compat';
import { codecFor } from '../../codecs/registry';
import { SSE_HEADERS } from '../sse/sse-headers';
import { connectionError, type UpstreamResponse } from '../upstream/upstream-client';
import { relayedResponseHeaders } from '../upstream/upstream-target';
import { tooLongRefusal } from './context-window';
import type { ProxyRequest } from './proxy-request';
import { readText, textChunks } from '../upstream/http-post';
import { sendUpstream } from './upstream-call';

export async function translate(ex: ProxyRequest): Promise<void> {
  const clientCodec = codecFor(ex.clientFormat);
  const backendCodec = codecFor(ex.backend.format);
  const request = ex.chatRequest();
  const unenforceable = outputFormatRefusal(request, ex.backend.format);
  if (unenforceable) return ex.fail(unenforceable);
  const ctx = translationContext(ex, request);
  const leftOut = clientCodec.wire.toolsLeftOut(ex.body);
  if (leftOut.length) ex.record.note(`tools left out (${ex.backend.id} cannot run them): ${leftOut.join(', ')}`);
  const target: BackendTarget = {
    model: ex.upstreamModel,
    ...(ex.backend.maxOutputTokens !== undefined ? { maxOutputTokens: ex.backend.maxOutputTokens } : {}),
    fixedSampling: ex.quirks.fixedSampling,
    echoReasoning: ex.quirks.echoReasoning,
    noForcedToolChoice: ex.quirks.noForcedToolChoice,
  };
  let body = backendCodec.encodeRequest(request, target, ctx);
  body = BACKEND_ADAPT[ex.backend.format](body, ex.backend);
  ex.record.upstreamRequest(body);

  if (request.stream) ex.client.startPings(clientCodec.wire.pingFrame, ex.deps.pingIntervalMs);
  const sent = await sendUpstream(ex, body, { operation: 'chat' });
  if (!sent.ok) {
    const { error } = sent.refusal;
    return ex.fail(tooLongRefusal(error, ex) ?? error);
  }
  const { response } = sent;
  if (!request.stream) return translateWhole(ex, response, backendCodec, clientCodec, ctx);
  ex.client.commit(200, { ...SSE_HEADERS, ...rateLimitHeaders(response) });
  return translateStream(ex, response, backendCodec.createStreamDecoder(ctx), clientCodec.createStreamEncoder(ctx), ctx);
}

function translationContext(ex: ProxyRequest, request: ChatRequest): TranslationContext {
  const ctx: TranslationContext = { toolNames: ToolNameMap.fromTools(request.tools), requestedModel: ex.requestedModel };
  const includeUsage = codecFor(ex.clientFormat).wire.wantsStreamUsage(ex.body);
  if (includeUsage !== undefined) ctx.includeUsage = includeUsage;
  if (ex.quirks.textToolCalls) ctx.textToolCalls = ex.quirks.textToolCalls;
  // Known up front: the answer is remembered under it for a later previous_response_id.
  if (request.responsesState) ctx.responseId = newResponseId(ex.clientFormat);
  return ctx;
}

/** Keeps a Responses client's answer for `previous_response_id` (store: false ones are not kept). */
function remember(ex: ProxyRequest, ctx: TranslationContext, answer: ChatResponse | undefined): void {
  const request = ex.chatRequest();
  if (answer && ctx.responseId !== undefined && request.responsesState) ex.deps.responsesStore.remember(ctx.responseId, request, answer);
}

function rateLimitHeaders(response: UpstreamResponse): Record<string, string> {
  const headers = relayedResponseHeaders(response.headers);
  delete headers['content-type'];
  return headers;
}

async function translateWhole(
  ex: ProxyRequest,
  response: UpstreamResponse,
  backendCodec: WireCodec,
  clientCodec: WireCodec,
  ctx: TranslationContext,
): Promise<void> {
  const text = await readText(response);
  let encoded: Record<string, unknown>;
  try {
    const decoded = backendCodec.decodeResponse(JSON.parse(text), ctx);
    ex.record.usage(decoded.usage);
    ex.record.upstreamId(decoded.id);
    encoded = clientCodec.encodeResponse(decoded, ctx);
    remember(ex, ctx, decoded);
  } catch (err) {
    if (err instanceof ApiErrorException) throw err;
    throw new ApiErrorException(malformed(ex, err));
  }
  ex.client.sendJson(200, rateLimitHeaders(response), JSON.stringify(encoded));
}

/** How long an upstream may take to end its body after the final event before it is cut. */
export const AFTER_FINAL_EVENT_MS = 1000;

async function translateStream(
  ex: ProxyRequest,
  response: UpstreamResponse,
  decoder: StreamDecoder,
  encoder: StreamEncoder,
  ctx: TranslationContext,
): Promise<void> {
  const collector = ctx.responseId !== undefined ? new StreamCollector() : undefined;
  let events: StreamEvent[] = [];
  let failure: unknown;
  const parser = createParser({
    onEvent: (message) => {
      if (failure !== undefined) return;
      try {
        events.push(...decoder.push(message.event !== undefined ? { event: message.event, data: message.data } : { data: message.data }));
      } catch (err) {
        failure = err;
      }
    },
  });
  const flush = async (): Promise<boolean> => {
    let out = '';
    let over = false;
    for (const event of events) {
      if (event.type === 'ping') continue; // the proxy sends its own keep-alives
      if (event.type === 'message_start') ex.record.upstreamId(event.id);
      if (event.type === 'message_start' || event.type === 'message_delta') ex.record.usage(event.usage);
      out += encoder.encode(event);
      collector?.push(event);
      if (event.type === 'message_stop' && collector) remember(ex, ctx, collector.response());
      if (event.type === 'message_stop' || event.type === 'error') {
        over = true;
        break;
      }
    }
    events = [];
    if (out) await ex.client.write(out);
    return over;
  };

  let endsWithCr = false;
  // Once the final event went out the client has its whole answer. What the upstream still
  // sends (`[DONE]`, the end of the body) is read and dropped, so its connection goes back to
  // the pool instead of being cut (a new connection for the next request); one that does not
  // end soon is cut.
  let answered = false;
  let cut: NodeJS.Timeout | undefined;
  try {
    for await (const text of textChunks(response)) {
      if (answered) continue;
      parser.feed(text);
      if (text) endsWithCr = text.endsWith('\r');
      if (failure !== undefined) return ex.fail(malformed(ex, failure));
      if (await flush()) {
        ex.client.end();
        answered = true;
        cut = setTimeout(() => response.body.destroy(), AFTER_FINAL_EVENT_MS);
      }
    }
  } catch (err) {
    if (answered || ex.signal.aborted || ex.client.isGone) return;
    return ex.fail(connectionError(ex.backend, err, ex.key, 'during'));
  } finally {
    clearTimeout(cut);
  }
  if (answered) return;
  // eventsource-parser holds a last lone CR waiting for an LF, and reset() does not end the line
  // with it: at the end of the stream it is a line end (CR-only SSE lost its last event).
  if (endsWithCr) parser.feed('\n');
  parser.reset({ consume: true });
  if (failure !== undefined) return ex.fail(malformed(ex, failure));
  try {
    events.push(...decoder.end());
  } catch (err) {
    return ex.fail(malformed(ex, err));
  }
  await flush();
  ex.client.end();
}

function malformed(ex: ProxyRequest, err: unknown) {
  const detail = err instanceof ApiErrorException ? err.apiError.message : err instanceof Error ? err.message : String(err);
  return apiError('api_error', `backend "${ex.backend.id}" sent a response Patchbay could not read: ${detail}`, { status: 502 });
}

