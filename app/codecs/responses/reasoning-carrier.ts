/**
 * What an IR thinking block carries that a Responses client cannot read (an Anthropic signature,
 * redacted thinking) rides in the reasoning item's `encrypted_content`, which Codex echoes back
 * intact, marked so Patchbay recognises its own: `patchbay.sig.v1:<signature>`,
 * `patchbay.redacted.v1:<data>`. Any other `encrypted_content` (OpenAI's) is unreadable to every
 * backend Patchbay translates for and is dropped.
 */
import type { RedactedThinkingBlock, ThinkingBlock } from '../../ir/conversation';

const SIGNATURE = 'patchbay.sig.v1:';
const REDACTED = 'patchbay.redacted.v1:';

export function encryptedContentOf(block: { signature?: string } | RedactedThinkingBlock): string | undefined {
  if ('type' in block && block.type === 'redacted_thinking') return REDACTED + block.data;
  if ('signature' in block && block.signature) return SIGNATURE + block.signature;
  return undefined;
}

/** The IR block an echoed reasoning item stands for, when its encrypted_content is Patchbay's. */
export function blockFromEncryptedContent(encrypted: string, text: string): ThinkingBlock | RedactedThinkingBlock | undefined {
  if (encrypted.startsWith(REDACTED)) return { type: 'redacted_thinking', data: encrypted.slice(REDACTED.length) };
  if (encrypted.startsWith(SIGNATURE)) return { type: 'thinking', thinking: text, signature: encrypted.slice(SIGNATURE.length) };
  return undefined;
}
