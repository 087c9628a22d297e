// Types of scripts/start.mjs for the tests that import its helpers.
export function newestMtime(paths: string[]): number;
export function isStale(output: string, inputs: string[]): boolean;
export function electronBinary(): string | undefined;
export function appDataDir(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string;
