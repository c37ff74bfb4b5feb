import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';

/**
 * Load shedding off for the BFFs of these suites: on a busy shared machine its
 * event-loop check answers 503 to handshakes, and these suites are not about it.
 */
export const STEADY = { OVERLOAD_ENABLED: 'false' } as const;

/** One event as a live client receives it. */
export interface LiveFrame {
  id: string;
  topic: string;
  data: Record<string, unknown>;
}

/** Polls until `check` holds; fails the test with `what` otherwise. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The gateway's answer to a client's message: `{"op":"subscribed","topics":[...]}`, `{"op":"error","status":400,"detail":"..."}`. */
export interface LiveReply {
  op: string;
  topics?: string[];
  status?: number;
  detail?: string;
  retryAfter?: number;
}

export interface LiveSocket {
  ws: WebSocket;
  /** Events, in the order they came. */
  frames: LiveFrame[];
  /** Answers to what the client sent, in order. */
  replies: LiveReply[];
  pings: number;
  closed: Promise<{ code: number; reason: string }>;
}

/** A WebSocket to `<bff>/api/live`, open (rejects with the HTTP status when the handshake is refused). */
export function openSocket(url: string, options: { protocols?: string[]; headers?: Record<string, string>; autoPong?: boolean } = {}): Promise<LiveSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers, autoPong: options.autoPong ?? true });
    const socket: LiveSocket = {
      ws,
      frames: [],
      replies: [],
      pings: 0,
      closed: new Promise((done) => ws.once('close', (code, reason) => done({ code, reason: reason.toString() }))),
    };
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as LiveFrame | LiveReply;
      if ('op' in message) socket.replies.push(message);
      else socket.frames.push(message);
    });
    ws.on('ping', () => socket.pings++);
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`handshake answered ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/** Sends one message (an object as JSON, a string as it is, a Buffer as a binary frame) and waits for the gateway's answer to it. */
export async function ask(socket: LiveSocket, message: object | string | Buffer): Promise<LiveReply> {
  const before = socket.replies.length;
  if (Buffer.isBuffer(message)) socket.ws.send(message, { binary: true });
  else socket.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  await until(() => socket.replies.length > before, 'an answer to the message');
  return socket.replies[before];
}

export interface HandshakeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Sends a WebSocket handshake and reads the answer when it is not a 101 (a refusal is plain HTTP). */
export function handshake(url: string, headers: Record<string, string> = {}): Promise<HandshakeAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
      timeout: 5_000,
      agent: false,
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: undefined });
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A WebSocket client that completes the handshake and then never reads: its
 * events pile up in the gateway's buffer for it.
 */
export function stalledSocket(url: string, token: string): Promise<Socket> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () => {
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      );
    });
    socket.once('data', (chunk) => {
      if (!chunk.toString().startsWith('HTTP/1.1 101')) reject(new Error(`stalled socket: ${chunk.toString().split('\r\n')[0]}`));
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => undefined);
  });
}

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: IncomingHttpHeaders;
  events: SseEvent[];
  /** Comment lines (heartbeats) seen. */
  comments: number;
  ended: Promise<void>;
  close(): void;
  body?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  frames(): LiveFrame[];
}

/** `GET <url>` as an event stream; a non-200 answer is read whole into `body`. */
export function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } });
    req.on('response', (res) => {
      let endResolve: () => void = () => undefined;
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: 0,
        ended: new Promise((r) => (endResolve = r)),
        close: () => req.destroy(),
        frames: () => stream.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data) as LiveFrame),
      };
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
      res.on('error', () => endResolve());
      if (stream.status !== 200) {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ ...stream, body: text ? JSON.parse(text) : undefined }));
        return;
      }
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments++;
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) stream.events.push({ ...event, data: data.join('\n') });
        }
      });
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The orders sim's change controls. */
export function orderChanges(ordersUrl: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${ordersUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
    return response.json() as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return {
    setStatus: (orderId: string, status: string) => call('PUT', `/__sim/orders/${orderId}/status`, { status }),
    burst: (orderId: string, count: number) => call('POST', `/__sim/orders/${orderId}/changes`, { count }),
    subscribers: async () => ((await call('GET', '/__sim/orders/feed')) as { subscribers: number }).subscribers,
    /** The first order of a user, by the sim's own listing. */
    firstOrderOf: async (userId: string) => ((await call('GET', `/orders?userId=${userId}&limit=1`)) as { items: { id: string }[] }).items[0].id,
  };
}

/** A metric's value from a BFF's management `/metrics` (0 when absent). */
export async function metric(bffUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${bffUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** The `sub` of a JWT (who the gateway will take the caller for). */
export function subjectOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
}

/** Sets a product's stock in the inventory sim (`PUT /__sim/stock/:sku`), which its watches then report. */
export async function setStock(inventoryUrl: string, sku: string, stock: number): Promise<void> {
  const response = await fetch(`${inventoryUrl}/__sim/stock/${sku}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stock }),
  });
  if (response.status !== 200) throw new Error(`setting the stock of ${sku} answered ${response.status}`);
}
