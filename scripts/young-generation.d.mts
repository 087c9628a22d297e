// Types of scripts/young-generation.mjs (used by bin/patchbay.js and the desktop app's main process).
export const YOUNG_GENERATION_CAP_BYTES: number;
export function capYoungGeneration(capBytes?: number): void;
export function scavengeOnMainThread(v8Version?: string): boolean;
