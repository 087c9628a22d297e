// Types of scripts/v8-version.mjs (used by the start-up tunings and their tests).
export function v8Major(v8Version?: string): number;
