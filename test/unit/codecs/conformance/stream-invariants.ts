/** Checks the IR stream invariants of app/ir/stream.ts on a decoded event list (every codec, see conformance/). */
import assert from 'node:assert/strict';
import type { StreamEvent } from '../../../../app/ir/stream';

export function assertStreamInvariants(events: StreamEvent[]): void {
  const real = events.filter((e) => e.type !== 'ping');
  const errorAt = real.findIndex((e) => e.type === 'error');
  if (errorAt >= 0) assert.equal(errorAt, real.length - 1, 'nothing may follow an error');
  if (real[0]?.type === 'error') return;
  assert.equal(real[0]?.type, 'message_start', 'message_start first');
  assert.equal(real.filter((e) => e.type === 'message_start').length, 1, 'one message_start');
  let open: number | undefined;
  let next = 0;
  let sawDelta = false;
  for (const e of real.slice(1)) {
    assert.notEqual(e.type, 'message_start');
    if (e.type === 'block_start') {
      assert.equal(open, undefined, `block ${e.index} starts while ${open} is open`);
      assert.equal(e.index, next, 'indices increase by one');
      assert.ok(!sawDelta, 'no block after message_delta');
      open = e.index;
      next++;
    } else if (e.type === 'block_delta') {
      assert.equal(e.index, open, 'delta for the open block');
    } else if (e.type === 'block_stop') {
      assert.equal(e.index, open, 'stop for the open block');
      open = undefined;
    } else if (e.type === 'message_delta') {
      assert.equal(open, undefined, 'message_delta after the last block_stop');
      sawDelta = true;
    } else if (e.type === 'message_stop') {
      assert.ok(sawDelta, 'message_stop after message_delta');
      assert.equal(e, real.at(-1), 'message_stop ends the stream');
    }
  }
}
