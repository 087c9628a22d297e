/** The admin API contract, in process: the engine's own `api` object, no transport. */
import { runAdminApiContract } from '../../contract/admin-api-contract';

runAdminApiContract('in-process', async (engine) => ({ api: engine.api, close: async () => undefined }));
