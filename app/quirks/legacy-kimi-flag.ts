/**
 * Transitional: until the request path fills `TranslationContext.textToolCalls` from
 * `quirksFor`, it still sets the old `ctx.kimi` flag; decoders read both through this.
 * Delete this file (and `TranslationContext.kimi`) once app/proxy/request uses quirksFor.
 */
import type { TranslationContext } from '../codecs/codec';
import { KIMI_TEXT_TOOL_CALLS } from './kimi';
import type { TextToolCallSyntax } from './profile';

export function textToolCallsOf(ctx: TranslationContext): TextToolCallSyntax | undefined {
  return ctx.textToolCalls ?? (ctx.kimi ? KIMI_TEXT_TOOL_CALLS : undefined);
}
