// Types of load-bundle.mjs (plain JS, run by bin/patchbay.js without a TypeScript loader).
export function codeCacheOf(bundle: string): string;
export function readTextInChunks(file: string): string;
export const START_UP_MS: number;
export function runBundle(bundle: string, options?: { afterStartUp?: () => void }): { usedCodeCache: boolean };
