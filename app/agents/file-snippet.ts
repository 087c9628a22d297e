/** Builds a file snippet from its edits: the text is the edits applied to an empty file. */
import type { ConfigEdit, ConfigFormat, Snippet } from './types';
import { applyConfigEdits } from './writers/apply-edits';

export function fileSnippet(target: string, format: ConfigFormat, edits: ConfigEdit[], title = `~/${target}`): Snippet {
  return { kind: 'file', language: format, title, target, format, edits, text: applyConfigEdits(format, '', edits) };
}

/** One `set` edit per entry, under `prefix`. */
export function setAll(prefix: string[], values: Record<string, unknown>): ConfigEdit[] {
  return Object.entries(values).map(([key, value]) => ({ op: 'set', path: [...prefix, key], value }));
}

/** The OpenAI-format base URL agents use: the proxy root plus /v1. */
export function openAiBaseUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1`;
}
