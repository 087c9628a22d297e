/**
 * The model-call lane: the server's first look at every request. A model call (a POST to a
 * client route, `?query` allowed) is served here on node:http directly; anything else (admin
 * API, dashboard, /v1/models, unknown routes) goes on to fastify.
 *
 * Why: a model call needs none of fastify's routing, hooks, request and reply objects or child
 * logger, and those were about a third of Patchbay's own work on a small request (ADR 0012). What
 * a model call gets is the same as through fastify: the guard (guard.ts), the body limit (413),
 * JSON of any content type (400 on invalid JSON, as json-body.ts), a request id answered as
 * `x-patchbay-request-id` and used by the diagnostics, and refusals in the client's format,
 * recorded in the request log (refusals.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { FastifyBaseLogger } from 'fastify';
import type { ApiError } from '../ir/errors';
import type { RequestLog } from '../log/request-log';
import { newEntryId } from '../log/request-log';
import { apiErrorFromFramework } from './client-errors';
import { clientRouteOf } from './client-format';
import type { GuardedRequest } from './guard';
import { parseJsonBody } from './json-body';
import { refuseOnResponse } from './refusals';
import { handleRequest } from './request/handle-request';
import type { ProxyDeps } from './request/proxy-request';

export interface ModelCallLaneOptions {
  deps: ProxyDeps;
  checkAccess: (request: GuardedRequest) => ApiError | undefined;
  bodyLimit: number;
  requestLog: RequestLog | undefined;
  /** The server's logger: each call's diagnostics go to a child of it with `reqId`, made on first use. */
  log: FastifyBaseLogger;
}

type Route = NonNullable<ReturnType<typeof clientRouteOf>>;

/** Returns a handler that takes a model call (true) or leaves the request to fastify (false). */
export function createModelCallLane(options: ModelCallLaneOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const route = clientRouteOf(url);
    if (!route) return false;
    takeModelCall(req, res, url, route, options);
    return true;
  };
}

function takeModelCall(req: IncomingMessage, res: ServerResponse, url: string, route: Route, options: ModelCallLaneOptions): void {
  const id = newEntryId();
  const refuse = (error: ApiError): void => {
    if (!res.headersSent && !res.destroyed) refuseOnResponse(options.requestLog, { id, url, headers: req.headers }, res, error);
  };
  const refusal = options.checkAccess({ method: 'POST', url, headers: req.headers });
  if (refusal) {
    refuse(refusal);
    req.resume();
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (declared > options.bodyLimit) {
    refuse(apiErrorFromFramework({ statusCode: 413, message: 'body too large' }));
    req.resume();
    return;
  }
  // A client that goes away before its body is in has nothing to be answered.
  req.on('error', () => undefined);
  // Decoded as it arrives, never joined into one large Buffer (utf8-pieces.ts says why).
  const decoder = new StringDecoder('utf8');
  let text = '';
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > options.bodyLimit) {
      tooLarge = true;
      text = '';
      refuse(apiErrorFromFramework({ statusCode: 413, message: 'body too large' }));
      return;
    }
    text += decoder.write(chunk);
  });
  req.once('end', () => {
    if (tooLarge || res.destroyed) return;
    text += decoder.end();
    let body: unknown;
    try {
      body = parseJsonBody(text);
    } catch (err) {
      refuse(apiErrorFromFramework(err as SyntaxError));
      return;
    }
    const log = lazyChildLogger(options.log, id);
    // handleRequest answers every failure itself; anything escaping it is a bug, said on stderr.
    handleRequest({ id, url, headers: req.headers, body, log, res }, options.deps, route.format, route.operation).catch((err: unknown) => {
      log.error({ err }, 'model call failed outside its handler');
      if (!res.headersSent) refuse(apiErrorFromFramework({ statusCode: 500, message: 'internal error' }));
      else res.destroy();
    });
  });
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * A child logger with `reqId`, made on the first line logged (most calls log nothing). A class
 * with its level methods on the prototype: nothing but this small object is made per call.
 */
class LazyChildLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly reqId: string,
  ) {}

  get level(): string {
    return this.parent.level;
  }

  child(bindings: Record<string, unknown>): FastifyBaseLogger {
    return this.logger().child(bindings);
  }

  logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child({ reqId: this.reqId }));
  }
}
for (const level of LEVELS) {
  Object.defineProperty(LazyChildLogger.prototype, level, {
    value(this: LazyChildLogger, ...args: unknown[]) {
      (this.logger()[level] as (...a: unknown[]) => void)(...args);
    },
  });
}

export function lazyChildLogger(parent: FastifyBaseLogger, reqId: string): FastifyBaseLogger {
  return new LazyChildLogger(parent, reqId) as unknown as FastifyBaseLogger;
}
