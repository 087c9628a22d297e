/** Abort helpers shared by the limiter and the retrying call. */
import type { CancelSignal } from './cancellation';
import type { Clock } from './clock';

/** The error to reject with when `signal` aborted: its reason, or a standard AbortError. */
export function abortReason(signal: CancelSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Wait `ms` on `clock`; rejects with the abort reason (and cancels the timer) when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: CancelSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(abortReason(signal as CancelSignal));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
