// Types of build-fingerprint.mjs (plain JS, run by bin/patchbay.js without a TypeScript loader).
export const BUNDLE: string;
export const BUILD_INFO: string;
export function sourceFingerprint(root: string): string;
export function whyBuildUnusable(root: string): string | undefined;
