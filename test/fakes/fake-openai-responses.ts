/**
 * Fake of OpenAI's own Responses API (`POST /v1/responses`, `GET /v1/models`) on 127.0.0.1:0.
 * Bearer key, strict validation (responses-validate.ts), rpm, a context window, and the brain's
 * Reply streamed with the full event sequence (responses-replies.ts) or its Failure in OpenAI's
 * error shape: `{"error":{message,type,param,code}}`, 429s with retry-after and x-ratelimit-*.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { estimateTokens, listenOnLoopback, presentedKey, readBody, readJsonBody, sendJson } from './http-kit';
import { RateWindow } from './rate-window';
import { outputItems, reasoningSealer, responseObject, streamResponsesReply, type ResponsesReplyContext } from './responses-replies';
import { validateResponsesRequest } from './responses-validate';
import { defaultBrain, isFailure, type Brain, type Failure, type FakeUpstream, type RecordedRequest, type Reply } from './scenario';
import { seededRandom } from './seeded-random';

export const OPENAI_MODELS = ['gpt-5', 'gpt-5-mini', 'gpt-5-codex', 'o4-mini', 'gpt-4.1'];
/** Context window the fake enforces by default (gpt-5's input limit). */
export const OPENAI_CONTEXT_WINDOW = 272000;
export const CONTEXT_OVERFLOW_MESSAGE = 'Your input exceeds the context window of this model. Please adjust your input and try again.';

function openAiError(res: ServerResponse, status: number, message: string, type: string, param: string | null, code: string | null, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message, type, param, code } }, headers);
}

