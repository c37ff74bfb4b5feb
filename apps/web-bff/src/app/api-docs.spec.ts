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
});
