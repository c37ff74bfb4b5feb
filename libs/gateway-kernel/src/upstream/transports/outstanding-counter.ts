import type { UpstreamInstance } from '../../pipeline/upstream-call';

/**
 * Counts a call in flight on its instance until `release` (once, however
 * often it is called); transports keep it only where least-outstanding
 * balancing reads it.
 *
 * @example const release = countOutstanding ? outstandingCounter(instance) : undefined;
 */
export function outstandingCounter(instance: UpstreamInstance): () => void {
  instance.outstanding++;
  let released = false;
  return () => {
    if (!released) {
      released = true;
      instance.outstanding--;
    }
  };
}
