/**
 * Removes key-shaped strings from text before it is logged: provider keys (`sk-…`, `sk-ant-…`,
 * `nvapi-…`), `Bearer …` credentials, `x-api-key` values, long high-entropy values that follow a
 * key/token/secret name, and an explicit list of known secrets (the configured keys and tokens),
 * wherever they appear.
 */
export const REDACTED = '[REDACTED]';

/** Known secrets shorter than this are ignored (they would blank out ordinary text). */
export const MIN_KNOWN_SECRET_LENGTH = 8;

interface PatternRule {
  pattern: RegExp;
  /** Text kept in front of the secret (e.g. "Bearer "), from the match's `keep` group. */
  replace: (match: string, keep: string | undefined, value: string | undefined) => string;
}

const whole = (): string => REDACTED;
const keepPrefix = (_m: string, keep: string | undefined): string => (keep ?? '') + REDACTED;

const NAMED_SECRET =
  /(?<keep>[\w-]*(?:key|token|secret|password|passwd|credential)[\w-]*\\?["']?\s*[:=]\s*\\?["']?)(?<value>[A-Za-z0-9._~+/=-]{20,})/gi;

const RULES: PatternRule[] = [
  { pattern: /\bsk-ant-[A-Za-z0-9_-]{8,}/g, replace: whole },
  { pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: whole },
  { pattern: /\bnvapi-[A-Za-z0-9_-]{16,}/g, replace: whole },
  { pattern: /(?<keep>\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: keepPrefix },
  { pattern: /(?<keep>x-api-key\\?["']?\s*[:=]\s*\\?["']?)(?!\[REDACTED\])[^\s"'\\,;}]{4,}/gi, replace: keepPrefix },
  {
    pattern: NAMED_SECRET,
    replace: (match, keep, value) => (value && looksRandom(value) ? (keep ?? '') + REDACTED : match),
  },
];

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A value that looks like a generated credential rather than a word or a number. */
function looksRandom(value: string): boolean {
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value) && entropy(value) >= 3.5;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Redactor {
  private known: RegExp | undefined;

  constructor(knownSecrets: Iterable<string> = []) {
    this.setKnownSecrets(knownSecrets);
  }

  /** Replace the list of known secrets (configured keys and tokens); short ones are ignored. */
  setKnownSecrets(secrets: Iterable<string>): void {
    const usable = [...new Set(secrets)].filter((s) => s.length >= MIN_KNOWN_SECRET_LENGTH);
    usable.sort((a, b) => b.length - a.length);
    this.known = usable.length > 0 ? new RegExp(usable.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  redact(text: string): string {
    let out = this.known ? text.replace(this.known, REDACTED) : text;
    for (const rule of RULES) {
      out = out.replace(rule.pattern, (match: string, ...args: unknown[]) => {
        const last = args[args.length - 1];
        const groups = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
        return rule.replace(match, groups.keep, groups.value);
      });
    }
    return out;
  }
}

/** One-off redaction (build a Redactor to reuse a list of known secrets). */
export function redactSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  return new Redactor(knownSecrets).redact(text);
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Headers with credential-bearing values replaced (for logging header sets). */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  redactor: Redactor = new Redactor(),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : redactor.redact(text);
  }
  return out;
}
