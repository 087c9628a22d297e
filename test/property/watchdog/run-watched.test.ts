/** The watchdog itself: a synchronous hang fails with the case that hung instead of hanging the suite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PropertyHung, runWatched } from './run-watched';

const cases = new URL('./fixtures/watched-cases.ts', import.meta.url);

test('a watched run that finishes resolves', async () => {
  await runWatched(cases, 'finishes', { cases: 50 }, 2000);
});

test('a case looping forever is stopped at its deadline and named with its seed and input', async () => {
  const started = Date.now();
  await assert.rejects(runWatched(cases, 'hangsOnThirdCase', {}, 500), (err: unknown) => {
    assert.ok(err instanceof PropertyHung);
    assert.equal(err.beat?.caseIndex, 2);
    assert.match(err.message, /case 2 did not finish within 500 ms/);
    assert.match(err.message, /PATCHBAY_FUZZ_SEED=7/);
    assert.match(err.message, /input: case 2/);
    return true;
  });
  assert.ok(Date.now() - started < 20_000, 'stopped, not waited out');
});

test('a failing property rejects with its message', async () => {
  await assert.rejects(runWatched(cases, 'fails', {}, 2000), /counterexample found/);
});
