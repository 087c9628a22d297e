/**
 * The client side of a proxied exchange, on the raw Node response.
 *
 * - `commit` writes the status and headers once (as soon as the upstream answers);
 * - `write` respects backpressure (resolves on `drain`, or at once when the client is gone);
 * - keep-alive pings go out whenever nothing was written for `pingIntervalMs`, also before the
 *   upstream answered (the first ping then commits a 200 event stream);
 * - a client that hangs up before the response ended triggers `onClientGone` at once;
 * - an optional observer hears the status and every byte written (for the request log).
 */
import type { ServerResponse } from 'node:http';
import { SSE_HEADERS } from './sse-headers';

/** What a ClientStream reports as it writes. */
export interface ClientStreamObserver {
  committed(status: number): void;
  /** `content`: bytes of the answer itself (not keep-alives or a closing error). */
  wrote(chunk: string | Uint8Array, content: boolean): void;
}

export class ClientStream {
  private committed = false;
  private gone = false;
  private contentSent = false;
  private statusSent = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    onClientGone: () => void,
    private readonly observer?: ClientStreamObserver,
  ) {
    res.on('close', () => {
      this.stopPings();
      if (!res.writableFinished) {
        this.gone = true;
        onClientGone();
      }
    });
  }

  get isCommitted(): boolean {
    return this.committed || this.res.headersSent;
  }

  get isGone(): boolean {
    return this.gone || this.res.destroyed;
  }

  /** Some of the answer itself (not just pings) reached the client: nothing may be retried now. */
  get hasContent(): boolean {
    return this.contentSent;
  }

  /** The status sent to the client (0 before any). */
  get status(): number {
    return this.statusSent;
  }

  commit(status: number, headers: Record<string, string>): void {
    if (this.isCommitted || this.isGone) return;
    this.committed = true;
    this.statusSent = status;
    // Not flushed alone: the headers leave with the first write (an event, a ping) in one packet.
    this.res.writeHead(status, headers);
    this.observer?.committed(status);
  }

  /**
   * Ping every `intervalMs` of silence. `canPing` vetoes a ping (e.g. in the middle of a
   * relayed event).
   */
  startPings(frame: string, intervalMs: number, canPing: () => boolean = () => true): void {
    this.stopPings();
    const tick = (): void => {
      if (this.isGone || this.res.writableEnded) return;
      if (canPing()) {
        this.commit(200, SSE_HEADERS);
        this.res.write(frame);
        this.observer?.wrote(frame, false);
      }
      this.timer?.refresh();
    };
    this.timer = setTimeout(tick, intervalMs);
    this.timer.unref();
  }

  stopPings(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.isGone || this.res.writableEnded) return;
    const ok = this.res.write(chunk);
    this.contentSent = true;
    this.observer?.wrote(chunk, true);
    this.timer?.refresh();
    if (ok) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  end(chunk?: string): void {
    this.stopPings();
    if (this.isGone || this.res.writableEnded) return;
    if (!this.isCommitted) this.commit(200, SSE_HEADERS);
    this.res.end(chunk);
    if (chunk) this.observer?.wrote(chunk, false);
  }

  /** Cuts the connection (a relayed body failed after its headers went out). */
  destroy(): void {
    this.stopPings();
    this.res.destroy();
  }

  /** Sends a complete non-streamed response (nothing must have been committed yet). */
  sendJson(status: number, headers: Record<string, string>, body: string): void {
    this.stopPings();
    if (this.isGone || this.isCommitted) return;
    this.committed = true;
    this.statusSent = status;
    this.res.writeHead(status, { 'content-type': 'application/json', ...headers });
    this.res.end(body);
    this.observer?.committed(status);
    if (status < 400) this.contentSent = true;
    this.observer?.wrote(body, status < 400);
  }
}
