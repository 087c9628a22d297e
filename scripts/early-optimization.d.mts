// Types of scripts/early-optimization.mjs (used by bin/patchbay.js).
export const INTERRUPT_BUDGET: number;
export const MINIMUM_CALLS_AFTER_IC_UPDATE: number;
export function tiersUpByInterruptBudget(v8Version?: string): boolean;
export function optimizeHotCodeSooner(): boolean;
