// The young-generation cap (scripts/young-generation.mjs), in a child process of its own (V8
// flags are process-wide): under allocation shaped like a server's (work between event-loop
// turns), new space stops growing at the cap; without the cap it grows past it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { YOUNG_GENERATION_CAP_BYTES } from '../../../scripts/young-generation.mjs';

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
