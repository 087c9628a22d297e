/**
 * Namespaced Responses tools (Codex's `{"type":"namespace","name":"multi_agent_v1","tools":[…]}`)
 * in the IR: one flat tool named `<namespace>.<name>` (`multi_agent_v1.wait_agent`).
 *
 * The dot cannot occur in a Responses function name (`^[a-zA-Z0-9_-]+$`), so the IR name is
 * unambiguous and needs no per-request state to map back. Backend encoders already make every
 * IR name legal through `TranslationContext.toolNames` (app/translate/tool-names.ts): the model
 * sees `multi_agent_v1_wait_agent_<hash8>` (at most 64 characters) and its calls come back
 * to `multi_agent_v1.wait_agent`, which the Responses encoders split into the
 * `{"name":"wait_agent","namespace":"multi_agent_v1"}` call Codex requires.
 */
export const NAMESPACE_SEPARATOR = '.';

export function namespacedName(namespace: string, name: string): string {
  return `${namespace}${NAMESPACE_SEPARATOR}${name}`;
}

/** `{name, namespace}` of an IR tool name (no namespace for a plain name). */
export function splitNamespacedName(irName: string): { name: string; namespace?: string } {
  const at = irName.indexOf(NAMESPACE_SEPARATOR);
  if (at <= 0 || at === irName.length - 1) return { name: irName };
  return { name: irName.slice(at + 1), namespace: irName.slice(0, at) };
}

/** IR name of a call that came with an optional namespace. */
export function irToolName(name: string, namespace: string | null | undefined): string {
  return namespace ? namespacedName(namespace, name) : name;
}
