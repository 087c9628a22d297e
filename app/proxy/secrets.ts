/** Removes secrets (upstream keys) from any text before it can reach a response or a log. */
const REDACTED = '[redacted]';

export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
