// The young-generation cap (scripts/young-generation.mjs), in a child process of its own (V8
// flags are process-wide): under allocation shaped like a server's (work between event-loop
// turns), new space stops growing at the cap; without the cap it grows past it. And scavenges
// on the main thread alone: V8's own trace shows no time spent by its worker threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { v8Major } from '../../../scripts/v8-version.mjs';
import { scavengeOnMainThread, YOUNG_GENERATION_CAP_BYTES } from '../../../scripts/young-generation.mjs';

const moduleUrl = pathToFileURL(resolve(import.meta.dirname, '../../../scripts/young-generation.mjs')).href;

function newSpaceAfterTraffic(capped: boolean): number {
  const program = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { capYoungGeneration } from ${JSON.stringify(moduleUrl)};
    if (${capped}) capYoungGeneration();
    const keep = [];
    for (let j = 0; j < 3000; j++) {
      for (let i = 0; i < 1000; i++) { keep.push({ a: i, b: 'x' + i }); if (keep.length > 20000) keep.splice(0, 10000); }
      await new Promise((res) => setImmediate(res));
    }
    console.log(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim());
}

test('new space stops growing at the cap under server-shaped allocation', () => {
  const uncapped = newSpaceAfterTraffic(false);
  const capped = newSpaceAfterTraffic(true);
  assert.ok(uncapped > YOUNG_GENERATION_CAP_BYTES, `without the cap V8 grows new space past it (${uncapped} bytes)`);
  assert.ok(capped <= YOUNG_GENERATION_CAP_BYTES, `with the cap new space is ${capped} bytes (cap ${YOUNG_GENERATION_CAP_BYTES})`);
});

/** New space after a start-up-like phase: retained allocation (modules, caches) at a calm rate, then quiet. */
function newSpaceAfterStartup(capped: boolean): { initial: number; after: number } {
  const program = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { capYoungGeneration } from ${JSON.stringify(moduleUrl)};
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const initial = newSpace();
    if (${capped}) capYoungGeneration();
    const kept = [];
    for (let step = 0; step < 16; step++) {
      for (let i = 0; i < 6000; i++) kept.push({ id: i, name: "m" + i });
      await new Promise((res) => setTimeout(res, 150));
    }
    console.log(JSON.stringify({ initial, after: newSpace() }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim()) as { initial: number; after: number };
}

test('start-up and calm periods leave new space at its initial size (it grows only under load)', () => {
  const uncapped = newSpaceAfterStartup(false);
  const capped = newSpaceAfterStartup(true);
  // The initial figure counts one semi-space; the first scavenge commits the other (2 x initial, no growth).
  assert.ok(uncapped.after > 2 * uncapped.initial, `without the hold V8 grows new space at start-up (${uncapped.initial} -> ${uncapped.after} bytes)`);
  assert.ok(capped.after <= 2 * capped.initial, `with the hold new space stays at its initial semi-spaces (${capped.initial} -> ${capped.after} bytes)`);
});

test('scavenges are left to the main thread on V8 11 (Node 20) only', () => {
  assert.equal(scavengeOnMainThread('12.4.254.21-node.33'), false);
  assert.equal(scavengeOnMainThread('13.6.233.10-node.18'), false);
});

/** The worker threads' share of each scavenge (ms), from V8's trace, with or without the call. */
function workerMsPerScavenge(mainThreadOnly: boolean): number[] {
  const program = `
    import { setFlagsFromString } from 'node:v8';
    import { scavengeOnMainThread } from ${JSON.stringify(moduleUrl)};
    if (${mainThreadOnly} && !scavengeOnMainThread()) throw new Error('not set');
    setFlagsFromString('--trace-gc-nvp');
    const kept = [];
    for (let j = 0; j < 200; j++) {
      for (let i = 0; i < 20000; i++) { kept.push({ a: i, b: [i] }); if (kept.length > 200000) kept.splice(0, 100000); }
      await new Promise((res) => setImmediate(res));
    }
  `;
  // A new space large enough from the start for V8 to share its scavenges out.
  const run = spawnSync(process.execPath, ['--min-semi-space-size=16', '--input-type=module', '-e', program], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout
    .split('\n')
    .filter((line) => / gc=s /.test(line))
    .map((line) => Number(/background\.scavenge\.parallel=([\d.]+)/.exec(line)?.[1] ?? Number.NaN));
}

const notV8Eleven = v8Major() === 11 ? false : `V8 ${process.versions.v8} is not V8 11: scavenging was not measured there, so nothing is set`;

test('once set, no scavenge hands work to V8 worker threads', { skip: notV8Eleven }, () => {
  const shared = workerMsPerScavenge(false);
  const alone = workerMsPerScavenge(true);
  assert.ok(shared.some((ms) => ms > 0), `without it V8 shares scavenges out (worker ms per scavenge: ${shared.join(', ')})`);
  assert.ok(alone.length > 0 && alone.every((ms) => ms === 0), `with it the workers do nothing (worker ms per scavenge: ${alone.join(', ')})`);
});
