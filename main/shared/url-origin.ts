/**
 * `scheme://host[:port]` of a URL, lower-cased, also for custom schemes (Node's URL gives 'null'
 * as the origin of `app://patchbay/…`, Chromium gives `app://patchbay` for a standard scheme);
 * undefined for URLs without a host (about:, data:) and for what is no URL.
 */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}`.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
