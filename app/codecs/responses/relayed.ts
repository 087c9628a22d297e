/**
 * Facts a pass-through (Responses backend -> Responses client, bodies relayed as they are) needs
 * about a Responses event or body, for the proxy's usage sniffer and response-id rewriter:
 * - usage rides in `response.usage` of `response.completed` / `.incomplete` / `.failed`, or in
 *   a whole body's `usage`;
 * - the response id is `response.id` of every lifecycle event (created, queued, in_progress,
 *   completed, incomplete, failed) or a whole body's `id`; every one must carry the same id.
 */
import type { Usage } from '../../ir/conversation';
import { usageFromWire } from './usage';
import { wireUsageSchema } from './wire-types';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** The object holding the response's `id` and `usage`: the event's `response`, or the body itself. */
function responseObject(value: Json): Json | undefined {
  if (typeof value.type === 'string' && value.type.startsWith('response.')) return asObject(value.response);
  return value.object === 'response' ? value : undefined;
}

/** Usage of a relayed Responses event or whole body (parsed JSON), when it carries some. */
export function relayedUsage(value: unknown): Usage | undefined {
  const object = asObject(value);
  const response = object ? responseObject(object) : undefined;
  if (!response || response.usage === null || response.usage === undefined) return undefined;
  const wire = wireUsageSchema.safeParse(response.usage);
  return wire.success ? usageFromWire(wire.data) : undefined;
}

/**
 * Put `clientId` in place of the response id of a relayed event or whole body (mutates `value`);
 * returns the upstream's id ('' when it had none), or undefined when `value` carries no response id.
 */
export function replaceRelayedResponseId(value: unknown, clientId: string): string | undefined {
  const object = asObject(value);
  const response = object ? responseObject(object) : undefined;
  if (!response) return undefined;
  const upstream = typeof response.id === 'string' ? response.id : '';
  response.id = clientId;
  return upstream;
}
