/** Applies a file snippet's edits to a file's text, by its format (pure: no I/O). */
import type { ConfigEdit, ConfigFormat } from '../types';
import { applyJsonEdits, checkJson } from './json-edit';
import { applyTomlEdits, checkToml } from './toml-edit';
import { applyYamlEdits, checkYaml } from './yaml-edit';

export function applyConfigEdits(format: ConfigFormat, original: string, edits: ConfigEdit[]): string {
  if (format === 'json') return applyJsonEdits(original, edits);
  if (format === 'yaml') return applyYamlEdits(original, edits);
  return applyTomlEdits(original, edits);
}

/** Throws ConfigParseError when `text` is not a valid file of `format`. */
export function checkConfigParses(format: ConfigFormat, text: string): void {
  if (format === 'json') checkJson(text);
  else if (format === 'yaml') checkYaml(text);
  else checkToml(text);
}
