/**
 * Tool-call ids, mapped both ways, deterministically and without state.
 *
 * Anthropic requires tool ids to match `^[a-zA-Z0-9_-]+$`; Kimi K2 emits ids like
 * `functions.Write:0`. An id that is already legal passes unchanged. Any other id is
 * escaped into `pbx_` + the id with every byte outside `[a-zA-Z0-9-]` written as `_XX`
 * (hex of its UTF-8 byte), so `functions.Write:0` <-> `pbx_functions_2eWrite_3a0`.
 * An id that happens to start with `pbx_` is escaped too, so decoding is exact.
 */
const LEGAL = /^[a-zA-Z0-9_-]+$/;
const PREFIX = 'pbx_';

export function toAnthropicToolId(id: string): string {
  if (LEGAL.test(id) && !id.startsWith(PREFIX)) return id;
  let out = PREFIX;
  for (const byte of Buffer.from(id, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[a-zA-Z0-9-]/.test(ch) ? ch : '_' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

/** Inverse of toAnthropicToolId; ids it did not produce pass unchanged. */
export function fromAnthropicToolId(id: string): string {
  if (!id.startsWith(PREFIX)) return id;
  const body = id.slice(PREFIX.length);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '_') {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return id; // not ours: leave it alone
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(ch.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
