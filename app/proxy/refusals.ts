/**
 * Requests refused before they reach a route handler (guard: 401/403; framework: 400 bad JSON,
 * 413 too large, 404): answered in the caller's format with their `x-patchbay-request-id`, and,
 * for client calls, recorded in the request log like every other request.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../ir/errors';
import type { RequestLog } from '../log/request-log';
import { adminError } from './admin-errors';
import { encodeClientError } from './client-errors';
import { clientFormatOf } from './client-format';
import { clientEntryStart, REQUEST_ID_HEADER } from './request/request-record';

export type Refuse = (request: FastifyRequest, reply: FastifyReply, error: ApiError) => FastifyReply;

export function isAdminPath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return path === '/api' || path.startsWith('/api/');
}

/** What a refusal needs to know of the request it refuses. */
export interface RefusedRequest {
  id: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export function refusalSender(log: RequestLog | undefined): Refuse {
  return (request, reply, error) => {
    if (isAdminPath(request.url)) return reply.code(error.status).type('application/json').send(adminError(error.kind, error.message));
    const encoded = clientRefusal(log, request, error);
    return reply.code(encoded.status).header(REQUEST_ID_HEADER, request.id).headers(encoded.headers).send(encoded.body);
  };
}

/** A client call refused on the raw response (the model-call lane), recorded like the others. */
export function refuseOnResponse(log: RequestLog | undefined, request: RefusedRequest, res: ServerResponse, error: ApiError): void {
  const encoded = clientRefusal(log, request, error);
  res.writeHead(encoded.status, { [REQUEST_ID_HEADER]: request.id, ...encoded.headers });
  res.end(encoded.body);
}

/** Records a refused client call in the request log; returns the refusal in the client's format. */
function clientRefusal(log: RequestLog | undefined, request: RefusedRequest, error: ApiError) {
  const format = clientFormatOf(request.url, request.headers);
  if (log) {
    const entry = log.startEntry(clientEntryStart({ id: request.id, url: request.url, headers: request.headers, inboundFormat: format }));
    entry.update({ status: error.status, error: error.message });
    entry.finish();
  }
  return encodeClientError(format, error);
}
