// Types of build.mjs (plain JS, run by `npm install` before any TypeScript tooling is needed).
export function buildBundle(outfile?: string): Promise<void>;
