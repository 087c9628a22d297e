/**
 * Recent answers served to Responses clients, by the `resp_` id the client holds, so a follow-up
 * naming one (`previous_response_id`) is served with the whole conversation. Each entry holds the
 * full history up to and including its answer (no chain to walk: an evicted ancestor never breaks
 * a descendant), its size counted as the UTF-8 length of its JSON. Bounded by count, total size
 * and age (see BoundedLru). `store: false` requests (Codex) are never remembered.
 */
import type { ChatRequest, ChatResponse, OutputBlock } from '../ir/conversation';
import { BoundedLru } from './bounded-lru';
import type { BoundedLruLimits } from './bounded-lru';
import { continueConversation, historyOf } from './conversation-history';
import type { ConversationHistory } from './conversation-history';
import { previousResponseNotFound } from './errors';

export type ResponsesStoreLimits = BoundedLruLimits;

/** 500 answers, 64 MiB of history, kept an hour: a few long agent sessions on a laptop. */
export const DEFAULT_RESPONSES_STORE_LIMITS: Readonly<Omit<ResponsesStoreLimits, 'now'>> = {
  maxEntries: 500,
  maxSize: 64 * 1024 * 1024,
  ttlMs: 60 * 60 * 1000,
};

export class ResponsesStore {
  private readonly entries: BoundedLru<ConversationHistory>;

  constructor(limits: Partial<ResponsesStoreLimits> = {}) {
    this.entries = new BoundedLru({ ...DEFAULT_RESPONSES_STORE_LIMITS, ...limits });
  }

  /** Entries held and their total size (for stats and tests). */
  get stats(): { count: number; size: number } {
    return { count: this.entries.count, size: this.entries.size };
  }

  /**
   * Remember the answer `id` gave to `request` (the rebuilt one when it continued another).
   * Returns whether it is held: not for `store: false`, nor when it alone exceeds the size limit.
   */
  remember(id: string, request: ChatRequest, answer: ChatResponse | OutputBlock[]): boolean {
    if (request.responsesState?.store === false) return false;
    const history = historyOf(request, Array.isArray(answer) ? answer : answer.content);
    return this.entries.set(id, history, Buffer.byteLength(JSON.stringify(history), 'utf8'));
  }

  /** A copy of the conversation up to and including answer `id`; undefined when unknown or expired. */
  recall(id: string): ConversationHistory | undefined {
    const history = this.entries.get(id);
    return history ? structuredClone(history) : undefined;
  }

  /**
   * The request to serve: unchanged when it names no earlier response, else with that response's
   * conversation put before its input. Throws the 400 OpenAI answers for an unknown id.
   */
  expand(request: ChatRequest): ChatRequest {
    const previousId = request.responsesState?.previousResponseId;
    if (previousId === undefined) return request;
    const history = this.entries.get(previousId);
    if (!history) throw previousResponseNotFound(previousId);
    return continueConversation(history, request, previousId);
  }
}
