/**
 * Fake NVIDIA NIM (OpenAI Chat Completions serving Kimi K2) on 127.0.0.1:0.
 * Validates strictly (see nim-validate.ts), enforces rpm, and answers with the brain's Reply
 * streamed like Kimi on NIM or with the brain's Failure in NIM's own error shapes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { estimateTokens, listenOnLoopback, presentedKey, readBody, readJsonBody, sendJson } from './http-kit';
import { nimCompletion, nimToolCalls, streamNimReply, type NimReplyContext } from './nim-replies';
import { reasoningKey, validateNimRequest } from './nim-validate';
import { RateWindow } from './rate-window';
import { defaultBrain, isFailure, type Brain, type Failure, type FakeUpstream, type RecordedRequest, type Reply } from './scenario';
import { seededRandom } from './seeded-random';

export const NIM_MODELS = ['moonshotai/kimi-k2.6', 'moonshotai/kimi-k2.5', 'moonshotai/kimi-k2-instruct-0905'];
/** Context window the fake reports in context_overflow errors. */
export const NIM_CONTEXT_WINDOW = 262144;

const PROBLEM = 'application/problem+json';

function problem(res: ServerResponse, status: number, title: string, detail?: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, detail === undefined ? { status, title } : { status, title, detail }, headers, PROBLEM);
}

function openAiError(res: ServerResponse, status: number, message: string, type = 'BadRequestError'): void {
  sendJson(res, status, { error: { message, type, param: null, code: status } });
}

function countToolCalls(body: { messages?: unknown }): number {
  if (!Array.isArray(body.messages)) return 0;
  let n = 0;
  for (const m of body.messages as Array<{ role?: unknown; tool_calls?: unknown }>) {
    if (m && m.role === 'assistant' && Array.isArray(m.tool_calls)) n += m.tool_calls.length;
  }
  return n;
}

