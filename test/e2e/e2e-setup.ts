/** Shared setup of the end-to-end tests: both fakes and a proxy configured for them. */
import { startFakeMoonshot } from '../fakes/fake-moonshot';
import { startFakeNim } from '../fakes/fake-nim';
import type { FakeUpstream } from '../fakes/scenario';
import { startProxy, type RunningProxy } from '../helpers/proxy';

export const CLIENT_TOKEN = 'pb-client-e2e-0123456789abcdef';
export const ADMIN_TOKEN = 'pb-admin-e2e-0123456789abcdef';
export const NIM_MODEL = 'moonshotai/kimi-k2.6';
export const MOONSHOT_MODEL = 'kimi-k2.6';

export interface E2eRig {
  nim: FakeUpstream;
  moonshot: FakeUpstream;
  proxy: RunningProxy;
  /** PUT /api/active with the admin token; throws unless 200. */
  setActive(backend: 'nim' | 'moonshot'): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(active: 'nim' | 'moonshot'): Promise<E2eRig> {
  const nim = await startFakeNim();
  const moonshot = await startFakeMoonshot();
  const config = {
    clientToken: CLIENT_TOKEN,
    adminToken: ADMIN_TOKEN,
    active,
    backends: [
      { id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:PB_E2E_NIM_KEY', model: NIM_MODEL, kimi: true, fixedSampling: true },
      { id: 'moonshot', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'env:PB_E2E_MOONSHOT_KEY', model: MOONSHOT_MODEL, kimi: true },
    ],
  };
  let proxy: RunningProxy;
  try {
    proxy = await startProxy({ config, env: { PB_E2E_NIM_KEY: nim.key, PB_E2E_MOONSHOT_KEY: moonshot.key } });
  } catch (err) {
    await nim.close();
    await moonshot.close();
    throw err;
  }
  return {
    nim,
    moonshot,
    proxy,
    async setActive(backend) {
      const res = await fetch(`${proxy.url}/api/active`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ backend }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`PUT /api/active -> ${res.status}: ${text}`);
    },
    async close() {
      await proxy.stop();
      await nim.close();
      await moonshot.close();
    },
  };
}
