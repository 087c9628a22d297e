// Hot code optimized sooner (scripts/early-optimization.mjs), in child processes of their own (V8
// flags are process-wide): the same function, called the same way, is picked for optimization
// after far fewer calls once the flags are set. The flags are V8 11's (Node 20); on another V8
// they are left alone, and the effect test says so and skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tiersUpByInterruptBudget } from '../../../scripts/early-optimization.mjs';

const moduleUrl = pathToFileURL(resolve(import.meta.dirname, '../../../scripts/early-optimization.mjs')).href;

/** The call after which V8 first had `hot` optimized, queued for it or compiling it. */
function callsBeforeOptimization(sooner: boolean): number {
  const program = `
    import { optimizeHotCodeSooner } from ${JSON.stringify(moduleUrl)};
    if (${sooner}) optimizeHotCodeSooner();
    const hot = (req) => { let n = 0; for (const m of req.messages) { n += m.content.length; if (m.role === 'user') n++; } return { model: req.model, n }; };
    const req = { model: 'm', messages: Array.from({ length: 20 }, (_, i) => ({ role: i % 2 ? 'user' : 'assistant', content: 'x'.repeat(i) })) };
    const status = new Function('f', 'return %GetOptimizationStatus(f)');
    // V8's OptimizationStatus bits: optimized, marked for (concurrent) optimization, optimizing concurrently.
    const picked = (1 << 4) | (1 << 8) | (1 << 9) | (1 << 10);
    let at = -1;
    for (let i = 1; i <= 5000 && at < 0; i++) { hot(req); if (status(hot) & picked) at = i; }
    console.log(at);
  `;
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', program], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '', 'V8 took every flag without a word');
  const at = Number(run.stdout.trim());
  assert.ok(at > 0, `V8 never picked the function in 5000 calls (sooner: ${sooner})`);
  return at;
}

test('the flags are set on V8 11 (Node 20) only', () => {
  assert.equal(tiersUpByInterruptBudget('11.3.244.8-node.38'), true);
  assert.equal(tiersUpByInterruptBudget('12.4.254.21-node.33'), false);
  assert.equal(tiersUpByInterruptBudget('13.6.233.10-node.18'), false);
});

const otherV8 = tiersUpByInterruptBudget() ? false : `V8 ${process.versions.v8} is not V8 11: its tiering flags were not measured, so none are set`;

test('a hot function is picked for optimization after under half the calls V8 waits for by default', { skip: otherV8 }, () => {
  const byDefault = callsBeforeOptimization(false);
  const sooner = callsBeforeOptimization(true);
  assert.ok(sooner * 2 < byDefault, `picked after ${sooner} calls with the flags, ${byDefault} without`);
});
