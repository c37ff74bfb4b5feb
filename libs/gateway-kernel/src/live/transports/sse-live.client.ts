import type { ServerResponse } from 'node:http';
import type { Principal } from '../../context';
import type { LiveClient, LiveCloseReason } from '../live-client';
import { sseBytes, type LiveEvent } from '../live-event';
import { GAP_FRAME } from '../live-hub';
import { liveMetrics } from '../live.metrics';

const HEARTBEAT = Buffer.from(': hb\n\n');
/** The drain's last event: the client reconnects (EventSource does by itself, to another replica behind the balancer). */
const RECONNECT = Buffer.from('event: reconnect\ndata: {"reason":"draining"}\n\n');
/** The last event at the token's exp: the client reconnects too, but with a fresh token (the old one gets 401). */
const EXPIRED = Buffer.from('event: reconnect\ndata: {"reason":"expired","detail":"the token expired; reconnect with a fresh one"}\n\n');
const GAP = Buffer.from(`event: gap\ndata: ${GAP_FRAME}\n\n`);

/**
 * A Server-Sent Events client: each event is `id:` plus one `data:` line
 * (the same compact JSON a WebSocket gets), heartbeats are comment lines.
 * Past `bufferBytes` unsent the response is destroyed, never waited for.
 * At its principal's `expiresAt` the hub ends it after an `expired` event.
 *
 * @example hub.attach(new SseLiveClient(reply.raw, principal, 262144, 'web-bff'), topics, reservation, lastEventId);
 */
export class SseLiveClient implements LiveClient {
  private gone = false;
  private readonly listeners: (() => void)[] = [];
  readonly userId: string;
  readonly expiresAt?: number;

  constructor(
    private readonly response: ServerResponse,
    principal: Pick<Principal, 'id' | 'expiresAt'>,
    private readonly bufferBytes: number,
    private readonly app: string,
  ) {
    this.userId = principal.id;
    this.expiresAt = principal.expiresAt;
    liveMetrics.connections.inc({ app, transport: 'sse' });
    response.on('close', () => this.finish());
  }

  send(event: LiveEvent): void {
    this.write(sseBytes(event));
  }

  /** Tells the client that events after its `Last-Event-ID` are no longer kept. */
  gap(): void {
    this.write(GAP);
  }

  heartbeat(): void {
    this.write(HEARTBEAT);
  }

  close(reason: LiveCloseReason): void {
    if (this.gone) return;
    if (reason !== 'closed') liveMetrics.dropped.inc({ app: this.app, reason });
    if (reason === 'draining') this.response.end(RECONNECT);
    else if (reason === 'expired') this.response.end(EXPIRED);
    else if (reason === 'closed') this.response.end();
    else this.response.destroy();
    this.finish();
  }

  onGone(listener: () => void): void {
    if (this.gone) listener();
    else this.listeners.push(listener);
  }

  private write(bytes: Buffer): void {
    if (this.gone) return;
    this.response.write(bytes);
    if (this.response.writableLength > this.bufferBytes) this.close('overflow');
  }

  private finish(): void {
    if (this.gone) return;
    this.gone = true;
    liveMetrics.connections.dec({ app: this.app, transport: 'sse' });
    for (const listener of this.listeners) listener();
  }
}
