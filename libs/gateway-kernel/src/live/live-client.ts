import type { LiveEvent } from './live-event';

/**
 * Why the gateway ends a live connection; each transport says it its own way
 * (close code, final event). `expired`: the credential it was admitted with
 * ended; the client reconnects with a fresh token.
 */
export type LiveCloseReason = 'draining' | 'overflow' | 'heartbeat' | 'expired' | 'closed';

/**
 * WebSocket close codes: 1012 (service restart) tells a client to reconnect,
 * to another replica; the 4xxx ones are this gateway's own (4000 + the
 * matching HTTP status where there is one).
 */
export const LIVE_CLOSE_CODES: Readonly<Record<LiveCloseReason, number>> = {
  draining: 1012,
  overflow: 4008,
  heartbeat: 4000,
  expired: 4001,
  closed: 1000,
};

/**
 * One connected client as the hub sees it, whatever its transport. `send`
 * never waits: a transport queues the frame and cuts the client off itself
 * once more than `live.bufferBytes` wait (then calls `onGone`).
 *
 * @example hub.attach(new SseLiveClient(reply.raw, principal, 262144, 'web-bff'), topics, reservation);
 */
export interface LiveClient {
  readonly userId: string;
  /** Epoch ms at which the credential it was admitted with ends (its principal's `expiresAt`); the hub closes it then. */
  readonly expiresAt?: number;
  send(event: LiveEvent): void;
  /** Keeps the connection alive through proxies; drops it if the other side stopped answering. */
  heartbeat(): void;
  close(reason: LiveCloseReason): void;
  /** Called once when the connection is gone, for whatever reason. */
  onGone(listener: () => void): void;
}
