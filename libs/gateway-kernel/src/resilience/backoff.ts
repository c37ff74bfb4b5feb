import type { CancelSignal } from '../context';

/**
 * Exponential backoff with full jitter (a random wait up to the exponential
 * bound), so retries from many callers do not arrive in step.
 *
 * @example await sleep(fullJitterDelay(attempt, 25, 250), signal);
 */
export function fullJitterDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.floor(Math.random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/**
 * Waits, or rejects with the signal's reason as soon as it aborts.
 *
 * @example await sleep(50, request.signal);
 */
export function sleep(ms: number, signal?: CancelSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort);
  });
}
