/**
 * Each admin command as an HTTP call (the paths of README.md's admin table). The HTTP host
 * answers the command's result as JSON, or `{ error: { code, message, field? } }`.
 */
import type { CommandInput, CommandName } from '../../../app/api/contract';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

const seg = (id: string) => encodeURIComponent(id);

function query(input: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(input ?? {})) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

type Routes = { [C in CommandName]: (input: CommandInput<C>) => HttpCall };

export const HTTP_ROUTES: Routes = {
  getState: () => ({ method: 'GET', path: '/api/state' }),
  setActive: (input) => ({ method: 'PUT', path: '/api/active', body: input }),
  setPaused: (input) => ({ method: 'PUT', path: '/api/paused', body: input }),
  listPresets: () => ({ method: 'GET', path: '/api/presets' }),
  addBackend: (input) => ({ method: 'POST', path: '/api/backends', body: input }),
  editBackend: ({ id, fields }) => ({ method: 'PATCH', path: `/api/backends/${seg(id)}`, body: fields }),
  replaceBackend: ({ id, fields }) => ({ method: 'PUT', path: `/api/backends/${seg(id)}`, body: fields }),
  removeBackend: ({ id }) => ({ method: 'DELETE', path: `/api/backends/${seg(id)}` }),
  setFailover: (input) => ({ method: 'PUT', path: '/api/failover', body: input }),
  getKey: ({ id }) => ({ method: 'GET', path: `/api/backends/${seg(id)}/key` }),
  setKey: ({ id, key }) => ({ method: 'PUT', path: `/api/backends/${seg(id)}/key`, body: { key } }),
  deleteKey: ({ id }) => ({ method: 'DELETE', path: `/api/backends/${seg(id)}/key` }),
  testBackend: ({ id }) => ({ method: 'POST', path: `/api/backends/${seg(id)}/test` }),
  rotateClientToken: () => ({ method: 'POST', path: '/api/token/rotate' }),
  listRequests: (input) => ({ method: 'GET', path: `/api/requests${query(input)}` }),
  getRequest: ({ id }) => ({ method: 'GET', path: `/api/requests/${seg(id)}` }),
  listAgents: () => ({ method: 'GET', path: '/api/agents' }),
  previewAgent: ({ id }) => ({ method: 'POST', path: `/api/agents/${seg(id)}/preview` }),
  writeAgent: ({ id }) => ({ method: 'POST', path: `/api/agents/${seg(id)}/write` }),
  restoreAgent: ({ id, force }) => ({ method: 'POST', path: `/api/agents/${seg(id)}/restore`, body: force ? { force } : {} }),
  getClaudeCodeEnv: () => ({ method: 'GET', path: '/api/claude-code-env' }),
};

/** The SSE stream of engine events (`event: <name>` + JSON `data:`). */
export const EVENTS_PATH = '/api/events';
