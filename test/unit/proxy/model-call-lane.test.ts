import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyBaseLogger } from 'fastify';
import { lazyChildLogger } from '../../../app/proxy/model-call-lane';

/** A parent logger that records the children it makes and the lines they log. */
function recordingParent() {
  const children: Array<Record<string, unknown>> = [];
  const lines: Array<{ bindings: Record<string, unknown>; level: string; args: unknown[] }> = [];
  const make = (bindings: Record<string, unknown>): FastifyBaseLogger => {
    const logger: Record<string, unknown> = { level: 'info', child: (more: Record<string, unknown>) => make({ ...bindings, ...more }) };
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) logger[level] = (...args: unknown[]) => lines.push({ bindings, level, args });
    return logger as unknown as FastifyBaseLogger;
  };
  const parent = make({});
  const child = parent.child.bind(parent);
  (parent as unknown as { child: unknown }).child = (bindings: Record<string, unknown>) => {
    children.push(bindings);
    return child(bindings);
  };
  return { parent, children, lines };
}

test('the per-call logger makes its reqId child on the first line only, and logs every level through it', () => {
  const { parent, children, lines } = recordingParent();
  const log = lazyChildLogger(parent, 'req_abc');
  assert.equal(log.level, 'info');
  assert.equal(children.length, 0, 'nothing made before a line is logged');
  log.warn({ upstream: 'nim' }, 'slow upstream');
  log.error('failed');
  log.info('done');
  assert.deepEqual(children, [{ reqId: 'req_abc' }], 'one child, with the request id');
  assert.deepEqual(
    lines.map((l) => [l.level, l.bindings.reqId, l.args.at(-1)]),
    [
      ['warn', 'req_abc', 'slow upstream'],
      ['error', 'req_abc', 'failed'],
      ['info', 'req_abc', 'done'],
    ],
  );
  log.child({ part: 'x' }).debug('deeper');
  assert.deepEqual(lines.at(-1)?.bindings, { reqId: 'req_abc', part: 'x' });
});
