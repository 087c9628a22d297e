/**
 * Request log commands: `listRequests` (filters: backend, agent, status exact / class / error /
 * ok, text; newest first; cursor paging; requests in flight included, marked `inFlight`) and
 * `getRequest` (one entry, with bodies when the log keeps them).
 */
import { isValidCursor, type ListQuery } from '../log/log-index';
import type { RequestLog } from '../log/request-log';
import { invalid, notFound, parseInput } from './api-error';
import { COMMANDS, type AdminCommands } from './contract';

export interface RequestDeps {
  log: Pick<RequestLog, 'list' | 'get'>;
}

export function requestCommands({ log }: RequestDeps): Pick<AdminCommands, 'listRequests' | 'getRequest'> {
  return {
    listRequests: async (input) => {
      const parsed = parseInput(COMMANDS.listRequests.input, input ?? {});
      const query: ListQuery = {};
      for (const [key, value] of Object.entries(parsed ?? {})) {
        if (value !== undefined && value !== '') (query as Record<string, unknown>)[key] = value;
      }
      if (query.cursor !== undefined && !isValidCursor(query.cursor)) throw invalid('cursor: is not a cursor from this API', 'cursor');
      return log.list(query);
    },
    getRequest: async (input) => {
      const { id } = parseInput(COMMANDS.getRequest.input, input, 'input must be {"id": "<request id>"}');
      const entry = await log.get(id);
      if (!entry) throw notFound(`no request with id "${id}"`);
      return entry;
    },
  };
}
