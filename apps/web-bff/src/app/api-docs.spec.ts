import { createTestBff, type TestBff } from '@gateway/kernel/testing';
import { AppModule } from './app.module';
import { WEB_BFF_DEFAULTS } from './web-bff.config';

describe('web-bff API docs (/docs/json)', () => {
  let bff: TestBff;
  let doc: any;

  beforeAll(async () => {
    bff = await createTestBff(AppModule, WEB_BFF_DEFAULTS);
    doc = (await bff.inject({ method: 'GET', url: '/docs/json' })).json();
  });
  afterAll(() => bff?.close());

  it('documents each endpoint with the bearer scheme where a token is needed', () => {
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ scheme: 'bearer', bearerFormat: 'JWT' }) });
    expect(doc.paths['/api/dashboard'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/orders'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/products/{id}'].get.security).toBeUndefined();
    expect(Object.keys(doc.paths).some((path) => path.startsWith('/api/catalog/'))).toBe(true);
  });

  it('describes the order body and the product id from the DTOs', () => {
    expect(doc.paths['/api/orders'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateOrderDto' });
    expect(doc.components.schemas.OrderLineDto.required).toEqual(expect.arrayContaining(['productId', 'quantity']));
    expect(doc.paths['/api/products/{id}'].get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(doc.paths['/api/orders'].post.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]);
  });

  it('documents the live stream as Server-Sent Events behind a token, with its topics and the reconnect header', () => {
    const live = doc.paths['/api/live'].get;
    expect(live.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(live.responses['200'].content)).toEqual(['text/event-stream']);
    expect(live.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['query:topics', 'header:Last-Event-ID']);
    expect(Object.keys(live.responses)).toEqual(expect.arrayContaining(['400', '401', '429', '503']));
  });

  it('gives the aggregated pages their view schema plus meta, and the pass-through its upstream answer', () => {
    const page = doc.paths['/api/products/{id}'].get.responses['200'];
    expect(page.content['application/json'].schema.allOf).toEqual([
      { $ref: '#/components/schemas/ProductPage' },
      expect.objectContaining({ required: ['meta'], properties: { meta: { $ref: '#/components/schemas/AggregationMeta' } } }),
    ]);
    expect(page.headers['x-aggregation-complete']).toBeDefined();
    expect(doc.paths['/api/catalog/products/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Product' });
    expect(Object.keys(doc.components.schemas.ProductPage.properties)).toEqual(['product', 'reviews', 'related']);
  });
});
