/**
 * The quirk profile in force for a request: inferred from the upstream model actually used
 * (after `<backend>/<model>` routing and the small-model choice), unless the backend names one
 * with `"quirks"` (or the old `"kimi": true|false` alias). A backend's explicit `fixedSampling`
 * wins over the profile's.
 *
 * Adding a family: one file like kimi.ts, and one line in FAMILIES below.
 */
import type { BackendConfig } from '../config/schema';
import { KIMI } from './kimi';
import { NO_QUIRKS } from './none';
import type { QuirkFamily, QuirkProfile } from './profile';

export type { QuirkFamily, QuirkProfile, TextToolCall, TextToolCallSyntax } from './profile';

const FAMILIES: readonly QuirkFamily[] = [KIMI];

/** Values `"quirks"` accepts in the config: each family's name, and `none`. */
export const QUIRKS_NAMES: readonly [string, ...string[]] = [NO_QUIRKS.name, ...FAMILIES.map((f) => f.name)];

/** The backend fields that choose the profile. */
type QuirksChoice = Pick<BackendConfig, 'quirks' | 'kimi' | 'fixedSampling'>;

/** The profile in force for `upstreamModel` on `backend`. */
export function quirksFor(backend: QuirksChoice, upstreamModel: string): QuirkProfile {
  const profile = familyProfile(backend, upstreamModel);
  if (backend.fixedSampling === undefined || backend.fixedSampling === profile.fixedSampling) return profile;
  return { ...profile, fixedSampling: backend.fixedSampling };
}

/** Name of the profile in force for the backend's main model (for `GET /api/state` and the banner). */
export function quirksNameFor(backend: QuirksChoice & Pick<BackendConfig, 'model'>): string {
  return quirksFor(backend, backend.model).name;
}

function familyProfile(backend: QuirksChoice, model: string): QuirkProfile {
  const named = backend.quirks ?? (backend.kimi === undefined ? undefined : backend.kimi ? KIMI.name : NO_QUIRKS.name);
  if (named === NO_QUIRKS.name) return NO_QUIRKS;
  const family = named === undefined ? FAMILIES.find((f) => f.matches(model)) : FAMILIES.find((f) => f.name === named);
  return family ? family.profile(model) : NO_QUIRKS;
}
