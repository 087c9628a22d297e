/**
 * The bridge over HTTP for the page `patchbay serve` serves: commands are same-origin fetches
 * (the session cookie goes along: `credentials: 'same-origin'`), events come from one
 * EventSource on /api/events, opened while someone listens. Answers are checked against the
 * contract's schemas; every failure becomes a BridgeError in the one error shape. The
 * connection state follows what the engine does: `offline` when it does not answer (the
 * EventSource keeps retrying), `signed-out` on a 401 (the page needs a new login code).
 */
import { apiErrorBodySchema, COMMANDS, ERROR_STATUS, EVENTS } from '../../../app/api/contract';
import type { AdminEvent, ErrorCode, EventName } from '../../../app/api/contract';
import { BridgeError } from './bridge';
import type { Bridge, CallArgs, CommandName, CommandResult, Connection } from './bridge';
import { EVENTS_PATH, HTTP_ROUTES } from './http-routes';
import type { HttpCall } from './http-routes';

export interface HttpBridgeOptions {
  /** Origin + path prefix of the engine; '' (default) is the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
  /** After the event stream closed for good (an HTTP error), open it again after this long. */
  reopenEventsMs?: number;
}

const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

function codeForStatus(status: number): ErrorCode {
  const found = (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>).find(([, s]) => s === status);
  if (found) return found[0];
  return status >= 500 ? 'internal' : 'invalid_request';
}

async function errorFrom(response: Response): Promise<BridgeError> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return new BridgeError(parsed.data.error);
  } catch {
    /* not JSON: described below */
  }
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 160);
  return new BridgeError({ code: codeForStatus(response.status), message: `Patchbay answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}` });
}

export function createHttpBridge(options: HttpBridgeOptions = {}): Bridge {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource;
  const reopenEventsMs = options.reopenEventsMs ?? 3_000;

  let connection: Connection = 'connecting';
  const connectionListeners = new Set<(c: Connection) => void>();
  const eventListeners = new Set<(e: AdminEvent) => void>();
  let source: EventSource | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setConnection = (next: Connection): void => {
    if (next === connection) return;
    connection = next;
    for (const listener of [...connectionListeners]) listener(next);
  };

  const emit = (event: AdminEvent): void => {
    for (const listener of [...eventListeners]) listener(event);
  };

  async function send(call: HttpCall): Promise<Response> {
    const init: RequestInit = { method: call.method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (call.body !== undefined) {
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      init.body = JSON.stringify(call.body);
    }
    try {
      return await doFetch(`${baseUrl}${call.path}`, init);
    } catch {
      setConnection('offline');
      throw new BridgeError({ code: 'unavailable', message: 'Patchbay is not answering: is `patchbay serve` still running?' });
    }
  }

  async function call<C extends CommandName>(command: C, ...args: CallArgs<C>): Promise<CommandResult<C>> {
    const route = HTTP_ROUTES[command] as (input: unknown) => HttpCall;
    const response = await send(route(args[0]));
    if (response.status === 401) {
      setConnection('signed-out');
      throw await errorFrom(response);
    }
    if (response.status === 502 || response.status === 503 || response.status === 504) setConnection('offline');
    else setConnection('online');
    if (!response.ok) throw await errorFrom(response);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new BridgeError({ code: 'internal', message: `Patchbay's answer to ${command} was not JSON` });
    }
    const parsed = COMMANDS[command].result.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new BridgeError({ code: 'internal', message: `Patchbay's answer to ${command} does not match the contract${where}` });
    }
    return parsed.data as CommandResult<C>;
  }

  function openEvents(): void {
    if (source || closed || eventListeners.size === 0 || !EventSourceImpl) return;
    const es = new EventSourceImpl(`${baseUrl}${EVENTS_PATH}`);
    source = es;
    es.onopen = () => setConnection('online');
    es.onerror = () => {
      if (es.readyState !== EventSourceImpl.CLOSED) {
        setConnection('offline'); // the EventSource reconnects by itself
        return;
      }
      // Closed for good (an HTTP error answer): find out why, and try again later.
      es.close();
      if (source === es) source = undefined;
      void call('getState').catch(() => undefined);
      if (!closed && eventListeners.size > 0) reopenTimer = setTimeout(() => ((reopenTimer = undefined), openEvents()), reopenEventsMs);
    };
    for (const name of EVENT_NAMES) {
      es.addEventListener(name, (message) => {
        let data: unknown;
        try {
          data = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        const parsed = EVENTS[name].safeParse(data);
        if (parsed.success) emit({ type: name, data: parsed.data } as AdminEvent);
      });
    }
  }

  function closeEvents(): void {
    if (reopenTimer) clearTimeout(reopenTimer);
    reopenTimer = undefined;
    source?.close();
    source = undefined;
  }

  return {
    call,
    subscribe(listener) {
      eventListeners.add(listener);
      openEvents();
      return () => {
        eventListeners.delete(listener);
        if (eventListeners.size === 0) closeEvents();
      };
    },
    connection: () => connection,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      closeEvents();
      eventListeners.clear();
      connectionListeners.clear();
    },
  };
}
