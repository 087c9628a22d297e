/** `patchbay serve` names the quirk profile in force for the active backend in its banner. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startProxy } from '../../helpers/proxy';

const backend = { id: 'nim', format: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'env:PB_BANNER_KEY' };
const config = (fields: Record<string, unknown>) => ({ active: 'nim', backends: [{ ...backend, ...fields }] });

for (const [fields, line] of [
  [{ model: 'moonshotai/kimi-k2.6' }, 'Active backend: nim (moonshotai/kimi-k2.6, quirks: kimi)'],
  [{ model: 'meta/llama-3.3-70b-instruct' }, 'Active backend: nim (meta/llama-3.3-70b-instruct, quirks: none)'],
  [{ model: 'moonshotai/kimi-k2.6', quirks: 'none' }, 'Active backend: nim (moonshotai/kimi-k2.6, quirks: none)'],
  [{ model: 'my-finetune', kimi: true }, 'Active backend: nim (my-finetune, quirks: kimi)'],
] as const) {
  test(`banner for ${JSON.stringify(fields)}`, { timeout: 60_000 }, async () => {
    const proxy = await startProxy({ config: config(fields), env: { PB_BANNER_KEY: 'k' } });
    try {
      assert.ok(proxy.output().includes(line), proxy.output());
    } finally {
      await proxy.stop();
    }
  });
}
