import type { WebSocket } from 'ws';
import type { Principal } from '../../context';
import { LIVE_CLOSE_CODES, type LiveClient, type LiveCloseReason } from '../live-client';
import { frameBytes, type LiveEvent } from '../live-event';
import { liveMetrics } from '../live.metrics';

/** The close frame's reason text, where the code alone does not say what to do. */
const CLOSE_TEXT: Partial<Record<LiveCloseReason, string>> = { draining: 'reconnect', expired: 'token expired' };

/**
 * A WebSocket client: events, and the answers to its messages, go out as
 * text frames of compact JSON; past `bufferBytes` queued (ws's own queue
 * plus the socket's) the client is cut off at once, since a close frame
 * would wait behind the same queue. A ping goes out every heartbeat; no pong
 * since the last one ends the connection. At its principal's `expiresAt` the
 * hub closes it with 4001 `token expired`.
 *
 * @example hub.attach(new WebSocketLiveClient(socket, principal, 262144, 'mobile-bff'), topics, reservation);
 */
export class WebSocketLiveClient implements LiveClient {
  private alive = true;
  private gone = false;
  private readonly listeners: (() => void)[] = [];
  readonly userId: string;
  readonly expiresAt?: number;

  constructor(
    private readonly socket: WebSocket,
    principal: Pick<Principal, 'id' | 'expiresAt'>,
    private readonly bufferBytes: number,
    private readonly app: string,
  ) {
    this.userId = principal.id;
    this.expiresAt = principal.expiresAt;
    liveMetrics.connections.inc({ app, transport: 'websocket' });
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  send(event: LiveEvent): void {
    this.write(frameBytes(event));
  }

  /** An answer to one of the client's messages (`{"op":"subscribed",...}`), queued and bounded like the events. */
  reply(frame: string): void {
    this.write(frame);
  }

  heartbeat(): void {
    if (this.gone) return;
    if (!this.alive) {
      this.close('heartbeat');
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  close(reason: LiveCloseReason): void {
    if (this.gone) return;
    if (reason !== 'closed') liveMetrics.dropped.inc({ app: this.app, reason });
    if (reason === 'overflow' || reason === 'heartbeat') this.socket.terminate();
    else this.socket.close(LIVE_CLOSE_CODES[reason], CLOSE_TEXT[reason]);
    this.finish();
  }

  onGone(listener: () => void): void {
    if (this.gone) listener();
    else this.listeners.push(listener);
  }

  private write(frame: Buffer | string): void {
    if (this.gone) return;
    this.socket.send(frame, { binary: false });
    if (this.socket.bufferedAmount > this.bufferBytes) this.close('overflow');
  }

  private finish(): void {
    if (this.gone) return;
    this.gone = true;
    liveMetrics.connections.dec({ app: this.app, transport: 'websocket' });
    for (const listener of this.listeners) listener();
  }
}
