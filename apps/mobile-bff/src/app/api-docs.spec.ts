import { createTestBff, type TestBff } from '@gateway/kernel/testing';
import { AppModule } from './app.module';
import { MOBILE_BFF_DEFAULTS } from './mobile-bff.config';

describe('mobile-bff API docs (/docs/json)', () => {
  let bff: TestBff;
  let doc: any;

  beforeAll(async () => {
    bff = await createTestBff(AppModule, MOBILE_BFF_DEFAULTS);
    doc = (await bff.inject({ method: 'GET', url: '/docs/json' })).json();
  });
  afterAll(() => bff?.close());

  it('documents each endpoint with the bearer scheme where a token is needed', () => {
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ scheme: 'bearer' }) });
    expect(doc.paths['/api/home'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/orders/{id}'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/products'].get.security).toBeUndefined();
  });

  it('describes the cursor query and the order id from the DTOs', () => {
    const query = doc.paths['/api/products'].get.parameters;
    expect(query).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'cursor', in: 'query', required: false }),
        expect.objectContaining({ name: 'limit', in: 'query', required: false }),
      ]),
    );
    expect(doc.paths['/api/orders/{id}'].get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
  });
});
