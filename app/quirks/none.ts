/** The profile of a model with no known quirks: plain translation, nothing added or removed. */
import type { QuirkProfile } from './profile';

export const NO_QUIRKS: QuirkProfile = {
  name: 'none',
  fixedSampling: false,
  echoReasoning: false,
  noForcedToolChoice: false,
};
