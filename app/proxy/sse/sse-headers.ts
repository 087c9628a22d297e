/** Headers of the event streams the proxy writes (each format's ping frame is its codec's `wire.pingFrame`). */
export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};
