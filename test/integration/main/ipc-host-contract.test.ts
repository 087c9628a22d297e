/**
 * The admin API contract over Electron IPC: a real engine listening on a loopback socket, and
 * every command and event going the way the window's go (renderer bridge -> preload -> IPC with
 * Electron's cloning and error stripping -> IPC host -> engine.api).
 */
import { runAdminApiContract } from '../../contract/admin-api-contract';
import { ipcAdminClient } from './helpers/ipc-admin-client';

runAdminApiContract('ipc', async (engine) => {
  const url = await engine.listen('127.0.0.1', 0);
  const client = ipcAdminClient(engine.api, () => url);
  return { api: client.api, close: async () => client.close() };
});
