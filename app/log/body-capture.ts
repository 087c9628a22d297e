/**
 * Turns a request or response body into what the log keeps: text, capped in size, secrets
 * redacted. The body is cut first and the cut moved back to a delimiter, so a key that
 * straddles the cap is dropped whole rather than half-kept; then the kept part is redacted
 * (redaction cost is bounded by the cap, not by the body).
 */
import type { CapturedBody } from './request-entry';
import type { Redactor } from './redact';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** How far back from the cap to look for a delimiter that ends a token. */
const TOKEN_LOOKBACK = 2048;
const TOKEN_CHAR = /[A-Za-z0-9._~+/=-]/;

export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body === undefined) return '';
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return String(body);
  }
}

/** Cut `text` to at most `limit` characters, never inside a token-like run (when one ends nearby). */
function cutBeforeToken(text: string, limit: number): string {
  let end = limit;
  const floor = Math.max(0, limit - TOKEN_LOOKBACK);
  // If the character at the cut continues a token, back up to the token's start.
  while (end > floor && TOKEN_CHAR.test(text[end] ?? '') && TOKEN_CHAR.test(text[end - 1] ?? '')) end--;
  return end > floor ? text.slice(0, end) : text.slice(0, limit);
}

export function captureBody(body: unknown, redactor: Redactor, limit = DEFAULT_BODY_LIMIT): CapturedBody {
  const text = bodyText(body);
  if (text.length <= limit) return { text: redactor.redact(text), truncated: false, originalLength: text.length };
  return { text: redactor.redact(cutBeforeToken(text, limit)), truncated: true, originalLength: text.length };
}

/**
 * Collects streamed response text up to a bound (the cap plus room to finish a token),
 * then captures it like any body. Memory stays bounded whatever the stream's length.
 */
export class BoundedTextCollector {
  private parts: string[] = [];
  private kept = 0;
  private total = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly limit = DEFAULT_BODY_LIMIT) {}

  push(chunk: string | Uint8Array): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    this.total += text.length;
    const room = this.limit + TOKEN_LOOKBACK - this.kept;
    if (room <= 0) return;
    const part = text.length > room ? text.slice(0, room) : text;
    this.parts.push(part);
    this.kept += part.length;
  }

  get empty(): boolean {
    return this.total === 0;
  }

  capture(redactor: Redactor): CapturedBody {
    const text = this.parts.join('');
    if (this.total <= this.limit) return { text: redactor.redact(text), truncated: false, originalLength: this.total };
    return { text: redactor.redact(cutBeforeToken(text, this.limit)), truncated: true, originalLength: this.total };
  }
}
