import type { ServerResponse } from 'node:http';
import type { LiveClient, LiveCloseReason } from '../live-client';
import { sseBytes, type LiveEvent } from '../live-event';
import { GAP_FRAME } from '../live-hub';
import { liveMetrics } from '../live.metrics';

const HEARTBEAT = Buffer.from(': hb\n\n');
/** The drain's last event: the client reconnects (EventSource does by itself, to another replica behind the balancer). */
const RECONNECT = Buffer.from('event: reconnect\ndata: {"reason":"draining"}\n\n');
const GAP = Buffer.from(`event: gap\ndata: ${GAP_FRAME}\n\n`);

/**
 * A Server-Sent Events client: each event is `id:` plus one `data:` line
 * (the same compact JSON a WebSocket gets), heartbeats are comment lines.
 * Past `bufferBytes` unsent the response is destroyed, never waited for.
 *
 * @example hub.attach(new SseLiveClient(reply.raw, principal.id, 262144, 'web-bff'), topics, reservation, lastEventId);
 */
export class SseLiveClient implements LiveClient {
  private gone = false;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly response: ServerResponse,
    readonly userId: string,
    private readonly bufferBytes: number,
    private readonly app: string,
  ) {
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
