/**
 * The admin API contract over the HTTP + SSE host: a real engine listening on a loopback socket,
 * the calls the renderer's bridge makes, with the admin token.
 */
import { runAdminApiContract } from '../../contract/admin-api-contract';
import { httpAdminClient } from '../../contract/http-admin-client';

runAdminApiContract('http', async (engine) => {
  const url = await engine.listen('127.0.0.1', 0);
  const client = httpAdminClient(url, engine.adminToken());
  return { api: client, close: async () => client.close() };
});
