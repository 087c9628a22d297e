#!/usr/bin/env node
// Runs the property tests (test/property) far longer than `npm test` does, and prints per property
// how many cases ran, the seed, and any failure with what replays it.
// Usage: npm run fuzz [-- --runs N] [-- --seed S] [-- <test paths>]
//   --runs N   multiplier of each property's `npm test` count (default 20; env PATCHBAY_FUZZ_RUNS)
//   --seed S   fast-check seed (default random; env PATCHBAY_FUZZ_SEED); a failure prints the one to replay
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const runs = option('--runs') ?? process.env.PATCHBAY_FUZZ_RUNS ?? '20';
const seed = option('--seed') ?? process.env.PATCHBAY_FUZZ_SEED ?? String(Math.floor(Math.random() * 0x7fffffff));
const paths = args.length ? args : ['test/property'];

const dir = mkdtempSync(join(tmpdir(), 'patchbay-fuzz-'));
const report = join(dir, 'figures.jsonl');
console.log(`fuzz: ${paths.join(' ')} with PATCHBAY_FUZZ_RUNS=${runs} PATCHBAY_FUZZ_SEED=${seed}`);
const started = Date.now();
const run = spawnSync(process.execPath, ['scripts/run-tests.mjs', ...paths], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PATCHBAY_FUZZ_RUNS: runs, PATCHBAY_FUZZ_SEED: seed, PATCHBAY_FUZZ_REPORT: report },
});

const figures = existsSync(report)
  ? readFileSync(report, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
rmSync(dir, { recursive: true, force: true });

console.log(`\nfuzz figures (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(0)} s):`);
let cases = 0;
let failures = 0;
for (const f of figures) {
  cases += f.runs;
  if (f.failed) failures++;
  const counts = f.counts ? ' ' + Object.entries(f.counts).map(([k, v]) => `${k}=${v}`).join(' ') : '';
  console.log(`  ${f.failed ? 'FAIL' : 'ok  '} ${String(f.runs).padStart(7)} cases  ${String(f.ms).padStart(7)} ms  ${f.name}${counts}`);
  if (f.failed) {
    console.log(`       replay: PATCHBAY_FUZZ_SEED=${f.seed} (fast-check path "${f.path}") npm run fuzz -- --runs ${runs}`);
    console.log(`       counterexample: ${f.counterexample}`);
  }
}
console.log(`  total: ${cases} cases in ${figures.length} properties, ${failures} failed${run.status === 0 ? '' : ` (test run exit ${run.status})`}`);
process.exit(run.status ?? 1);
