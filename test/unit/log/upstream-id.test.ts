/**
 * The upstream's response id in the request log (issue 6.2): the client gets Patchbay's own id,
 * the upstream's is kept here so a response can still be traced to the upstream's records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestLog } from '../../../app/log/request-log';

async function withLog(fn: (dir: string, log: RequestLog) => Promise<void>, knownSecrets: string[] = []): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-log-'));
  const log = await RequestLog.open({ dataDir: dir, knownSecrets, onError: (e) => assert.fail(String(e)) });
  try {
    await fn(dir, log);
  } finally {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('the upstream id set on an entry is listed, and read back from disk after a restart', async () => {
  await withLog(async (dir, log) => {
    const h = log.startEntry({ inboundFormat: 'anthropic' });
    h.setUpstreamId('chatcmpl-upstream-1');
    h.finish({ status: 200 });
    assert.equal(log.list().items[0]?.upstreamId, 'chatcmpl-upstream-1');
    await log.close();
    const again = await RequestLog.open({ dataDir: dir, onError: (e) => assert.fail(String(e)) });
    try {
      assert.equal(again.list().items[0]?.upstreamId, 'chatcmpl-upstream-1');
      assert.equal((await again.get(h.id))?.upstreamId, 'chatcmpl-upstream-1');
    } finally {
      await again.close();
    }
  });
});

test('empty ids are ignored, a later attempt replaces an earlier one, a finished entry no longer changes', async () => {
  await withLog(async (_dir, log) => {
    const none = log.startEntry({ inboundFormat: 'openai' });
    none.setUpstreamId('');
    none.setUpstreamId(undefined);
    assert.equal(none.finish({ status: 200 })?.upstreamId, undefined);

    const retried = log.startEntry({ inboundFormat: 'openai' });
    retried.setUpstreamId('msg_first_attempt');
    retried.setUpstreamId('msg_second_attempt');
    const finished = retried.finish({ status: 200 });
    retried.setUpstreamId('msg_too_late');
    assert.equal(finished?.upstreamId, 'msg_second_attempt');
  });
});

test('an upstream id is capped in length and never carries a known secret', async () => {
  const secret = 'pb-client-secret-token-0123456789';
  await withLog(
    async (_dir, log) => {
      const long = log.startEntry({ inboundFormat: 'openai' });
      long.setUpstreamId('x'.repeat(5000));
      assert.equal(long.finish({ status: 200 })?.upstreamId?.length, 200);

      const leaky = log.startEntry({ inboundFormat: 'openai' });
      leaky.setUpstreamId(`chatcmpl-${secret}`);
      assert.ok(!leaky.finish({ status: 200 })?.upstreamId?.includes(secret));
    },
    [secret],
  );
});
