import { Logger } from '@nestjs/common';
import { RequestContextStore } from '../../context';
import type { LiveFeed } from './live-source.interface';

/** One connection of a feed: resolves when the upstream ends it, rejects when it fails. */
export type FeedConnection = (stop: AbortSignal) => Promise<void>;

/**
 * Keeps an upstream feed open until closed: when a connection ends or fails
 * it is made again after `reconnectMs`, doubling while it keeps failing (at
 * most 10x), back to `reconnectMs` once one has delivered. Runs outside the
 * request that opened it, so that client's deadline and departure never reach
 * a feed other clients share.
 *
 * @example const feed = reconnectingFeed('orders', (stop) => readChanges(stop), 500);
 */
export function reconnectingFeed(name: string, connect: FeedConnection, reconnectMs: number, delivered: () => boolean): LiveFeed {
  const log = new Logger('Live');
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let delay = reconnectMs;
  const run = () => {
    timer = undefined;
    connect(stop.signal).then(
      () => again(),
      (error: unknown) => {
        if (!stop.signal.aborted) log.warn(`feed ${name} failed: ${(error as Error).message ?? error}`);
        again();
      },
    );
  };
  const again = () => {
    if (stop.signal.aborted) return;
    delay = delivered() ? reconnectMs : Math.min(delay * 2, reconnectMs * 10);
    timer = setTimeout(run, delay);
    timer.unref();
  };
  RequestContextStore.outside(run);
  return {
    close() {
      stop.abort();
      if (timer) clearTimeout(timer);
    },
  };
}
