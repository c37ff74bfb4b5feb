import { createTestBff, type TestBff } from '@gateway/kernel/testing';
import { AppModule } from './app.module';
import { PARTNER_BFF_DEFAULTS } from './partner-bff.config';

describe('partner-bff API docs (/docs/json)', () => {
  let bff: TestBff;
  let doc: any;

  beforeAll(async () => {
    bff = await createTestBff(AppModule, PARTNER_BFF_DEFAULTS);
    doc = (await bff.inject({ method: 'GET', url: '/docs/json' })).json();
  });
  afterAll(() => bff?.close());

  it('documents every /v1 endpoint behind the API key header, with its scope', () => {
    expect(doc.components.securitySchemes).toEqual({ apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }) });
    for (const [path, method] of [['/v1/products', 'get'], ['/v1/products/{id}/availability', 'get'], ['/v1/orders', 'post']]) {
      const operation = doc.paths[path][method];
      expect(operation.security).toEqual([{ apiKey: [] }]);
      expect(operation.responses['403']).toBeDefined();
      expect(operation.responses['429'].headers['Retry-After']).toBeDefined();
    }
  });

  it('describes the v1 order body in its published field names', () => {
    const body = doc.components.schemas.CreateOrderDto;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['customer_id', 'lines', 'external_reference']));
    expect(body.required).toEqual(expect.arrayContaining(['customer_id', 'lines']));
    expect(doc.components.schemas.OrderLineDto.required).toEqual(expect.arrayContaining(['product_id', 'quantity']));
  });
});
