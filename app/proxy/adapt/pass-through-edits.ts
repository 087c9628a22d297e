/**
 * The targeted edits a same-format (pass-through) request gets; everything else in the
 * client's JSON is forwarded untouched, so fields Patchbay does not know yet survive.
 */
import type { WireFormat } from '../../codecs/codec';
import type { BackendConfig } from '../../config/schema';
import { applyChatRequestQuirks } from '../../quirks/chat-request-edits';
import { quirksFor, type QuirkProfile } from '../../quirks/index';
import { isClaudeCodeAttribution } from '../../translate/claude-code-attribution';
import { isAnthropicFirstParty } from '../upstream/upstream-target';
import { adaptForAnthropicBackend } from './anthropic-compat';

type Json = Record<string, unknown>;

const ANTHROPIC_SAMPLING = ['temperature', 'top_p', 'top_k'];
const OPENAI_SAMPLING = ['temperature', 'top_p', 'n', 'presence_penalty', 'frequency_penalty'];
const RESPONSES_SAMPLING = ['temperature', 'top_p'];

export interface PassThroughOptions {
  backend: BackendConfig;
  upstreamModel: string;
  /** count_tokens bodies carry no max_tokens and must not get one. */
  countTokens?: boolean;
  /** The quirk profile in force; defaults to `quirksFor(backend, upstreamModel)`. */
  quirks?: QuirkProfile;
}

export function editAnthropicRequest(body: Json, options: PassThroughOptions): Json {
  const { backend, upstreamModel, countTokens } = options;
  const quirks = options.quirks ?? quirksFor(backend, upstreamModel);
  const firstParty = isAnthropicFirstParty(backend);
  let out: Json = { ...body, model: upstreamModel };
  if (!countTokens) clampMaxTokens(out, 'max_tokens', backend.maxOutputTokens, true);
  if (quirks.fixedSampling) for (const k of ANTHROPIC_SAMPLING) delete out[k];
  if (!firstParty) out = withoutAttribution(out);
  return adaptForAnthropicBackend(out, firstParty);
}

export function editOpenAIRequest(body: Json, options: PassThroughOptions): Json {
  const { backend, upstreamModel } = options;
  const quirks = options.quirks ?? quirksFor(backend, upstreamModel);
  const out: Json = { ...body, model: upstreamModel };
  const limit = backend.maxOutputTokens;
  const hasMax = typeof out.max_tokens === 'number' || typeof out.max_completion_tokens === 'number';
  clampMaxTokens(out, 'max_tokens', limit, false);
  clampMaxTokens(out, 'max_completion_tokens', limit, false);
  if (!hasMax && limit !== undefined) out.max_tokens = limit;
  if (quirks.fixedSampling) for (const k of OPENAI_SAMPLING) delete out[k];
  return applyChatRequestQuirks(out, quirks);
}

export function editResponsesRequest(body: Json, options: PassThroughOptions): Json {
  const { backend, upstreamModel } = options;
  const quirks = options.quirks ?? quirksFor(backend, upstreamModel);
  const out: Json = { ...body, model: upstreamModel };
  clampMaxTokens(out, 'max_output_tokens', backend.maxOutputTokens, false);
  if (quirks.fixedSampling) for (const k of RESPONSES_SAMPLING) delete out[k];
  return out;
}

/** How a same-format request is edited, per format (the compiler names a format left out). */
export const PASS_THROUGH_EDITS: Readonly<Record<WireFormat, (body: Json, options: PassThroughOptions) => Json>> = {
  anthropic: editAnthropicRequest,
  openai: editOpenAIRequest,
  responses: editResponsesRequest,
};

function clampMaxTokens(body: Json, field: string, limit: number | undefined, fill: boolean): void {
  if (limit === undefined) return;
  const value = body[field];
  if (typeof value === 'number') body[field] = Math.min(value, limit);
  else if (fill && value === undefined) body[field] = limit;
}

/** Removes Claude Code's per-session attribution block from `system` (it defeats prompt caching). */
function withoutAttribution(body: Json): Json {
  const system = body.system;
  if (typeof system === 'string') {
    return isClaudeCodeAttribution(system) ? withoutKey(body, 'system') : body;
  }
  if (!Array.isArray(system)) return body;
  const kept = system.filter((block) => {
    const text = (block as Json | null)?.text;
    return !(typeof text === 'string' && isClaudeCodeAttribution(text));
  });
  if (kept.length === system.length) return body;
  return kept.length ? { ...body, system: kept } : withoutKey(body, 'system');
}

function withoutKey(body: Json, key: string): Json {
  const out = { ...body };
  delete out[key];
  return out;
}
