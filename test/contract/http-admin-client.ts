/**
 * An AdminApi over HTTP + SSE for the contract tests: each command is the call the renderer's
 * bridge makes (renderer/src/bridge/http-routes.ts, so the UI and the host are checked to agree),
 * answered as the result or as the one error shape, whose status must be its code's; `subscribe`
 * reads `GET /api/events` (event-source-parser on fetch's stream).
 */
import assert from 'node:assert/strict';
import { createParser } from 'eventsource-parser';
import { apiErrorBodySchema, ERROR_STATUS, EVENTS, type AdminApi, type AdminEvent, type CommandName, type EventListener } from '../../app/api/contract';
import { HTTP_ROUTES } from '../../renderer/src/bridge/http-routes';

/** What a refused call throws: the one error shape's fields, and the HTTP status seen. */
export class HttpApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

export function httpAdminClient(baseUrl: string, adminToken: string): AdminApi & { close(): void } {
  const auth = { authorization: `Bearer ${adminToken}` };
  const streams = new Set<AbortController>();

  const call = async (command: CommandName, input: unknown): Promise<unknown> => {
    const route = (HTTP_ROUTES[command] as (input: unknown) => { method: string; path: string; body?: unknown })(input ?? {});
    const res = await fetch(baseUrl + route.path, {
      method: route.method,
      headers: route.body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
      ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await res.json()) as unknown;
    if (res.ok) return body;
    const parsed = apiErrorBodySchema.safeParse(body);
    assert.ok(parsed.success, `${route.method} ${route.path} answered ${res.status} without the one error shape: ${JSON.stringify(body)}`);
    const { code, message, field } = parsed.data.error;
    assert.equal(res.status, ERROR_STATUS[code], `${code} must be HTTP ${ERROR_STATUS[code]}`);
    throw new HttpApiError(code, message, field, res.status);
  };

  const subscribe = (listener: EventListener): (() => void) => {
    const abort = new AbortController();
    streams.add(abort);
    void (async () => {
      try {
        const res = await fetch(`${baseUrl}/api/events`, { headers: auth, signal: abort.signal });
        const parser = createParser({
          onEvent: (e) => {
            if (e.event && e.event in EVENTS) listener({ type: e.event, data: JSON.parse(e.data) } as AdminEvent);
          },
        });
        const decoder = new TextDecoder();
        for await (const chunk of res.body!) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      } catch {
        // closed by unsubscribe
      }
    })();
    return () => {
      abort.abort();
      streams.delete(abort);
    };
  };

  const commands = Object.fromEntries(
    (Object.keys(HTTP_ROUTES) as CommandName[]).map((command) => [command, (input?: unknown) => call(command, input)]),
  ) as unknown as Omit<AdminApi, 'subscribe'>;
  return {
    ...commands,
    subscribe,
    close() {
      for (const abort of streams) abort.abort();
      streams.clear();
    },
  };
}
