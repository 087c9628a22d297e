/**
 * Splits relayed SSE text at event boundaries: whole events are passed on at once, the
 * unfinished tail is held until it completes. Keep-alives and error events can then be
 * inserted between events without ever cutting one in two.
 */
const BOUNDARY = /\r\n\r\n|\n\n|\r\r/g;

export class SseEventSplitter {
  private tail = '';

  /** Returns the complete events now available ('' when none). */
  push(text: string): string {
    const buffer = this.tail + text;
    let end = -1;
    BOUNDARY.lastIndex = Math.max(0, this.tail.length - 3);
    for (let m = BOUNDARY.exec(buffer); m; m = BOUNDARY.exec(buffer)) end = m.index + m[0].length;
    if (end < 0) {
      this.tail = buffer;
      return '';
    }
    this.tail = buffer.slice(end);
    return buffer.slice(0, end);
  }

  /** True when nothing of an unfinished event is held. */
  get atBoundary(): boolean {
    return this.tail.length === 0;
  }

  /** The unfinished tail (at the end of the stream), emptied. */
  takeTail(): string {
    const t = this.tail;
    this.tail = '';
    return t;
  }
}
