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

const FORMAT_OF_PATH = new Map(CLIENT_ROUTES.map((r) => [r.path, r.format]));

export function clientFormatOf(url: string, headers: IncomingHttpHeaders): WireFormat {
  const path = url.split('?', 1)[0] ?? '';
  const known = FORMAT_OF_PATH.get(path);
  if (known) return known;
  // Other paths (/v1/models, unknown ones): Anthropic clients say so with their version header.
  return headers['anthropic-version'] !== undefined ? 'anthropic' : 'openai';
}
