import { status } from '@grpc/grpc-js';
import { loadGatewayConfig } from '../config';
import type { GatewayError } from '../errors';
import { answer, failWith, hangCall, TEST_GRPC_CONTRACT, TestGrpcUpstream } from '../testing/test-grpc-upstream';
import { json, TestUpstream } from '../testing/test-upstream';
import { UpstreamRegistry } from '../upstream';
import { AggregationPlan } from './aggregation-plan';
import { Aggregator } from './aggregator.service';

const stock = (sku: string, units: number) => ({ sku, stock: units, available: units > 0, revision: 0, updatedAt: '' });

describe('gRPC sources in aggregation plans', () => {
  let inventory: TestGrpcUpstream;
  let catalog: TestUpstream;
  let registry: UpstreamRegistry;
  let aggregator: Aggregator;

  beforeEach(async () => {
    inventory = await TestGrpcUpstream.start();
    catalog = await TestUpstream.start(json({ id: 'p1', name: 'Lamp', relatedIds: ['p2', 'p3'] }));
    const config = loadGatewayConfig(
      {
        app: 'test-bff',
        upstreams: {
          catalog: { urls: [catalog.url], retry: { maxAttempts: 0 }, cache: { enabled: false } },
          inventory: { urls: [inventory.url], protocol: 'grpc', grpc: { ...TEST_GRPC_CONTRACT }, retry: { maxAttempts: 0 }, breaker: { enabled: false } },
        },
        auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] },
      },
      {},
    );
    registry = new UpstreamRegistry(config);
    aggregator = new Aggregator(registry);
  });
  afterEach(async () => {
    await registry.onApplicationShutdown();
    await inventory.close();
    await catalog.close();
  });

  const pagePlan = (required: boolean) =>
    new AggregationPlan<{ id: string }>(`page-${required}`, { deadlineMs: 500 })
      .add('product', { upstream: 'catalog', required: true, request: ({ input }) => ({ url: `/products/${input.id}` }) })
      .add('stock', { upstream: 'inventory', rpc: 'GetAvailability', required, request: ({ input }) => ({ data: { sku: input.id } }) });

  it('runs a gRPC source beside an HTTP one, the message as data', async () => {
    inventory.unary('GetAvailability', answer(stock('p1', 4)));
    const result = await aggregator.run(pagePlan(false), { id: 'p1' });
    expect(result).toMatchObject({ complete: true, missing: [], data: { product: { id: 'p1' }, stock: { sku: 'p1', stock: 4, available: true } } });
  });

  it('an optional gRPC source that fails leaves the answer degraded, not failed', async () => {
    inventory.unary('GetAvailability', failWith(status.UNAVAILABLE));
    const result = await aggregator.run(pagePlan(false), { id: 'p1' });
    expect(result).toMatchObject({ complete: false, missing: ['stock'], data: { product: { id: 'p1' } } });
    expect(result.data).not.toHaveProperty('stock');
  });

  it('an optional gRPC source that hangs is cut at the deadline, the rest still answered', async () => {
    inventory.unary('GetAvailability', hangCall);
    const result = await aggregator.run(pagePlan(false), { id: 'p1' });
    expect(result).toMatchObject({ complete: false, missing: ['stock'] });
    expect(inventory.seen[0].deadlineInMs).toBeLessThanOrEqual(500);
  });

  it.each([
    [status.NOT_FOUND, 404],
    [status.UNAVAILABLE, 503],
    [status.PERMISSION_DENIED, 403],
    [status.INTERNAL, 502],
  ])('a required gRPC source failing with %s fails the request with %s', async (code, httpStatus) => {
    inventory.unary('GetAvailability', failWith(code));
    const error = await aggregator.run(pagePlan(true), { id: 'p1' }).then(() => undefined, (e: GatewayError) => e);
    expect(error?.status).toBe(httpStatus);
  });

  it('a gRPC source may depend on an HTTP one, batched: one call for every id', async () => {
    inventory.unary('BatchGetAvailability', (call, callback) => callback(null, { items: call.request.skus.map((sku: string) => stock(sku, 2)) }));
    const plan = new AggregationPlan<{ id: string }>('related-stock', { deadlineMs: 500 })
      .add('product', { upstream: 'catalog', required: true, request: ({ input }) => ({ url: `/products/${input.id}` }) })
      .add('stock', {
        upstream: 'inventory',
        rpc: 'BatchGetAvailability',
        required: false,
        dependsOn: ['product'],
        request: ({ results }) => ({ data: { skus: [(results.product as { id: string }).id, ...(results.product as { relatedIds: string[] }).relatedIds] } }),
        map: (data: { items: { sku: string; available: boolean }[] }) => new Map(data.items.map((a) => [a.sku, a.available])),
      });
    const result = await aggregator.run(plan, { id: 'p1' });
    expect([...(result.data.stock as Map<string, boolean>).keys()]).toEqual(['p1', 'p2', 'p3']);
    expect(inventory.count('BatchGetAvailability')).toBe(1);
  });

  it('an HTTP source may depend on a gRPC one; a failed gRPC dependency leaves it missing too', async () => {
    const plan = new AggregationPlan<{ id: string }>('stock-then-product', { deadlineMs: 500 })
      .add('stock', { upstream: 'inventory', rpc: 'GetAvailability', required: false, request: ({ input }) => ({ data: { sku: input.id } }) })
      .add('product', { upstream: 'catalog', required: false, dependsOn: ['stock'], request: ({ input }) => ({ url: `/products/${input.id}` }) });
    inventory.unary('GetAvailability', answer(stock('p1', 1)));
    expect(await aggregator.run(plan, { id: 'p1' })).toMatchObject({ complete: true, data: { stock: { stock: 1 }, product: { id: 'p1' } } });
    inventory.unary('GetAvailability', failWith(status.UNAVAILABLE));
    catalog.reset();
    expect(await aggregator.run(plan, { id: 'p1' })).toMatchObject({ complete: false, missing: ['stock', 'product'] });
    expect(catalog.seen).toHaveLength(0);
  });

  it('refuses a wrong plan when it is compiled: no rpc for a gRPC upstream, an rpc for an HTTP one, an unknown or streaming rpc', async () => {
    const bad = [
      new AggregationPlan('no-rpc', { deadlineMs: 100 }).add('s', { upstream: 'inventory', required: true, request: () => ({ data: {} }) }),
      new AggregationPlan('http-rpc', { deadlineMs: 100 }).add('s', { upstream: 'catalog', rpc: 'GetAvailability', required: true, request: () => ({ url: '/' }) }),
      new AggregationPlan('unknown', { deadlineMs: 100 }).add('s', { upstream: 'inventory', rpc: 'GetStock', required: true, request: () => ({ data: {} }) }),
      new AggregationPlan('stream', { deadlineMs: 100 }).add('s', { upstream: 'inventory', rpc: 'WatchAvailability', required: true, request: () => ({ data: {} }) }),
    ];
    const messages = [/name its rpc/, /speaks http/, /GetStock is not a method/, /streams its answer/];
    for (const [i, plan] of bad.entries()) await expect(aggregator.run(plan, {})).rejects.toThrow(messages[i]);
    expect(inventory.seen).toHaveLength(0);
  });
});
