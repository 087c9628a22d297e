/**
 * Which wire format a client speaks and what it asks for, from the route it called (each
 * format's codec names its routes): errors and pings are written in that format.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientRoute, WireFormat } from '../codecs/codec';
import { codecFor, WIRE_FORMATS } from '../codecs/registry';

/** Every client route of every format. */
export const CLIENT_ROUTES: ReadonlyArray<ClientRoute & { format: WireFormat }> = WIRE_FORMATS.flatMap((format) =>
  codecFor(format).wire.clientRoutes.map((route) => ({ ...route, format })),
);

const ROUTE_OF_PATH = new Map(CLIENT_ROUTES.map((r) => [r.path, r]));

/** The client route a URL calls (its query string ignored), if it is one. */
export function clientRouteOf(url: string): (ClientRoute & { format: WireFormat }) | undefined {
  const query = url.indexOf('?');
  return ROUTE_OF_PATH.get(query < 0 ? url : url.slice(0, query));
}

export function clientFormatOf(url: string, headers: IncomingHttpHeaders): WireFormat {
  const known = clientRouteOf(url)?.format;
  if (known) return known;
  // Other paths (/v1/models, unknown ones): Anthropic clients say so with their version header.
  return headers['anthropic-version'] !== undefined ? 'anthropic' : 'openai';
}
