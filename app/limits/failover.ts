/**
 * Which backends to try, in order, when the active one is rate limited (its queue would
 * exceed the wait, or 429 after retries) or down (connection errors / 5xx after retries).
 * Failures that another backend cannot fix (400, 401, ...) do not fail over.
 */
import type { FailureClass } from './retry-policy';

/** The active backend first, then the failover list in order, without repeats. */
export function failoverOrder(activeId: string, failover: readonly string[] = []): string[] {
  const order = [activeId];
  for (const id of failover) if (!order.includes(id)) order.push(id);
  return order;
}

/** Whether a backend that ended with this kind of failure should hand over to the next one. */
export function shouldFailOver(failure: FailureClass): boolean {
  return failure === 'rate_limited' || failure === 'down';
}
