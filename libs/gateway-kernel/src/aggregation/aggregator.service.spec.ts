import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig } from '../config';
import { RequestContextStore } from '../context';
import { GatewayError } from '../errors';
import { UpstreamRegistry } from '../upstream';
import { AggregationPlan } from './aggregation-plan';
import { Aggregator } from './aggregator.service';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('Aggregator', () => {
  let server: Server;
  let registry: UpstreamRegistry;
  let aggregator: Aggregator;
  const routes = new Map<string, Handler>();
  let inFlight = 0;
  let maxInFlight = 0;
  const closedEarly: string[] = [];

  const json = (body: unknown, delayMs = 0): Handler => (req, res) => {
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    }, delayMs);
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => {
        inFlight--;
        if (!res.writableFinished) closedEarly.push(req.url ?? '');
      });
      const handler = routes.get((req.url ?? '').split('?')[0]);
      if (handler) handler(req, res);
      else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadGatewayConfig(
      { app: 'test-bff', upstreams: { svc: { urls: [url], retry: { maxAttempts: 0 } } }, auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] } },
      {},
    );
    registry = new UpstreamRegistry(config);
    aggregator = new Aggregator(registry);
  });
  afterAll(async () => {
    await registry.onApplicationShutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    routes.clear();
    maxInFlight = 0;
    closedEarly.length = 0;
  });

  const inContext = <T>(fn: () => Promise<T>, signal?: AbortSignal) =>
    RequestContextStore.run({ requestId: 'test-request-1', signal }, fn);

  it('runs independent sources at the same time and a dependent one with its dependency’s result', async () => {
    routes.set('/a', json({ ids: ['x', 'y'] }, 50));
    routes.set('/b', json({ b: true }, 50));
    routes.set('/c', (req, res) => json({ got: new URL(req.url!, 'http://h').searchParams.get('ids') })(req, res));
    const plan = new AggregationPlan<{ n: number }>('t', { deadlineMs: 2_000 })
      .add('a', { upstream: 'svc', required: true, request: () => ({ url: '/a' }), map: (d: { ids: string[] }) => d.ids })
      .add('b', { upstream: 'svc', required: false, request: () => ({ url: '/b' }) })
      .add('c', { upstream: 'svc', required: true, dependsOn: ['a'], request: ({ results }) => ({ url: '/c', params: { ids: results.a!.join(',') } }) });

    const result = await inContext(() => aggregator.run(plan, { n: 1 }));
    expect(result).toEqual({ data: { a: ['x', 'y'], b: { b: true }, c: { got: 'x,y' } }, complete: true, missing: [] });
    expect(maxInFlight).toBe(2);
  });

  it('reports a failed optional source as missing, and skips what depends on it', async () => {
    routes.set('/a', json({ ok: 1 }));
    routes.set('/b', (_req, res) => {
      res.statusCode = 500;
      res.end('{"detail":"db-primary.internal down"}');
    });
    const plan = new AggregationPlan('t', { deadlineMs: 1_000 })
      .add('a', { upstream: 'svc', required: true, request: () => ({ url: '/a' }) })
      .add('b', { upstream: 'svc', required: false, request: () => ({ url: '/b' }) })
      .add('afterB', { upstream: 'svc', required: false, dependsOn: ['b'], request: () => ({ url: '/a' }) });
    const result = await inContext(() => aggregator.run(plan, {}));
    expect(result.complete).toBe(false);
    expect(result.missing.sort()).toEqual(['afterB', 'b']);
    expect(result.data).toEqual({ a: { ok: 1 } });
  });

  it('fails the request with the mapped status when a required source fails, and aborts the rest', async () => {
    routes.set('/slow', json({}, 2_000));
    routes.set('/missing-thing', (_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const plan = new AggregationPlan('t', { deadlineMs: 3_000 })
      .add('slow', { upstream: 'svc', required: false, request: () => ({ url: '/slow' }) })
      .add('req', { upstream: 'svc', required: true, request: () => ({ url: '/missing-thing' }) });
    await expect(inContext(() => aggregator.run(plan, {}))).rejects.toMatchObject({ status: 503 });
    await new Promise((r) => setTimeout(r, 50));
    expect(closedEarly).toContain('/slow');
  });

  it('gives a hung optional source its timeout and still answers', async () => {
    routes.set('/a', json({ ok: 1 }));
    routes.set('/hang', () => undefined);
    const plan = new AggregationPlan('t', { deadlineMs: 1_000 })
      .add('a', { upstream: 'svc', required: true, request: () => ({ url: '/a' }) })
      .add('hang', { upstream: 'svc', required: false, timeoutMs: 100, request: () => ({ url: '/hang' }) });
    const result = await inContext(() => aggregator.run(plan, {}));
    expect(result).toEqual({ data: { a: { ok: 1 } }, complete: false, missing: ['hang'] });
  });

  it('answers 504 when a required source outlives the route deadline', async () => {
    routes.set('/hang', () => undefined);
    const plan = new AggregationPlan('t', { deadlineMs: 150 }).add('hang', { upstream: 'svc', required: true, request: () => ({ url: '/hang' }) });
    const error = await inContext(() => aggregator.run(plan, {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(504);
  });

  it('aborts in-flight upstream calls when the client goes away', async () => {
    routes.set('/hang', () => undefined);
    const client = new AbortController();
    const plan = new AggregationPlan('t', { deadlineMs: 5_000 }).add('hang', { upstream: 'svc', required: false, request: () => ({ url: '/hang' }) });
    const running = inContext(() => aggregator.run(plan, {}), client.signal).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    client.abort();
    await running;
    await new Promise((r) => setTimeout(r, 50));
    expect(closedEarly).toContain('/hang');
  });

  it('sends the request id and the remaining budget upstream', async () => {
    let headers: IncomingMessage['headers'] = {};
    routes.set('/a', (req, res) => {
      headers = req.headers;
      json({})(req, res);
    });
    const plan = new AggregationPlan('t', { deadlineMs: 800 }).add('a', { upstream: 'svc', required: true, request: () => ({ url: '/a' }) });
    await inContext(() => aggregator.run(plan, {}));
    expect(headers['x-request-id']).toBe('test-request-1');
    expect(Number(headers['x-request-timeout-ms'])).toBeGreaterThan(0);
    expect(Number(headers['x-request-timeout-ms'])).toBeLessThanOrEqual(800);
  });

  it('compiles a plan once: upstreams are resolved on its first run, not per run', async () => {
    routes.set('/a', json({ ok: 1 }));
    const plan = new AggregationPlan('t', { deadlineMs: 1_000 }).add('a', { upstream: 'svc', required: true, request: () => ({ url: '/a' }) });
    const lookups = jest.spyOn(registry, 'get');
    try {
      for (let i = 0; i < 3; i++) await inContext(() => aggregator.run(plan, {}));
      expect(lookups).toHaveBeenCalledTimes(1);
      const unknown = new AggregationPlan('u', { deadlineMs: 1_000 }).add('x', { upstream: 'nope', required: true, request: () => null });
      await expect(inContext(() => aggregator.run(unknown, {}))).rejects.toThrow(/unknown upstream "nope"/);
    } finally {
      lookups.mockRestore();
    }
  });

  it('sends query params as URLSearchParams would, and a JSON body with its content type', async () => {
    const seen: Array<{ url?: string; type?: string; body: string }> = [];
    routes.set('/echo', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ url: req.url, type: req.headers['content-type'], body });
        json({})(req, res);
      });
    });
    const params = { q: "a b&c=d/é!'()~*", ids: ['x,y', 'z'], none: undefined };
    const plan = new AggregationPlan('t', { deadlineMs: 1_000 })
      .add('get', { upstream: 'svc', required: true, request: () => ({ url: '/echo', params }) })
      .add('post', { upstream: 'svc', required: true, request: () => ({ method: 'post', url: '/echo', data: { n: 1 } }) });
    await inContext(() => aggregator.run(plan, {}));
    const expected = new URLSearchParams([['q', params.q], ['ids', 'x,y'], ['ids', 'z']]).toString();
    expect(seen.find((s) => s.body === '')?.url).toBe(`/echo?${expected}`);
    expect(seen.find((s) => s.body !== '')).toMatchObject({ url: '/echo', type: 'application/json', body: '{"n":1}' });
  });

  it('fails a source whose request builder or map throws, like any failed call', async () => {
    routes.set('/a', json({ ok: 1 }));
    const plan = new AggregationPlan('t', { deadlineMs: 1_000 })
      .add('a', { upstream: 'svc', required: true, request: () => ({ url: '/a' }) })
      .add('badRequest', {
        upstream: 'svc',
        required: false,
        request: () => {
          throw new Error('no');
        },
      })
      .add('badMap', {
        upstream: 'svc',
        required: false,
        request: () => ({ url: '/a' }),
        map: () => {
          throw new Error('no');
        },
      });
    const result = await inContext(() => aggregator.run(plan, {}));
    expect(result.data).toEqual({ a: { ok: 1 } });
    expect(result.missing.sort()).toEqual(['badMap', 'badRequest']);
  });

  it('refuses plans whose dependencies are not declared before them', () => {
    expect(() =>
      new AggregationPlan<unknown, { a: unknown }>('t', { deadlineMs: 100 }).add('b', {
        upstream: 'svc',
        required: true,
        dependsOn: ['a'],
        request: () => null,
      }),
    ).toThrow(/not added before/);
  });
});
