/** The fakes' `responseIds` option: upstreams that repeat (NIM, Moonshot) or omit (NIM) their response ids. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeMoonshot } from '../../fakes/fake-moonshot';
import { startFakeNim } from '../../fakes/fake-nim';
import { postJson, postRaw } from '../../helpers/http';
import { readSse, sseJson } from '../../helpers/sse';

const NIM_BODY = { model: 'moonshotai/kimi-k2.6', messages: [{ role: 'user', content: 'hi' }] };
const MOONSHOT_BODY = { model: 'kimi-k2.6', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] };

test('fake NIM: unique ids by default, one id on every response when repeated, no id at all when omitted', async () => {
  for (const responseIds of [undefined, 'repeated', 'omitted'] as const) {
    const nim = await startFakeNim(responseIds ? { responseIds } : {});
    try {
      const auth = { authorization: `Bearer ${nim.key}` };
      const whole = await Promise.all([1, 2].map(() => postJson(`${nim.url}/chat/completions`, NIM_BODY, auth)));
      const streamed = await postRaw(`${nim.url}/chat/completions`, { ...NIM_BODY, stream: true, stream_options: { include_usage: true } }, auth);
      const chunks = sseJson(await readSse(streamed)) as Array<Record<string, unknown>>;
      assert.ok(chunks.length > 2);
      const wholeIds = whole.map((r) => r.json.id as string | undefined);
      if (responseIds === 'omitted') {
        for (const r of whole) assert.ok(!('id' in r.json), JSON.stringify(r.json));
        for (const c of chunks) assert.ok(!('id' in c), JSON.stringify(c));
        continue;
      }
      for (const id of wholeIds) assert.match(id!, /^chatcmpl-/);
      const streamIds = new Set(chunks.map((c) => c.id));
      assert.equal(streamIds.size, 1, 'one id across a stream');
      if (responseIds === 'repeated') assert.deepEqual(new Set([...wholeIds, ...streamIds]).size, 1, 'the same id on every response');
      else assert.equal(new Set([...wholeIds, ...streamIds]).size, 3, 'a fresh id per response');
    } finally {
      await nim.close();
    }
  }
});

test('fake Moonshot: unique msg_ ids by default, one id on every response when repeated', async () => {
  for (const responseIds of [undefined, 'repeated'] as const) {
    const moonshot = await startFakeMoonshot(responseIds ? { responseIds } : {});
    try {
      const auth = { 'x-api-key': moonshot.key };
      const whole = await Promise.all([1, 2].map(() => postJson(`${moonshot.url}/v1/messages`, MOONSHOT_BODY, auth)));
      const streamed = await postRaw(`${moonshot.url}/v1/messages`, { ...MOONSHOT_BODY, stream: true }, auth);
      const start = (sseJson(await readSse(streamed)) as Array<{ type: string; message?: { id: string } }>).find((e) => e.type === 'message_start');
      const ids = [...whole.map((r) => r.json.id as string), start!.message!.id];
      for (const id of ids) assert.match(id, /^msg_[0-9a-f]{24}$/);
      assert.equal(new Set(ids).size, responseIds === 'repeated' ? 1 : 3);
    } finally {
      await moonshot.close();
    }
  }
});
