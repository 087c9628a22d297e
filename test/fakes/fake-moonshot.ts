/**
 * Fake Moonshot Anthropic-format endpoint (`/anthropic/v1/messages`) on 127.0.0.1:0.
 * Validates like Anthropic's API (see moonshot-validate.ts), enforces rpm, and answers with
 * the brain's Reply as Anthropic SSE / message, or its Failure as Anthropic error JSON.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { estimateTokens, listenOnLoopback, presentedKey, readBody, readJsonBody, sendJson } from './http-kit';
import { moonshotBlocks, moonshotMessage, streamMoonshotReply, type MoonshotReplyContext } from './moonshot-replies';
import { validateAnthropicRequest } from './moonshot-validate';
import { RateWindow } from './rate-window';
import { defaultBrain, isFailure, type Brain, type FakeUpstream, type RecordedRequest, type Reply } from './scenario';
import { seededRandom } from './seeded-random';

export const MOONSHOT_MODELS = ['kimi-k2.6', 'kimi-k2.7-code', 'kimi-k2.5', 'kimi-k2-0905-preview', 'kimi-k2-turbo-preview', 'kimi-k2-thinking', 'kimi-k2-thinking-turbo'];
export const MOONSHOT_CONTEXT_WINDOW = 262144;

function anthropicError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: 'error', error: { type, message } }, headers);
}

function countToolUses(body: { messages?: unknown }): number {
  if (!Array.isArray(body.messages)) return 0;
  let n = 0;
  for (const m of body.messages as Array<{ role?: unknown; content?: unknown }>) {
    if (m && m.role === 'assistant' && Array.isArray(m.content)) n += m.content.filter((b: { type?: unknown }) => b && b.type === 'tool_use').length;
  }
  return n;
}

export async function startFakeMoonshot(
  opts: {
    key?: string;
    rpm?: number;
    brain?: Brain;
    chunkSeed?: number;
    models?: string[];
    /** `unique` (default) a fresh `msg_` id per response; `repeated` the same id on every response. */
    responseIds?: 'unique' | 'repeated';
  } = {},
): Promise<FakeUpstream> {
  const key = opts.key ?? 'sk-fake-moonshot-' + randomUUID();
  const models = opts.models ?? MOONSHOT_MODELS;
  const requests: RecordedRequest[] = [];
  const window = new RateWindow(opts.rpm);
  const random = seededRandom(opts.chunkSeed ?? 1);
  let brain = opts.brain ?? defaultBrain;
  const newId = () => 'msg_' + randomUUID().replace(/-/g, '').slice(0, 24);
  const repeatedId = newId();

  function record(req: IncomingMessage, path: string, body: unknown): RecordedRequest {
    const rec: RecordedRequest = { method: req.method ?? '', path, headers: { ...req.headers }, body };
    requests.push(rec);
    return rec;
  }

  /** Shared front half of messages and count_tokens: record, auth, model, rpm, validation. */
  async function admit(req: IncomingMessage, res: ServerResponse, path: string, countTokens: boolean): Promise<{ rec: RecordedRequest; body: Record<string, unknown> } | undefined> {
    const body = await readJsonBody(req);
    const rec = record(req, path, body);
    const presented = presentedKey(req, true);
    if (presented !== key) {
      rec.rejected = presented === undefined ? 'missing key' : 'wrong key';
      anthropicError(res, 401, 'authentication_error', 'Invalid Authentication');
      return undefined;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      rec.rejected = 'body is not a JSON object';
      anthropicError(res, 400, 'invalid_request_error', 'There was an error parsing the body of your request as JSON');
      return undefined;
    }
    const b = body as Record<string, unknown>;
    if (typeof b.model === 'string' && !models.includes(b.model)) {
      rec.rejected = `unknown model ${b.model}`;
      anthropicError(res, 404, 'not_found_error', `model: ${b.model} not found`);
      return undefined;
    }
    const slot = window.take();
    if (!slot.ok) {
      rec.rejected = 'rpm exceeded';
      anthropicError(res, 429, 'rate_limit_error', `Your account has exceeded its rate limit of ${opts.rpm} requests per minute. Please try again later.`, { 'retry-after': String(slot.retryAfterSeconds) });
      return undefined;
    }
    const invalid = validateAnthropicRequest(b, countTokens);
    if (invalid) {
      rec.rejected = invalid;
      anthropicError(res, 400, 'invalid_request_error', invalid);
      return undefined;
    }
    return { rec, body: b };
  }

  async function messages(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const admitted = await admit(req, res, path, false);
    if (!admitted) return;
    const { rec, body } = admitted;
    const answer = brain(rec, requests.slice(0, -1));
    if (isFailure(answer)) {
      switch (answer.fail) {
        case 'rate_limit':
          return anthropicError(res, 429, 'rate_limit_error', 'Your account has hit a rate limit. Please try again later.', { 'retry-after': String(answer.retryAfterSeconds ?? 1) });
        case 'server_error':
          return anthropicError(res, answer.status ?? 500, 'api_error', 'Internal server error');
        case 'overloaded':
          return anthropicError(res, 529, 'overloaded_error', 'Overloaded');
        case 'context_overflow': {
          const tokens = MOONSHOT_CONTEXT_WINDOW + 1000;
          return anthropicError(res, 400, 'invalid_request_error', `prompt is too long: ${tokens} tokens > ${MOONSHOT_CONTEXT_WINDOW} maximum`);
        }
        case 'drop_mid_stream':
          break;
      }
    }
    const reply: Reply = isFailure(answer) ? { steps: [{ type: 'text', text: 'partial answer that never finishes' }] } : answer;
    const ctx: MoonshotReplyContext = {
      model: body.model as string,
      priorToolCalls: countToolUses(body),
      usage: reply.usage ?? { input: estimateTokens(body.messages), output: estimateTokens(reply.steps) },
    };
    const blocks = moonshotBlocks(reply.steps, ctx.priorToolCalls);
    const id = opts.responseIds === 'repeated' ? repeatedId : newId();
    const drop = isFailure(answer) && answer.fail === 'drop_mid_stream' ? (answer.afterSteps ?? 1) : undefined;
    if (body.stream === true) return streamMoonshotReply(res, blocks, ctx, { id, random, ...(drop !== undefined ? { dropAfterSteps: drop } : {}) });
    if (drop !== undefined) {
      res.socket?.destroy();
      return;
    }
    sendJson(res, 200, moonshotMessage(blocks, ctx, id));
  }

  async function countTokens(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const admitted = await admit(req, res, path, true);
    if (!admitted) return;
    const { body } = admitted;
    sendJson(res, 200, { input_tokens: estimateTokens([body.system ?? '', body.messages, body.tools ?? []]) });
  }

  const listening = await listenOnLoopback(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'HEAD') {
      res.writeHead(200).end();
      return;
    }
    if (req.method === 'POST' && path === '/anthropic/v1/messages') return messages(req, res, path);
    if (req.method === 'POST' && path === '/anthropic/v1/messages/count_tokens') return countTokens(req, res, path);
    await readBody(req);
    const rec = record(req, path, undefined);
    rec.rejected = `no route ${req.method} ${path}`;
    return anthropicError(res, 404, 'not_found_error', `Not found: ${req.method} ${path}`);
  });

  return {
    url: `http://127.0.0.1:${listening.port}/anthropic`,
    key,
    requests,
    setBrain(next: Brain) {
      brain = next;
    },
    connections: listening.connections,
    close: listening.close,
  };
}
