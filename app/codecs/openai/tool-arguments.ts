/** Tool-call `arguments` JSON text -> IR input object, never losing what the model wrote. */
export const INVALID_ARGUMENTS_KEY = '__patchbay_invalid_arguments';

export function parseToolArguments(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: keep the raw text
  }
  return { [INVALID_ARGUMENTS_KEY]: raw };
}
