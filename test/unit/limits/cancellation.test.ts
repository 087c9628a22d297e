import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortReason, sleep } from '../../../app/limits/abort';
import { Cancellation, type CancelSignal } from '../../../app/limits/cancellation';
import { ManualClock } from '../../../app/limits/manual-clock';

test('abort calls each listener once, in order, with the reason set first; a second abort changes nothing', () => {
  const cancel = new Cancellation();
  const calls: string[] = [];
  cancel.addEventListener('abort', () => calls.push(`a:${String(cancel.reason)}`));
  cancel.addEventListener('abort', () => calls.push(`b:${String(cancel.aborted)}`), { once: true });
  assert.equal(cancel.aborted, false);
  cancel.abort('gone');
  cancel.abort('again');
  assert.deepEqual(calls, ['a:gone', 'b:true']);
  assert.equal(cancel.reason, 'gone');
});

test('a removed listener is not called; one added twice is called once; one added after the abort is never called', () => {
  const cancel = new Cancellation();
  const calls: string[] = [];
  const removed = (): void => void calls.push('removed');
  const twice = (): void => void calls.push('twice');
  cancel.addEventListener('abort', removed);
  cancel.addEventListener('abort', twice);
  cancel.addEventListener('abort', twice);
  cancel.removeEventListener('abort', removed);
  cancel.abort();
  cancel.addEventListener('abort', () => calls.push('late'));
  assert.deepEqual(calls, ['twice']);
});

test('without a reason the abort reads as the standard AbortError, as an AbortController gives', () => {
  const cancel = new Cancellation();
  cancel.abort();
  const reason = abortReason(cancel) as DOMException;
  assert.equal(reason.name, 'AbortError');
  const controller = new AbortController();
  controller.abort();
  assert.equal((abortReason(controller.signal) as DOMException).name, reason.name);
});

test('a listener that throws does not stop the others, and its error is reported as uncaught (as EventTarget does)', async () => {
  const cancel = new Cancellation();
  const calls: string[] = [];
  cancel.addEventListener('abort', () => {
    throw new Error('listener failed');
  });
  cancel.addEventListener('abort', () => calls.push('second'));
  // The test runner fails a test on an uncaught exception: take its handlers out for this one.
  const handlers = process.rawListeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const reported = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
  try {
    cancel.abort('x');
    assert.deepEqual(calls, ['second']);
    assert.equal(((await reported) as Error).message, 'listener failed');
  } finally {
    process.removeAllListeners('uncaughtException');
    for (const h of handlers) process.on('uncaughtException', h as (err: Error) => void);
  }
});

test('the request path works the same with a Cancellation or a real AbortSignal (sleep is cut by either)', async () => {
  const signals: Array<{ signal: CancelSignal; abort: (reason: unknown) => void }> = [];
  const cancel = new Cancellation();
  signals.push({ signal: cancel, abort: (r) => cancel.abort(r) });
  const controller = new AbortController();
  signals.push({ signal: controller.signal, abort: (r) => controller.abort(r) });
  for (const { signal, abort } of signals) {
    const clock = new ManualClock();
    const slept = sleep(clock, 10_000, signal);
    abort('client left');
    await assert.rejects(slept, (err) => err === 'client left');
    // The listener is gone once the sleep is over: a later abort of another sleep is its own.
    const done = sleep(clock, 5, signal);
    await assert.rejects(done, (err) => err === 'client left'); // already aborted: rejects at once
  }
});
