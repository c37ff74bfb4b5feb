import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig, type UpstreamConfig } from '../config';

export type UpstreamHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** True when the gateway closed the request before the answer was written. */
  abandoned: boolean;
}

/**
 * A node:http upstream on 127.0.0.1:0 for specs: the handler is swapped per
 * test for fault injection, and every request it saw is recorded.
 *
 * @example const upstream = await startTestUpstream(); upstream.handle(json({ ok: true }));
 */
export class TestUpstream {
  readonly seen: SeenRequest[] = [];
  private handler: UpstreamHandler = json({});

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(handler?: UpstreamHandler): Promise<TestUpstream> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const upstream = new TestUpstream(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => upstream.serve(request, response));
    if (handler) upstream.handle(handler);
    return upstream;
  }

  handle(handler: UpstreamHandler): void {
    this.handler = handler;
  }

  /** Requests seen, optionally only those whose path starts with `prefix`. */
  count(prefix = ''): number {
    return this.seen.filter((r) => r.url.startsWith(prefix)).length;
  }

  reset(): void {
    this.seen.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    const seen: SeenRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, abandoned: false };
    this.seen.push(seen);
    response.on('close', () => {
      if (!response.writableFinished) seen.abandoned = true;
    });
    this.handler(request, response);
  }
}

/** Answers JSON with the given status and headers, after `delayMs`. */
export function json(body: unknown, options: { status?: number; headers?: Record<string, string>; delayMs?: number } = {}): UpstreamHandler {
  return (_request, response) => {
    const send = () => {
      if (response.destroyed) return;
      response.writeHead(options.status ?? 200, { 'content-type': 'application/json', ...options.headers });
      response.end(JSON.stringify(body));
    };
    if (options.delayMs) setTimeout(send, options.delayMs);
    else send();
  };
}

/** Never answers; the socket stays open until the gateway gives up. */
export const hang: UpstreamHandler = () => undefined;

/** Destroys the connection before answering (a reset). */
export const reset: UpstreamHandler = (request) => request.socket.destroy();

/** Plays the handlers in order, one per request; the last one repeats. */
export function sequence(...handlers: UpstreamHandler[]): UpstreamHandler {
  let next = 0;
  return (request, response) => handlers[Math.min(next++, handlers.length - 1)](request, response);
}

/**
 * A validated UpstreamConfig for `urls` with the given overrides, as
 * loadGatewayConfig would make it (defaults filled in, nested classes).
 */
export function testUpstreamConfig(urls: string[], overrides: Record<string, unknown> = {}): UpstreamConfig {
  const config = loadGatewayConfig(
    {
      app: 'test-bff',
      upstreams: { svc: { urls, ...overrides } },
      auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] },
    },
    {},
  );
  return config.upstreams.svc;
}
