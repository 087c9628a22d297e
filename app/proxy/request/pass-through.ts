/**
 * Same-format path (Anthropic client -> Anthropic backend, OpenAI -> OpenAI): the request JSON
 * gets targeted edits only, the response is relayed as it arrives. Streams are relayed event
 * by event (never cut inside an event), with keep-alive pings while the upstream is silent and
 * an error event when the upstream fails or ends before the message is complete.
 */
import { createParser } from 'eventsource-parser';
import { apiError } from '../../ir/errors';
import { codecFor } from '../../codecs/registry';
import { PASS_THROUGH_EDITS } from '../adapt/pass-through-edits';
import { SseEventSplitter } from '../sse/sse-event-splitter';
import { STREAM_USAGE, withoutUsageChunks } from '../sse/usage-chunk-filter';
import { connectionError, type UpstreamResponse } from '../upstream/upstream-client';
import type { UpstreamErrorBody } from '../upstream/upstream-error-body';
import { relayedResponseHeaders } from '../upstream/upstream-target';
import { tooLongRefusal } from './context-window';
import type { ProxyRequest } from './proxy-request';
import { ResponseIdRewriter } from '../sse/response-ids';
import { UsageSniffer } from './usage-sniffer';
import { readText, textChunks } from '../upstream/http-post';
import { sendUpstream } from './upstream-call';

/** Statuses meaning "this backend has no count_tokens" (the caller then answers from the estimate). */
const COUNT_TOKENS_NOT_OFFERED = new Set([404, 405, 501]);

export class CountTokensNotOffered extends Error {
  constructor() {
    super('the backend does not offer count_tokens');
    this.name = 'CountTokensNotOffered';
  }
}

export async function passThrough(ex: ProxyRequest): Promise<void> {
  const { operation } = ex;
  const edit = PASS_THROUGH_EDITS[ex.clientFormat];
  let body = edit(ex.body, { backend: ex.backend, upstreamModel: ex.upstreamModel, quirks: ex.quirks, countTokens: operation === 'count_tokens' });
  const streaming = operation === 'chat' && body.stream === true;
  // Some formats carry stream usage only when asked: always ask, and hide it again if the client did not.
  let hideUsage = false;
  if (streaming) ({ body, hideUsage } = STREAM_USAGE[ex.clientFormat](body));
  ex.record.upstreamRequest(body);
  const splitter = new SseEventSplitter();
  if (streaming) ex.client.startPings(codecFor(ex.clientFormat).wire.pingFrame, ex.deps.pingIntervalMs, () => splitter.atBoundary);

  const sent = await sendUpstream(ex, body, {
    operation,
    keepUnread: (r) => operation === 'count_tokens' && COUNT_TOKENS_NOT_OFFERED.has(r.statusCode),
  });
  const { response } = sent;
  if (operation === 'count_tokens' && COUNT_TOKENS_NOT_OFFERED.has(response.statusCode)) {
    response.body.destroy();
    throw new CountTokensNotOffered();
  }
  if (!sent.ok) return relayError(ex, response, sent.refusal);
  if (!streaming) return relayWhole(ex, response);
  ex.client.commit(response.statusCode, { 'cache-control': 'no-cache', ...relayedResponseHeaders(response.headers) });
  return relayEvents(ex, response, splitter, hideUsage);
}

async function relayError(ex: ProxyRequest, response: UpstreamResponse, upstreamError: UpstreamErrorBody): Promise<void> {
  const { text, error } = upstreamError;
  const tooLong = ex.operation === 'chat' ? tooLongRefusal(error, ex) : undefined;
  if (tooLong) return ex.fail(tooLong);
  if (ex.client.isCommitted) return ex.fail(error);
  ex.record.failed(error, false);
  ex.client.sendJson(response.statusCode, relayedResponseHeaders(response.headers), text);
}

/** A whole response: read, given Patchbay's own response id, its usage noted, then sent. */
async function relayWhole(ex: ProxyRequest, response: UpstreamResponse): Promise<void> {
  let text: string;
  try {
    text = await readText(response);
  } catch (err) {
    if (ex.signal.aborted) return;
    return ex.fail(connectionError(ex.backend, err, ex.key, 'during'));
  }
  new UsageSniffer(ex.backend.format, (u) => ex.record.usage(u)).body(text);
  if (ex.operation === 'chat') text = responseIds(ex).body(text);
  // One write with its content-length, no chunked encoding.
  ex.client.sendJson(response.statusCode, relayedResponseHeaders(response.headers), text);
}

/** Rewrites the upstream's response ids to Patchbay's own; the upstream's goes to the request log. */
function responseIds(ex: ProxyRequest): ResponseIdRewriter {
  return new ResponseIdRewriter(ex.clientFormat, (id) => ex.record.upstreamId(id));
}

async function relayEvents(ex: ProxyRequest, response: UpstreamResponse, splitter: SseEventSplitter, hideUsage: boolean): Promise<void> {
  const wire = codecFor(ex.clientFormat).wire;
  const finished = { done: false };
  const usage = new UsageSniffer(ex.clientFormat, (u) => ex.record.usage(u));
  const ids = responseIds(ex);
  const parser = createParser({
    onEvent: (m) => {
      usage.event(m.data);
      finished.done ||= wire.isFinalEvent(m);
    },
  });
  try {
    for await (const text of textChunks(response)) {
      const events = splitter.push(text);
      if (!events) continue;
      // Whole events: a last CR ends a line, though eventsource-parser would wait for an LF (CR-only SSE).
      parser.feed(events.endsWith('\r') ? events + '\n' : events);
      const relayed = ids.events(hideUsage ? withoutUsageChunks(events) : events);
      if (relayed) await ex.client.write(relayed);
    }
  } catch (err) {
    if (ex.signal.aborted || ex.client.isGone) return;
    if (!finished.done) return ex.fail(connectionError(ex.backend, err, ex.key, 'during'));
  }
  const tail = splitter.takeTail();
  if (tail.trim() && !finished.done) {
    parser.feed(tail + '\n\n');
    const relayed = ids.events(hideUsage ? withoutUsageChunks(tail + '\n\n') : tail + '\n\n');
    if (relayed) await ex.client.write(relayed);
  }
  if (!finished.done) {
    return ex.fail(
      apiError('api_error', `the stream from backend "${ex.backend.id}" ended before the message was complete`, { status: 502 }),
    );
  }
  ex.client.end();
}
