/**
 * Response ids Patchbay mints for its clients. Every response the proxy writes gets its own,
 * never the upstream's: Claude Code merges transcript entries that share `message.id`, and
 * OpenAI-compatible servers may repeat or omit theirs. Shaped like the real ones (base62 from
 * node:crypto): `msg_` + 24 characters (Anthropic), `chatcmpl-` + 29 (OpenAI).
 */
import { randomFillSync } from 'node:crypto';
import type { WireFormat } from './codec';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Bytes at or above this are dropped so every character is equally likely (248 = 4 * 62). */
const UNBIASED_LIMIT = 248;

/** Random bytes drawn from the CSPRNG in blocks: one system call per ~150 ids, not per id. */
const pool = Buffer.alloc(4096);
let used = pool.length;

/** `length` characters of [0-9A-Za-z], uniformly random. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    if (used === pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const byte = pool[used++]!;
    if (byte < UNBIASED_LIMIT) out += BASE62[byte % 62];
  }
  return out;
}

/** A fresh Anthropic message id, e.g. `msg_4kQ0vXcB2rTz9LmNw1YhPa7s`. */
export function newMessageId(): string {
  return 'msg_' + randomBase62(24);
}

/** A fresh OpenAI completion id, e.g. `chatcmpl-Zr8Kq2mW0xTn5bYc1LsD9fGhJ3vPe`. */
export function newCompletionId(): string {
  return 'chatcmpl-' + randomBase62(29);
}

/** A fresh Responses id, e.g. `resp_` + 48 characters (`msg_`, `rs_`, `fc_` for its items). */
export function newResponsesId(prefix: 'resp' | 'msg' | 'rs' | 'fc'): string {
  return `${prefix}_${randomBase62(48)}`;
}

const RESPONSE_IDS: Readonly<Record<WireFormat, () => string>> = {
  anthropic: newMessageId,
  openai: newCompletionId,
  responses: () => newResponsesId('resp'),
};

/** The id a response to a client of `format` gets. */
export function newResponseId(format: WireFormat): string {
  return RESPONSE_IDS[format]();
}