/** OpenAI shows a wrong key masked: its first 3 and last 4 characters. */
function masked(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(Math.min(40, key.length - 7))}${key.slice(-4)}`;
}

/** x-ratelimit-* as OpenAI sends them (resets as durations like `1s`, `6m0s`). */
function rateLimitHeaders(rpm: number, remaining: number, resetSeconds: number): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(rpm),
    'x-ratelimit-remaining-requests': String(remaining),
    'x-ratelimit-reset-requests': `${resetSeconds}s`,
    'x-ratelimit-limit-tokens': '30000000',
    'x-ratelimit-remaining-tokens': '29999000',
    'x-ratelimit-reset-tokens': '2ms',
  };
}

export async function startFakeOpenAiResponses(
  opts: {
    key?: string;
    rpm?: number;
    brain?: Brain;
    chunkSeed?: number;
    models?: string[];
    /** Input tokens (estimated) above this are refused with context_length_exceeded. */
    contextWindow?: number;
  } = {},
): Promise<FakeUpstream> {
  const key = opts.key ?? 'sk-proj-fake-' + randomUUID().replace(/-/g, '');
  const models = opts.models ?? OPENAI_MODELS;
  const rpm = opts.rpm;
  const requests: RecordedRequest[] = [];
  const window = new RateWindow(rpm);
  const random = seededRandom(opts.chunkSeed ?? 1);
  const sealer = reasoningSealer(randomUUID());
  const contextWindow = opts.contextWindow ?? OPENAI_CONTEXT_WINDOW;
  let brain = opts.brain ?? defaultBrain;

  function record(req: IncomingMessage, path: string, body: unknown): RecordedRequest {
    const rec: RecordedRequest = { method: req.method ?? '', path, headers: { ...req.headers }, body };
    requests.push(rec);
    return rec;
  }

  /** Bearer auth as OpenAI does it; answers and returns false when refused. */
  function authorized(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): boolean {
    const presented = presentedKey(req, false);
    if (presented === undefined) {
      rec.rejected = 'missing key';
      openAiError(res, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.", 'invalid_request_error', null, null);
      return false;
    }
    if (presented !== key) {
      rec.rejected = 'wrong key';
      openAiError(res, 401, `Incorrect API key provided: ${masked(presented)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key');
      return false;
    }
    return true;
  }

  function fail(res: ServerResponse, failure: Exclude<Failure, { fail: 'drop_mid_stream' }>, model: string): void {
    switch (failure.fail) {
      case 'rate_limit': {
        const wait = failure.retryAfterSeconds ?? 1;
        const limit = rpm ?? 500;
        return openAiError(
          res,
          429,
          `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${wait}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          'requests',
          null,
          'rate_limit_exceeded',
          { 'retry-after': String(wait), ...rateLimitHeaders(limit, 0, wait) },
        );
      }
      case 'server_error':
        return openAiError(res, failure.status ?? 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, null);
      case 'overloaded':
        return openAiError(res, 503, 'The engine is currently overloaded, please try again later.', 'server_error', null, null);
      case 'context_overflow':
        return openAiError(res, 400, CONTEXT_OVERFLOW_MESSAGE, 'invalid_request_error', 'input', 'context_length_exceeded');
    }
  }

  async function responses(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body = await readJsonBody(req);
    const rec = record(req, path, body);
    if (!authorized(req, res, rec)) return;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      rec.rejected = 'body is not a JSON object';
      return openAiError(res, 400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)", 'invalid_request_error', null, null);
    }
    const b = body as Record<string, unknown>;
    if (typeof b.model === 'string' && !models.includes(b.model)) {
      rec.rejected = `unknown model ${b.model}`;
      return openAiError(res, 404, `The model '${b.model}' does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found');
    }
    const slot = window.take();
    if (!slot.ok) {
      rec.rejected = 'rpm exceeded';
      return fail(res, { fail: 'rate_limit', retryAfterSeconds: slot.retryAfterSeconds }, String(b.model));
    }
    const refusal = validateResponsesRequest(b, sealer.verify);
    if (refusal) {
      rec.rejected = refusal.message;
      return openAiError(res, refusal.status, refusal.message, 'invalid_request_error', refusal.param, refusal.code);
    }
    if (estimateTokens([b.instructions ?? '', b.input, b.tools ?? []]) > contextWindow) {
      rec.rejected = 'context window exceeded';
      return fail(res, { fail: 'context_overflow' }, b.model as string);
    }

    const answer = brain(rec, requests.slice(0, -1));
    if (isFailure(answer) && answer.fail !== 'drop_mid_stream') return fail(res, answer, b.model as string);
    const reply: Reply = isFailure(answer) ? { steps: [{ type: 'text', text: 'partial answer that never finishes' }] } : answer;
    const encryptReasoning = Array.isArray(b.include) && b.include.includes('reasoning.encrypted_content');
    const ctx: ResponsesReplyContext = {
      id: 'resp_' + randomUUID().replace(/-/g, ''),
      model: b.model as string,
      usage: reply.usage ?? { input: estimateTokens([b.instructions ?? '', b.input]), output: estimateTokens(reply.steps) },
      encryptReasoning,
      request: b,
    };
    const items = outputItems(reply, encryptReasoning ? sealer.seal : undefined);
    const drop = isFailure(answer) && answer.fail === 'drop_mid_stream' ? (answer.afterSteps ?? 1) : undefined;
    if (b.stream === true) return streamResponsesReply(res, items, ctx, { random, ...(drop !== undefined ? { dropAfterItems: drop } : {}) });
    if (drop !== undefined) {
      res.socket?.destroy();
      return;
    }
    sendJson(res, 200, responseObject(ctx, 'completed', items), rpm !== undefined ? rateLimitHeaders(rpm, 0, 1) : {});
  }

  const listening = await listenOnLoopback(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'POST' && path === '/v1/responses') return responses(req, res, path);
    await readBody(req);
    const rec = record(req, path, undefined);
    if (req.method === 'GET' && path === '/v1/models') {
      if (!authorized(req, res, rec)) return;
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1735689600, owned_by: 'openai' })) });
    }
    rec.rejected = `no route ${req.method} ${path}`;
    return openAiError(res, 404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error', null, null);
  });

  return {
    url: `http://127.0.0.1:${listening.port}/v1`,
    key,
    requests,
    setBrain(next: Brain) {
      brain = next;
    },
    connections: listening.connections,
    close: listening.close,
  };
}
