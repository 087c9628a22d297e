// Types of load-bundle.mjs (plain JS, run by bin/patchbay.js without a TypeScript loader).
export function codeCacheOf(bundle: string): string;
export function runBundle(bundle: string): { usedCodeCache: boolean };
