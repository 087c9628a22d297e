/**
 * Which backend and upstream model serve a request, from the model name the client asked for.
 *
 * - `<backendId>/<model>` picks that backend for this one request, but only when the prefix is
 *   a known backend id (NIM model ids such as `moonshotai/kimi-k2.6` contain a slash too); the
 *   model named after the prefix is used as it is (Claude tier names still map).
 * - `claude-*` names and the opus/sonnet tiers map to the backend's `model`; the haiku tier
 *   maps to its `smallModel` when set.
 * - The backend's own `model`/`smallModel` pass unchanged; any other name is substituted by
 *   the backend's `model` (`substituted` says so, for the log).
 * - A prefix that looks like a mistyped backend id (within edit distance 2 of one), or whose
 *   rest is a model of some backend, is refused with a configuration error naming the
 *   backends, instead of silently landing on the active backend. Model ids of the backends
 *   themselves and their namespaces (`moonshotai/...` when a backend serves `moonshotai/kimi-k2.6`)
 *   are never refused.
 */
import type { BackendConfig } from '../config/schema';
import { ApiErrorException, proxyConfigError } from '../ir/errors';
import type { BackendRegistry } from './backend-registry';
import { editDistance } from './edit-distance';

export interface ResolvedRoute {
  backend: BackendConfig;
  upstreamModel: string;
  /** The client's name was neither a tier nor a model of the backend: replaced by `backend.model`. */
  substituted: boolean;
}

/** Throws an ApiErrorException (a configuration error) for a mistyped `<backend>/` prefix. */
export function resolveRoute(registry: BackendRegistry, requestedModel: string): ResolvedRoute {
  const slash = requestedModel.indexOf('/');
  if (slash > 0) {
    const prefixed = registry.get(requestedModel.slice(0, slash));
    if (prefixed) return mapModel(registry, prefixed, requestedModel.slice(slash + 1), true);
  }
  return mapModel(registry, registry.active, requestedModel, false);
}

/** The route on a given backend (a failover or overflow one) for a name not pinned to a backend. */
export function routeOn(registry: BackendRegistry, backend: BackendConfig, requestedModel: string): ResolvedRoute {
  return mapModel(registry, backend, requestedModel, false);
}

/** The configuration error for a model name whose `<prefix>/` names no backend but looks meant to, else undefined. */
export function unknownBackendPrefix(registry: BackendRegistry, name: string): ApiErrorException | undefined {
  const slash = name.indexOf('/');
  if (slash <= 0) return undefined;
  const prefix = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  const backends = registry.list();
  if (backends.some((b) => b.id === prefix)) return undefined;
  const models = backends.flatMap((b) => (b.smallModel === undefined ? [b.model] : [b.model, b.smallModel]));
  if (models.includes(name) || models.some((m) => m.startsWith(`${prefix}/`))) return undefined;
  const near = backends.filter((b) => editDistance(b.id, prefix) <= 2);
  if (near.length === 0 && !models.includes(rest)) return undefined;
  const ids = backends.map((b) => `"${b.id}"`).join(', ');
  const suggestion = backends.find((b) => b.model === rest || b.smallModel === rest) ?? near[0];
  const example = suggestion ? ` (e.g. "${suggestion.id}/${rest}")` : '';
  return new ApiErrorException(
    proxyConfigError(
      `model "${name}" starts with "${prefix}/", which is not a backend of this Patchbay (backends: ${ids})`,
      `start the model name with one of those backend ids${example}, or drop the prefix to use the active backend "${registry.active.id}"`,
    ),
  );
}

function mapModel(registry: BackendRegistry, backend: BackendConfig, name: string, named: boolean): ResolvedRoute {
  const refused = unknownBackendPrefix(registry, name.trim());
  if (refused) throw refused;
  return mapName(backend, name, named);
}

/** `named`: the client chose this backend by prefix, so any model it names there is meant. */
function mapName(backend: BackendConfig, name: string, named: boolean): ResolvedRoute {
  const trimmed = name.trim();
  if (trimmed === backend.model || (backend.smallModel !== undefined && trimmed === backend.smallModel)) {
    return { backend, upstreamModel: trimmed, substituted: false };
  }
  const lower = trimmed.toLowerCase();
  if (/haiku/.test(lower)) {
    return { backend, upstreamModel: backend.smallModel ?? backend.model, substituted: false };
  }
  if (lower.startsWith('claude-') || /opus|sonnet/.test(lower)) {
    return { backend, upstreamModel: backend.model, substituted: false };
  }
  if (named && trimmed !== '') return { backend, upstreamModel: trimmed, substituted: false };
  return { backend, upstreamModel: backend.model, substituted: true };
}
