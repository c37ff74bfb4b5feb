/**
 * What the gateway needs of an abort signal: whether it fired, why, and to be
 * told when it does. An AbortSignal is one (so callers may pass theirs);
 * CallSignal is the gateway's own, for the signals it makes per request and
 * per upstream call. Listeners are called without arguments: read `reason`
 * from the signal itself.
 *
 * @example if (signal?.aborted) throw signal.reason;
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * A one-shot abort signal without EventTarget: making one and adding or
 * removing a listener cost a small array, where an AbortController costs
 * microseconds (several are made for every request). undici takes it as a
 * request's `signal` (it only uses `aborted`, `reason` and the two listener
 * methods); code that needs a real AbortSignal should make its own.
 *
 * @example const signal = new CallSignal(); setTimeout(() => signal.abort(new Error('timeout')), 100);
 */
export class CallSignal implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined = undefined;

  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.aborted) return;
    if (this.listeners === undefined) this.listeners = [listener];
    else if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    const listeners = this.listeners;
    if (type !== 'abort' || listeners === undefined) return;
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  }

  /** Fires once: later calls do nothing. Each listener runs once; one that throws does not stop the others. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners === undefined) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // As EventTarget does: the error surfaces as uncaught, the other listeners still run.
        process.nextTick(() => {
          throw error;
        });
      }
    }
  }
}