export async function startFakeNim(
  opts: {
    key?: string;
    rpm?: number;
    brain?: Brain;
    chunkSeed?: number;
    models?: string[];
    /** Clock of the rpm window (default Date.now): share a test's manual clock to pace without waiting. */
    now?: () => number;
    /**
     * Enforce a context window like vLLM does: prompt tokens (estimated) + max_tokens (default
     * 32768 when absent) must fit, else 400 with vLLM's wording and both counts.
     */
    contextWindow?: number;
    /**
     * Ids of the responses, as OpenAI-compatible servers do it: `unique` (default) a fresh
     * `chatcmpl-` id per response, `repeated` the same id on every response, `omitted` no `id` at all.
     */
    responseIds?: 'unique' | 'repeated' | 'omitted';
  } = {},
): Promise<FakeUpstream> {
  const key = opts.key ?? 'nvapi-fake-' + randomUUID();
  const models = opts.models ?? NIM_MODELS;
  const requests: RecordedRequest[] = [];
  const window = new RateWindow(opts.rpm);
  const random = seededRandom(opts.chunkSeed ?? 1);
  const idsWithReasoning = new Set<string>();
  let brain = opts.brain ?? defaultBrain;
  const repeatedId = 'chatcmpl-' + randomUUID().replace(/-/g, '');
  const responseId = (): string | undefined =>
    opts.responseIds === 'omitted' ? undefined : opts.responseIds === 'repeated' ? repeatedId : 'chatcmpl-' + randomUUID().replace(/-/g, '');

  function record(req: IncomingMessage, path: string, body: unknown): RecordedRequest {
    const rec: RecordedRequest = { method: req.method ?? '', path, headers: { ...req.headers }, body };
    requests.push(rec);
    return rec;
  }

  async function fail(res: ServerResponse, failure: Failure, body: Record<string, unknown>, reply: () => Promise<void>): Promise<void> {
    switch (failure.fail) {
      case 'rate_limit': {
        const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
        return problem(res, 429, 'Too Many Requests', undefined, headers);
      }
      case 'server_error': {
        const status = failure.status ?? 500;
        const titles: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
        return problem(res, status, titles[status] ?? 'Internal Server Error');
      }
      case 'overloaded':
        return problem(res, 503, 'Service Unavailable', 'The server is overloaded, please retry later');
      case 'context_overflow': {
        const completion = typeof body.max_tokens === 'number' ? body.max_tokens : 32768;
        const inMessages = NIM_CONTEXT_WINDOW + 1000;
        return openAiError(
          res,
          400,
          `This model's maximum context length is ${NIM_CONTEXT_WINDOW} tokens. However, you requested ${inMessages + completion} tokens (${inMessages} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`,
        );
      }
      case 'drop_mid_stream':
        return reply();
    }
  }

  async function chat(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body = await readJsonBody(req);
    const rec = record(req, path, body);
    const history = requests.slice(0, -1);
    const presented = presentedKey(req, false);
    if (presented === undefined) {
      rec.rejected = 'missing Authorization header';
      return problem(res, 401, 'Unauthorized', 'Header of type `authorization` was missing');
    }
    if (presented !== key) {
      rec.rejected = 'wrong key';
      return problem(res, 401, 'Unauthorized', 'Authentication failed');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      rec.rejected = 'body is not a JSON object';
      return openAiError(res, 400, 'Invalid JSON body');
    }
    const b = body as Record<string, unknown>;
    if (typeof b.model === 'string' && !models.includes(b.model)) {
      rec.rejected = `unknown model ${b.model}`;
      return problem(res, 404, 'Not Found', `Function for model '${b.model}' not found for account`);
    }
    const slot = window.take(opts.now?.());
    if (!slot.ok) {
      rec.rejected = 'rpm exceeded';
      return problem(res, 429, 'Too Many Requests', undefined, { 'retry-after': String(slot.retryAfterSeconds) });
    }
    const invalid = validateNimRequest(b, idsWithReasoning);
    if (invalid) {
      rec.rejected = invalid;
      return openAiError(res, 400, invalid);
    }
    if (opts.contextWindow !== undefined) {
      const inMessages = estimateTokens([b.messages, b.tools ?? []]);
      const completion = typeof b.max_tokens === 'number' ? b.max_tokens : typeof b.max_completion_tokens === 'number' ? b.max_completion_tokens : 32768;
      if (inMessages + completion > opts.contextWindow) {
        rec.rejected = 'context window exceeded';
        return openAiError(
          res,
          400,
          `This model's maximum context length is ${opts.contextWindow} tokens. However, you requested ${inMessages + completion} tokens (${inMessages} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`,
        );
      }
    }

    const answer = brain(rec, history);
    const reply: Reply = isFailure(answer) ? { steps: [{ type: 'text', text: 'partial answer that never finishes' }] } : answer;
    const ctx: NimReplyContext = {
      model: b.model as string,
      priorToolCalls: countToolCalls(b),
      usage: reply.usage ?? { input: estimateTokens(b.messages), output: estimateTokens(reply.steps) },
    };
    const reasoned = reply.steps.some((s) => s.type === 'reasoning');
    if (reasoned) for (const call of nimToolCalls(reply.steps, ctx.priorToolCalls).values()) idsWithReasoning.add(reasoningKey(b.messages, call.id, call.arguments));

    const id = responseId();
    const stream = b.stream === true;
    const includeUsage = stream && (b.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const send = async (dropAfterSteps?: number): Promise<void> => {
      if (stream) return streamNimReply(res, reply, ctx, { id, includeUsage, random, ...(dropAfterSteps !== undefined ? { dropAfterSteps } : {}) });
      if (dropAfterSteps !== undefined) {
        res.socket?.destroy();
        return;
      }
      sendJson(res, 200, nimCompletion(reply, ctx, id));
    };
    if (isFailure(answer)) {
      return fail(res, answer, b, () => send(answer.fail === 'drop_mid_stream' ? (answer.afterSteps ?? 1) : undefined));
    }
    return send();
  }

  const listening = await listenOnLoopback(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'HEAD') {
      res.writeHead(200).end();
      return;
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(req, res, path);
    await readBody(req);
    const rec = record(req, path, undefined);
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1735689600, owned_by: id.split('/')[0] })) });
    }
    rec.rejected = `no route ${req.method} ${path}`;
    return problem(res, 404, 'Not Found', `no route ${req.method} ${path}`);
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
