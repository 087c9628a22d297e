import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerAdminCommandRoutes } from '../../../app/admin/http-host';
import { requestCommands } from '../../../app/api/request-commands';
import type { RequestEntry, RequestSummary } from '../../../app/log/request-entry';
import { RequestLog } from '../../../app/log/request-log';

interface Page {
  items: RequestSummary[];
  nextCursor: string | null;
}

async function withServer(fn: (base: string, log: RequestLog) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-req-routes-'));
  const log = await RequestLog.open({ dataDir: dir, keepBodies: true });
  // forceCloseConnections: fetch's pooled keep-alive sockets would otherwise hold close() for seconds.
  const app = Fastify({ forceCloseConnections: true });
  registerAdminCommandRoutes(app, requestCommands({ log }));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    await fn(base, log);
  } finally {
    await app.close();
    await log.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

function seed(log: RequestLog): string[] {
  const ids: string[] = [];
  const backends = ['nim', 'moonshot'];
  const statuses = [200, 429, 500, 200];
  for (let i = 0; i < 12; i++) {
    const h = log.startEntry({ inboundFormat: i % 2 ? 'openai' : 'anthropic', userAgent: i % 3 ? 'claude-cli/2.1.197' : 'opencode/1.18' });
    h.setBody('request', { model: `model-${i}` });
    const status = statuses[i % 4]!;
    h.finish({ backend: backends[i % 2]!, status, modelUsed: `model-${i}`, ...(status >= 400 ? { error: `failure ${i}` } : {}) });
    ids.push(h.id);
  }
  return ids;
}

test('GET /api/requests lists newest first with filters and cursor paging', async () => {
  await withServer(async (base, log) => {
    const ids = seed(log);
    await log.flush();
    const all = await getJson<Page>(`${base}/api/requests`);
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.items.map((e) => e.id),
      [...ids].reverse(),
    );
    assert.equal(all.body.nextCursor, null);
    assert.equal(all.body.items[0]?.hasBodies, true);
    assert.equal((all.body.items[0] as Partial<RequestEntry>).bodies, undefined, 'lists carry no bodies');

    const nim = await getJson<Page>(`${base}/api/requests?backend=nim&status=2xx`);
    assert.ok(nim.body.items.length > 0);
    for (const e of nim.body.items) {
      assert.equal(e.backend, 'nim');
      assert.equal(e.status, 200);
    }
    const errors = await getJson<Page>(`${base}/api/requests?status=error&agent=claude-code`);
    assert.ok(errors.body.items.every((e) => e.status >= 400 && e.agent === 'claude-code'));
    const text = await getJson<Page>(`${base}/api/requests?text=failure%2010`);
    assert.deepEqual(
      text.body.items.map((e) => e.id),
      [ids[10]],
    );

    const seen: string[] = [];
    let url = `${base}/api/requests?limit=5`;
    for (let page = 0; page < 5; page++) {
      const r = await getJson<Page>(url);
      assert.ok(r.body.items.length <= 5);
      seen.push(...r.body.items.map((e) => e.id));
      if (!r.body.nextCursor) break;
      url = `${base}/api/requests?limit=5&cursor=${encodeURIComponent(r.body.nextCursor)}`;
    }
    assert.deepEqual(seen, [...ids].reverse());
  });
});

test('GET /api/requests rejects malformed queries with 400', async () => {
  await withServer(async (base) => {
    for (const q of ['status=weird', 'limit=0', 'limit=abc', 'limit=100000', 'cursor=not-a-cursor']) {
      const r = await getJson<{ error: { code: string; message: string } }>(`${base}/api/requests?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.code, 'invalid_request', q);
      assert.ok(r.body.error.message.length > 0);
    }
  });
});

test('GET /api/requests/:id returns the entry with bodies, 404 when unknown', async () => {
  await withServer(async (base, log) => {
    const ids = seed(log);
    const pending = await getJson<RequestEntry>(`${base}/api/requests/${ids[3]}`); // possibly not yet on disk
    assert.equal(pending.status, 200);
    assert.equal(pending.body.modelUsed, 'model-3');
    await log.flush();
    const stored = await getJson<RequestEntry>(`${base}/api/requests/${ids[3]}`);
    assert.equal(stored.body.id, ids[3]);
    assert.equal(stored.body.bodies?.request?.text, '{"model":"model-3"}');
    const missing = await getJson<{ error: { code: string } }>(`${base}/api/requests/req_nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
  });
});
