/**
 * Adapts an Anthropic Messages request for an Anthropic-format backend.
 *
 * Third-party hosts (Moonshot's /anthropic) do not know Claude Code's newest fields:
 * - `thinking: {type:"adaptive"}` becomes `enabled` with a budget below `max_tokens`;
 * - `output_config` and `context_management` are removed;
 * - mid-conversation `role:"system"` messages are folded into the adjacent user turn as a
 *   `<system-reminder>` text block (kept, never dropped);
 * - thinking blocks without a signature are kept (Kimi wants its reasoning echoed).
 * api.anthropic.com gets the request as is, except thinking blocks without a signature
 * (not Anthropic-signed, it would reject them) are removed.
 */
import type { WireFormat } from '../../codecs/codec';
import type { BackendConfig } from '../../config/schema';
import { isAnthropicFirstParty } from '../upstream/upstream-target';

type Json = Record<string, unknown>;

const MIN_THINKING_BUDGET = 1024;

export function adaptForAnthropicBackend(body: Json, firstParty: boolean): Json {
  if (firstParty) return fitThinkingBudget(dropUnsignedThinking(body));
  const out: Json = fitThinkingBudget({ ...body });
  delete out.output_config;
  delete out.context_management;
  adaptThinking(out);
  if (Array.isArray(out.messages)) out.messages = foldSystemMessages(out.messages as unknown[]);
  return out;
}

/** A budget at or over (a clamped) max_tokens is refused upstream: keep it below. */
function fitThinkingBudget(body: Json): Json {
  const thinking = body.thinking as Json | undefined;
  const maxTokens = body.max_tokens;
  if (thinking?.type !== 'enabled' || typeof thinking.budget_tokens !== 'number' || typeof maxTokens !== 'number') return body;
  if (thinking.budget_tokens < maxTokens) return body;
  if (maxTokens <= MIN_THINKING_BUDGET) return { ...body, thinking: { type: 'disabled' } };
  return { ...body, thinking: { ...thinking, budget_tokens: maxTokens - 1 } };
}

function adaptThinking(body: Json): void {
  const thinking = body.thinking as Json | undefined;
  if (!thinking || thinking.type !== 'adaptive') return;
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
  if (maxTokens === undefined) {
    // count_tokens carries no max_tokens: a budget cannot be chosen, and it barely matters there
    delete body.thinking;
    return;
  }
  if (maxTokens <= MIN_THINKING_BUDGET) {
    body.thinking = { type: 'disabled' };
    return;
  }
  const budget = Math.max(MIN_THINKING_BUDGET, Math.min(maxTokens - 1, Math.floor(maxTokens * 0.75)));
  body.thinking = { type: 'enabled', budget_tokens: budget };
}

function systemReminder(content: unknown): Json[] {
  const texts: string[] = [];
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) {
    for (const block of content) {
      if (block && typeof block === 'object' && typeof (block as Json).text === 'string') texts.push((block as Json).text as string);
    }
  }
  const text = texts.join('\n').trim();
  return text ? [{ type: 'text', text: `<system-reminder>\n${text}\n</system-reminder>` }] : [];
}

function asBlocks(content: unknown): unknown[] {
  if (Array.isArray(content)) return [...content];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return [];
}

function isToolResult(block: unknown): boolean {
  return !!block && typeof block === 'object' && (block as Json).type === 'tool_result';
}

/** Folds `role:"system"` messages into the next user turn (after its tool results), else the previous one. */
export function foldSystemMessages(messages: unknown[]): unknown[] {
  if (!messages.some((m) => (m as Json | null)?.role === 'system')) return messages;
  const out: Json[] = [];
  let pending: Json[] = [];
  for (const raw of messages) {
    const message = raw as Json;
    if (message?.role === 'system') {
      pending.push(...systemReminder(message.content));
      continue;
    }
    if (pending.length && message?.role === 'user') {
      const blocks = asBlocks(message.content);
      let at = 0;
      while (at < blocks.length && isToolResult(blocks[at])) at++;
      blocks.splice(at, 0, ...pending);
      out.push({ ...message, content: blocks });
      pending = [];
      continue;
    }
    if (pending.length) flushInto(out, pending);
    pending = [];
    out.push(message);
  }
  if (pending.length) flushInto(out, pending);
  return out;
}

/** Appends reminders to the previous message if it is a user turn, else adds a user turn. */
function flushInto(out: Json[], reminders: Json[]): void {
  const last = out[out.length - 1];
  if (last && last.role === 'user') {
    out[out.length - 1] = { ...last, content: [...asBlocks(last.content), ...reminders] };
  } else {
    out.push({ role: 'user', content: reminders });
  }
}

function dropUnsignedThinking(body: Json): Json {
  if (!Array.isArray(body.messages)) return body;
  let changed = false;
  const messages = (body.messages as unknown[]).map((raw) => {
    const message = raw as Json;
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) return raw;
    const kept = (message.content as unknown[]).filter((block) => {
      const b = block as Json;
      const unsigned = b?.type === 'thinking' && (typeof b.signature !== 'string' || b.signature === '');
      return !unsigned;
    });
    if (kept.length === message.content.length || kept.length === 0) return raw;
    changed = true;
    return { ...message, content: kept };
  });
  return changed ? { ...body, messages } : body;
}

/** Edits a translated request gets for its backend, per backend format (only Anthropic hosts need any). */
export const BACKEND_ADAPT: Readonly<Record<WireFormat, (body: Json, backend: BackendConfig) => Json>> = {
  anthropic: (body, backend) => adaptForAnthropicBackend(body, isAnthropicFirstParty(backend)),
  openai: (body) => body,
  responses: (body) => body,
};
