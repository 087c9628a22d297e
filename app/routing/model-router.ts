/**
 * Which backend and upstream model serve a request, from the model name the client asked for.
 *
 * - `<backendId>/<model>` picks that backend for this one request, but only when the prefix is
 *   a known backend id (NIM model ids such as `moonshotai/kimi-k2.6` contain a slash too).
 * - `claude-*` names and the opus/sonnet tiers map to the backend's `model`; the haiku tier
 *   maps to its `smallModel` when set.
 * - The backend's own `model`/`smallModel` pass unchanged; any other name is substituted by
 *   the backend's `model` (`substituted` says so, for the log).
 */
import type { BackendConfig } from '../config/schema';
import type { BackendRegistry } from './backend-registry';

export interface ResolvedRoute {
  backend: BackendConfig;
  upstreamModel: string;
  /** The client's name was neither a tier nor a model of the backend: replaced by `backend.model`. */
  substituted: boolean;
}

export function resolveRoute(registry: BackendRegistry, requestedModel: string): ResolvedRoute {
  const slash = requestedModel.indexOf('/');
  if (slash > 0) {
    const prefixed = registry.get(requestedModel.slice(0, slash));
    if (prefixed) return mapModel(prefixed, requestedModel.slice(slash + 1));
  }
  return mapModel(registry.active, requestedModel);
}

function mapModel(backend: BackendConfig, name: string): ResolvedRoute {
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
  return { backend, upstreamModel: backend.model, substituted: true };
}
