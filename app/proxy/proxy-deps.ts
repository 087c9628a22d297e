/** What the route handlers share: backends, keys, the upstream client and stream settings. */
import type { BackendRegistry } from '../routing/backend-registry';
import type { KeySource } from '../vault/key-source';
import type { UpstreamClient } from './upstream/upstream-client';

export interface ProxyDeps {
  registry: BackendRegistry;
  keySource: KeySource;
  upstream: UpstreamClient;
  pingIntervalMs: number;
}
