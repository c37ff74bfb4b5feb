import { credentials, type Client, loadPackageDefinition, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { LEAK_MARKERS } from '../faults/fault-responses';
import { type RunningService, startService } from '../start-service';
import { INVENTORY_PROTO, PROTO_LOADER_OPTIONS, protoRoot } from './inventory-proto';

type Callback<T> = (error: ServiceError | null, value?: T) => void;
interface InventoryClient extends Client {
  GetAvailability(request: unknown, metadata: Metadata, options: object, callback: Callback<any>): void;
  BatchGetAvailability(request: unknown, metadata: Metadata, options: object, callback: Callback<any>): void;
  WatchAvailability(request: unknown, metadata?: Metadata, options?: object): NodeJS.ReadableStream & { cancel(): void; on(event: string, l: (...a: any[]) => void): unknown };
}

const definition = loadSync(join(protoRoot(), INVENTORY_PROTO), PROTO_LOADER_OPTIONS);
const Inventory = (loadPackageDefinition(definition) as any).inventory.v1.Inventory as new (target: string, creds: unknown) => InventoryClient;

describe('inventory sim (gRPC)', () => {
  let inventory: RunningService;
  let client: InventoryClient;

  beforeEach(async () => {
    inventory = await startService('inventory', { port: 0 });
    client = new Inventory(`127.0.0.1:${inventory.port}`, credentials.createInsecure());
  });
  afterEach(async () => {
    client.close();
    await inventory.close();
  });

  const call = <T = any>(method: 'GetAvailability' | 'BatchGetAvailability', request: unknown, metadata = new Metadata(), deadlineMs = 5000) =>
    new Promise<{ value?: T; error?: ServiceError; headers?: Metadata }>((resolve) => {
      let headers: Metadata | undefined;
      const c = client[method](request, metadata, { deadline: Date.now() + deadlineMs }, (error, value) => resolve({ error: error ?? undefined, value, headers }));
      (c as unknown as NodeJS.EventEmitter).on('metadata', (m: Metadata) => (headers = m));
    });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${inventory.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('answers GetAvailability from the seeded catalog, zeros included, and names its instance', async () => {
    const { value, headers } = await call('GetAvailability', { sku: 'p1' });
    expect(value).toMatchObject({ sku: 'p1', available: true, revision: 0 });
    expect(value.stock).toBeGreaterThan(0);
    expect(headers?.get('x-sim-instance')).toEqual([`inventory:${inventory.port}`]);
    expect((await call('GetAvailability', { sku: 'p10' })).value).toMatchObject({ sku: 'p10', stock: 0, available: false });
  });

  it('GetAvailability: NOT_FOUND for an unknown sku, INVALID_ARGUMENT for a malformed one', async () => {
    expect((await call('GetAvailability', { sku: 'p9999' })).error?.code).toBe(status.NOT_FOUND);
    expect((await call('GetAvailability', { sku: '../p1' })).error?.code).toBe(status.INVALID_ARGUMENT);
    expect((await call('GetAvailability', {})).error?.code).toBe(status.INVALID_ARGUMENT);
  });

  it('BatchGetAvailability answers in the order asked, leaves unknown skus out, and caps the count', async () => {
    const { value } = await call('BatchGetAvailability', { skus: ['p3', 'nope', 'p1', 'p3'] });
    expect(value.items.map((a: { sku: string }) => a.sku)).toEqual(['p3', 'p1']);
    const tooMany = Array.from({ length: 101 }, (_, i) => `p${i + 1}`);
    expect((await call('BatchGetAvailability', { skus: tooMany })).error?.code).toBe(status.INVALID_ARGUMENT);
    expect((await call('BatchGetAvailability', { skus: [] })).error?.code).toBe(status.INVALID_ARGUMENT);
  });

  it('WatchAvailability sends the current stock, then each change, and lets go when cancelled', async () => {
    const stream = client.WatchAvailability({ skus: ['p1', 'p2', 'unknown'] });
    const seen: any[] = [];
    const cancelled = new Promise<ServiceError>((resolve) => stream.on('error', resolve));
    const got = (n: number) => new Promise<void>((resolve) => {
      const check = () => (seen.length >= n ? resolve() : undefined);
      stream.on('data', (a: any) => {
        seen.push(a);
        check();
      });
    });
    await got(2);
    expect(seen.map((a) => a.sku)).toEqual(['p1', 'p2']);
    const changed = got(3);
    expect((await control('PUT', '/__sim/stock/p2', { stock: 0 })).body).toMatchObject({ sku: 'p2', stock: 0, available: false, revision: 1 });
    await changed;
    expect(seen[2]).toMatchObject({ sku: 'p2', stock: 0, available: false, revision: 1 });
    expect(inventory.ledger?.watcherCount).toBe(2);
    stream.cancel();
    expect((await cancelled).code).toBe(status.CANCELLED);
    await waitFor(() => inventory.ledger?.watcherCount === 0);
    expect((await call('GetAvailability', { sku: 'p2' })).value).toMatchObject({ stock: 0, revision: 1 });
  });

  it('WatchAvailability: NOT_FOUND when no sku asked for is known', async () => {
    const stream = client.WatchAvailability({ skus: ['nope'] });
    const error = await new Promise<ServiceError>((resolve) => stream.on('error', resolve));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('PUT /__sim/stock/:sku validates the sku and the body', async () => {
    expect((await control('PUT', '/__sim/stock/p9999', { stock: 1 })).status).toBe(404);
    expect((await control('PUT', '/__sim/stock/p1', { stock: -1 })).status).toBe(400);
    expect((await control('PUT', '/__sim/stock/p1', { stock: 1, extra: true })).status).toBe(400);
    expect((await control('GET', '/__sim/stock/p1')).body).toMatchObject({ sku: 'p1', revision: 0 });
  });

  it('records each call with its metadata and the deadline it arrived with', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-1');
    metadata.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    await call('GetAvailability', { sku: 'p1' }, metadata, 3000);
    const { body } = await control('GET', '/__sim/stats');
    expect(body.total).toBe(1);
    expect(body.byRoute).toEqual({ '/inventory.v1.Inventory/GetAvailability': 1 });
    const [seen] = body.lastRequests;
    expect(seen).toMatchObject({ method: 'POST', url: '/inventory.v1.Inventory/GetAvailability', headers: { 'x-request-id': 'req-1' } });
    expect(seen.headers.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(seen.deadline.remainingMs).toBeGreaterThan(0);
    expect(seen.deadline.remainingMs).toBeLessThanOrEqual(3000);
  });

  it('serves /health and the control routes on the gRPC port, over HTTP/1.1', async () => {
    expect((await control('GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await control('GET', '/__sim/faults')).body).toMatchObject({ mode: 'ok', status: status.INTERNAL });
  });

  describe('faults', () => {
    it('errors by gRPC status (name or number), with internal details the gateway must drop', async () => {
      expect((await control('PUT', '/__sim/faults', { errorRate: 1, status: 'UNAVAILABLE' })).body.status).toBe(status.UNAVAILABLE);
      const { error } = await call('GetAvailability', { sku: 'p1' });
      expect(error?.code).toBe(status.UNAVAILABLE);
      expect(error?.details).toContain(LEAK_MARKERS[0]);
      expect(String(error?.metadata.get('x-debug-stack'))).toContain(LEAK_MARKERS[2]);
      await control('PUT', '/__sim/faults', { errorRate: 1, status: 5 });
      expect((await call('BatchGetAvailability', { skus: ['p1'] })).error?.code).toBe(status.NOT_FOUND);
    });

    it('rejects HTTP statuses, unknown names, and routes on connection faults', async () => {
      for (const body of [{ status: 503 }, { status: 'BROKEN' }, { mode: 'down', routes: ['/inventory.v1.Inventory/Get'] }, { latncy: 1 }]) {
        expect((await control('PUT', '/__sim/faults', body)).status).toBe(400);
      }
    });

    it('routes narrow call faults to method-path prefixes', async () => {
      await control('PUT', '/__sim/faults', { errorRate: 1, status: 'UNAVAILABLE', routes: ['/inventory.v1.Inventory/Batch'] });
      expect((await call('GetAvailability', { sku: 'p1' })).error).toBeUndefined();
      expect((await call('BatchGetAvailability', { skus: ['p1'] })).error?.code).toBe(status.UNAVAILABLE);
    });

    it('hang: no answer until the deadline, and nothing is held afterwards', async () => {
      await control('PUT', '/__sim/faults', { mode: 'hang' });
      expect((await call('GetAvailability', { sku: 'p1' }, new Metadata(), 200)).error?.code).toBe(status.DEADLINE_EXCEEDED);
      await control('DELETE', '/__sim/faults');
      expect((await call('GetAvailability', { sku: 'p1' })).value?.sku).toBe('p1');
    });

    it('hang: close() does not wait for a patient client', async () => {
      await control('PUT', '/__sim/faults', { mode: 'hang' });
      const pending = call('GetAvailability', { sku: 'p1' }, new Metadata(), 30_000);
      await waitFor(async () => (await control('GET', '/__sim/stats')).body.total === 1);
      await inventory.close();
      expect((await pending).error?.code).toBe(status.UNAVAILABLE);
    });

    it('garbage: a message no decoder accepts', async () => {
      await control('PUT', '/__sim/faults', { mode: 'garbage' });
      expect((await call('GetAvailability', { sku: 'p1' })).error?.code).toBe(status.INTERNAL);
    });

    it('down: open connections drop and new ones close at once, until cleared', async () => {
      expect((await call('GetAvailability', { sku: 'p1' })).value?.sku).toBe('p1');
      await control('PUT', '/__sim/faults', { mode: 'down' });
      expect((await call('GetAvailability', { sku: 'p1' })).error?.code).toBe(status.UNAVAILABLE);
      await control('DELETE', '/__sim/faults');
      // A fresh client: the old one's reconnect backoff is grpc-js's business, not the sim's.
      client.close();
      client = new Inventory(`127.0.0.1:${inventory.port}`, credentials.createInsecure());
      expect((await call('GetAvailability', { sku: 'p1' })).value?.sku).toBe('p1');
    });

    it('reset: the connection is reset as it opens', async () => {
      await control('PUT', '/__sim/faults', { mode: 'reset' });
      expect((await call('GetAvailability', { sku: 'p1' })).error?.code).toBe(status.UNAVAILABLE);
    });

    it('latency delays the answer by at least latencyMs', async () => {
      await control('PUT', '/__sim/faults', { latencyMs: 150 });
      const started = Date.now();
      expect((await call('GetAvailability', { sku: 'p1' })).value?.sku).toBe('p1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
