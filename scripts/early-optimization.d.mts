// Types of scripts/early-optimization.mjs (used by bin/patchbay.js).
export function tiersUpByInterruptBudget(v8Version?: string): boolean;
export function optimizeHotCodeSooner(): boolean;
