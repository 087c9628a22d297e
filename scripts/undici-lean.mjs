// Stand-in for `import ... from 'undici'` inside the built bundle only (scripts/build.mjs).
// undici's index loads all of undici at start (fetch, cookies, WebSocket, mocks, caches, about
// 1 MB of code, ~10 MB RSS and ~60 ms of start-up); Patchbay uses only an Agent and request().
// These are undici's own modules, wired the way its index.js wires them. An import of a name
// not exported here fails the build (esbuild checks ESM names), so it cannot drift silently.
// Tests run the TypeScript sources against the full undici; the CLI tests run this bundle.
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import errors from 'undici/lib/core/errors.js';
import util from 'undici/lib/core/util.js';
import { URL } from 'node:url';
import globalDispatcher from 'undici/lib/global.js';

// As undici's index.js does: the request/stream/... methods on every dispatcher.
Object.assign(Dispatcher.prototype, api);

/** undici's top-level request(url, opts), as its index.js builds it (makeDispatcher), for a URL string or URL. */
function request(url, opts) {
  if (typeof url !== 'string' && !(url instanceof URL)) throw new errors.InvalidArgumentError('invalid url');
  if (opts != null && typeof opts !== 'object') throw new errors.InvalidArgumentError('invalid opts');
  if (opts?.path != null) throw new errors.InvalidArgumentError('opts.path is not supported by the bundled undici request(): pass a full URL');
  const options = opts ?? {};
  const parsed = util.parseURL(url);
  const { agent, dispatcher = globalDispatcher.getGlobalDispatcher() } = options;
  if (agent) throw new errors.InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
  return api.request.call(dispatcher, {
    ...options,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: options.method || (options.body ? 'PUT' : 'GET'),
  });
}

export { Agent, Dispatcher, errors, request };
