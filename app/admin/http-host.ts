/**
 * The admin API over HTTP: a table of (method, path) -> command, each route a few lines that
 * build the command's input from the path, query and body, call the API, and answer its result
 * or its error in the one shape `{ error: { code, message, field? } }` with the code's status.
 * Framework refusals (bad JSON, too large, wrong media type) get the same shape, in our words.
 * `GET /api/events` streams the events (event-routes.ts). Auth is the server guard's.
 * Paths are README.md's admin table. A route registered already (the proxy server's own
 * `/api/state` and `/api/active`, app/proxy/routes/admin.ts) is left as it is: those serve
 * the API bound to the app with `bindAdminApi`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiCommandError, asApiError } from '../api/api-error';
import type { AdminApi, AdminCommands, CallContext, CommandName } from '../api/contract';
import { MAX_KEY_BYTES } from '../vault/key-shape';
import { registerEventRoutes } from './event-routes';

type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

interface Route {
  method: Method;
  url: string;
  command: CommandName;
  input?: (request: FastifyRequest<{ Params: Record<string, string> }>) => unknown;
  /** Status of a success (default 200). */
  created?: boolean;
  /** Largest body accepted (default: the server's). */
  bodyLimit?: number;
}

/** Room for a 4 KiB key plus JSON escaping; bigger bodies are refused before parsing. */
const KEY_BODY_LIMIT_BYTES = 4 * MAX_KEY_BYTES;

const body = (r: FastifyRequest) => r.body;
const id = (r: FastifyRequest<{ Params: Record<string, string> }>) => ({ id: r.params.id });
/** The body's fields plus the path's id (a body that is no object stays visible as `body`, and is refused). */
const idAndBody = (r: FastifyRequest<{ Params: Record<string, string> }>) => {
  const b = r.body ?? {};
  return typeof b === 'object' && !Array.isArray(b) ? { ...(b as object), id: r.params.id } : { id: r.params.id, body: b };
};
const idAndFields = (r: FastifyRequest<{ Params: Record<string, string> }>) => ({ id: r.params.id, fields: r.body });

export const ADMIN_ROUTES: readonly Route[] = [
  { method: 'GET', url: '/api/state', command: 'getState' },
  { method: 'PUT', url: '/api/active', command: 'setActive', input: body },
  { method: 'PUT', url: '/api/paused', command: 'setPaused', input: body },
  { method: 'GET', url: '/api/backends', command: 'getState' },
  { method: 'GET', url: '/api/presets', command: 'listPresets' },
  { method: 'POST', url: '/api/backends', command: 'addBackend', input: body, created: true },
  { method: 'PATCH', url: '/api/backends/:id', command: 'editBackend', input: idAndFields },
  { method: 'PUT', url: '/api/backends/:id', command: 'replaceBackend', input: idAndFields },
  { method: 'DELETE', url: '/api/backends/:id', command: 'removeBackend', input: id },
  { method: 'PUT', url: '/api/failover', command: 'setFailover', input: body },
  { method: 'GET', url: '/api/backends/:id/key', command: 'getKey', input: id, bodyLimit: KEY_BODY_LIMIT_BYTES },
  { method: 'PUT', url: '/api/backends/:id/key', command: 'setKey', input: idAndBody, bodyLimit: KEY_BODY_LIMIT_BYTES },
  { method: 'DELETE', url: '/api/backends/:id/key', command: 'deleteKey', input: id, bodyLimit: KEY_BODY_LIMIT_BYTES },
  { method: 'POST', url: '/api/backends/:id/test', command: 'testBackend', input: id },
  { method: 'POST', url: '/api/token/rotate', command: 'rotateClientToken', bodyLimit: KEY_BODY_LIMIT_BYTES },
  { method: 'GET', url: '/api/requests', command: 'listRequests', input: (r) => r.query ?? {} },
  { method: 'GET', url: '/api/requests/:id', command: 'getRequest', input: id },
  { method: 'GET', url: '/api/agents', command: 'listAgents' },
  { method: 'POST', url: '/api/agents/:id/preview', command: 'previewAgent', input: id },
  { method: 'POST', url: '/api/agents/:id/write', command: 'writeAgent', input: id },
  { method: 'POST', url: '/api/agents/:id/restore', command: 'restoreAgent', input: idAndBody },
  { method: 'GET', url: '/api/claude-code-env', command: 'getClaudeCodeEnv' },
];

