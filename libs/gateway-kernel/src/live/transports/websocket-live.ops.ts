import { Logger } from '@nestjs/common';
import type { RawData, WebSocket } from 'ws';
import type { Principal } from '../../context';
import { ErrorCode, GatewayError } from '../../errors';
import type { RequestPolicy, RoutePolicy } from '../../policy';
import type { LiveHub } from '../live-hub';
import { ackFrame, errorFrame, parseLiveOp, type LiveOp } from '../live-ops';
import type { WebSocketLiveClient } from './websocket-live.client';

/** Messages read but not yet answered that one connection may have; more at once are refused unread. */
const MAX_WAITING = 32;
const TOO_MANY = errorFrame(new GatewayError(ErrorCode.RateLimited, `at most ${MAX_WAITING} messages wait for an answer`, { headers: { 'retry-after': '1' } }));

/** What a connection's messages are checked and carried out with. */
export interface WebSocketOpsDeps {
  readonly hub: LiveHub;
  readonly requestPolicy: RequestPolicy;
  readonly policy: RoutePolicy;
  readonly principal: Principal;
  readonly ip: string;
  /** The handshake's request, for limits that are functions of it. */
  readonly subject: unknown;
  readonly maxTopics: number;
}

interface Message {
  readonly data: RawData;
  readonly binary: boolean;
}

/**
 * A WebSocket client's messages (`subscribe`/`unsubscribe` ops), answered one
 * at a time in the order they came, after the client's attach has settled.
 * Each counts as one request of the caller against the route's limits (429
 * past them, before it is even parsed, so garbage is bounded the same way),
 * then is parsed strictly and carried out on the hub; the answer is an ack or
 * an error frame, and no message closes the connection. While an answer
 * waits (a Redis limiter, a state read) the socket is paused: a client
 * sending faster than it is answered is held back by TCP.
 *
 * @example const ops = new WebSocketOps(socket, client, deps); socket.on('message', ops.take); ops.startAfter(hub.attach(client, topics, reservation));
 */
export class WebSocketOps {
  private readonly log = new Logger('Live');
  private readonly waiting: Message[] = [];
  private busy = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly client: WebSocketLiveClient,
    private readonly deps: WebSocketOpsDeps,
  ) {
    socket.once('close', () => {
      this.waiting.length = 0;
    });
  }

  /** Holds every message until `attached` settles: an op must not change topics an attach is still starting. */
  startAfter(attached: Promise<void>): void {
    this.hold(attached);
  }

  /** The socket's `message` listener. */
  readonly take = (data: RawData, binary: boolean): void => {
    if (this.waiting.length >= MAX_WAITING) {
      this.client.reply(TOO_MANY);
      return;
    }
    this.waiting.push({ data, binary });
    this.pump();
  };

  private pump(): void {
    while (!this.busy) {
      const next = this.waiting.shift();
      if (!next) {
        if (this.socket.isPaused) this.socket.resume();
        return;
      }
      const pending = this.handle(next);
      if (pending) this.hold(pending);
    }
  }

  private hold(pending: Promise<void>): void {
    this.busy = true;
    this.socket.pause();
    const done = () => {
      this.busy = false;
      this.pump();
    };
    pending.then(done, done);
  }

  /** Counts the message, then carries it out; undefined when all of it was done at once. */
  private handle(message: Message): Promise<void> | undefined {
    const { requestPolicy, policy, principal, ip, subject } = this.deps;
    let counted: Promise<void> | undefined;
    try {
      counted = requestPolicy.count(policy, { principal, ip }, subject);
    } catch (error) {
      this.refuse(error);
      return undefined;
    }
    if (!counted) return this.carryOut(message);
    return counted.then(
      () => this.carryOut(message),
      (error: unknown) => this.refuse(error),
    );
  }

  private carryOut({ data, binary }: Message): Promise<void> | undefined {
    const { hub, principal, maxTopics } = this.deps;
    let op: LiveOp;
    let subscribed: Promise<void> | undefined;
    try {
      op = parseLiveOp(binary ? '' : textOf(data), binary, principal, maxTopics);
      if (op.op === 'unsubscribe') hub.unsubscribe(this.client, op.topics);
      else subscribed = hub.subscribe(this.client, op.topics);
    } catch (error) {
      this.refuse(error);
      return undefined;
    }
    // The ack follows what the client should have first (a stock topic's current stock).
    if (!subscribed) {
      this.client.reply(ackFrame(op));
      return undefined;
    }
    return subscribed.then(
      () => this.client.reply(ackFrame(op)),
      (error: unknown) => this.refuse(error),
    );
  }

  private refuse(error: unknown): void {
    if (!(error instanceof GatewayError)) this.log.warn(`a live client's message failed: ${(error as Error)?.message ?? String(error)}`);
    this.client.reply(errorFrame(error));
  }
}

/** ws hands a text message over as one Buffer (or its fragments, or an ArrayBuffer, by binaryType). */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.isBuffer(data) ? data.toString() : Buffer.from(data).toString();
}