/** Framework errors in our words (the framework's may quote the input, which may hold a key). */
function frameworkError(error: FastifyError): ApiCommandError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiCommandError('too_large', 'request body too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiCommandError('unsupported_media_type', 'send JSON with content-type application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiCommandError('invalid_request', 'request body must be valid JSON');
    default:
      return typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
        ? new ApiCommandError('invalid_request', 'bad request')
        : asApiError(error);
  }
}

function sendError(reply: FastifyReply, error: ApiCommandError): FastifyReply {
  return reply.code(error.status).header('cache-control', 'no-store').send(error.toBody());
}

function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const api = error instanceof ApiCommandError ? error : frameworkError(error);
  const fields = { statusCode: api.status, code: api.code, errorName: error.name, errorCode: error.code };
  if (api.status >= 500) request.log.error(fields, api.message);
  else request.log.info(fields, api.message);
  void sendError(reply, api);
}

/** Where this request reached Patchbay (its loopback Host), for snippets that name the URL. */
function contextOf(request: FastifyRequest): CallContext {
  return request.headers.host ? { baseUrl: `http://${request.headers.host}` } : {};
}

const boundApis = new WeakMap<FastifyInstance, AdminApi>();

/** Make `api` the one the app's admin routes serve (also those registered before it existed). */
export function bindAdminApi(app: FastifyInstance, api: AdminApi): void {
  boundApis.set(app, api);
}

export function boundAdminApi(app: FastifyInstance): AdminApi | undefined {
  return boundApis.get(app);
}

/**
 * Register the routes of the commands `api` has (all of them, or `only` these), skipping
 * routes the app has already. `api` may be a function: the API in force at each call.
 */
export function registerAdminCommandRoutes(
  app: FastifyInstance,
  api: Partial<AdminCommands> | (() => Partial<AdminCommands>),
  only?: readonly CommandName[],
): void {
  const current = typeof api === 'function' ? api : () => api;
  for (const route of ADMIN_ROUTES) {
    if (only && !only.includes(route.command)) continue;
    if (typeof api !== 'function' && !api[route.command]) continue;
    if (app.hasRoute({ method: route.method, url: route.url })) continue;
    app.route<{ Params: Record<string, string> }>({
      method: route.method,
      url: route.url,
      errorHandler: handleError,
      ...(route.bodyLimit !== undefined ? { bodyLimit: route.bodyLimit } : {}),
      handler: async (request, reply) => {
        const run = current()[route.command] as ((input: unknown, context: CallContext) => Promise<unknown>) | undefined;
        if (!run) throw new ApiCommandError('not_found', `${route.method} ${route.url} is not served here`);
        const result = await run(route.input ? route.input(request) : undefined, contextOf(request));
        void reply.header('cache-control', 'no-store');
        if (route.created) void reply.code(201);
        return result;
      },
    });
  }
}

export interface AdminHttpHostOptions {
  /** SSE heartbeat (default 15 s). */
  heartbeatMs?: number;
}

/**
 * The whole admin API on `app`: binds `api` to it, registers every command's route and
 * `GET /api/events`. The engine calls this once, in place of the old per-group registrations.
 */
export async function registerAdminHttpHost(app: FastifyInstance, api: AdminApi, options: AdminHttpHostOptions = {}): Promise<void> {
  bindAdminApi(app, api);
  registerAdminCommandRoutes(app, api);
  await app.register(registerEventRoutes, { events: api, ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}) });
}
