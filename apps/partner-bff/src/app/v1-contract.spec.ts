import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestBff } from '@gateway/kernel/testing';
import { apiCompare } from 'api-smart-diff';
import { AppModule } from './app.module';
import { PARTNER_BFF_DEFAULTS } from './partner-bff.config';

/** The committed /v1 contract; `npm run contract:update` rewrites it for an intended change. */
const SNAPSHOT = join(__dirname, '../../contract/v1.openapi.json');
const UPDATE = process.env.UPDATE_V1_CONTRACT === '1';

type Doc = { openapi: string; info: { title: string }; paths: Record<string, unknown>; components?: unknown };

/** The /v1 part of the document: its paths and the schemas they use; no version or server, which change with every release. */
function v1Contract(doc: Doc): Doc {
  const paths = Object.fromEntries(Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/')));
  return { openapi: doc.openapi, info: { title: `${doc.info.title} /v1` }, paths, components: doc.components };
}

/** Where a change is, for a person: the operation's path, or the schema's. */
const where = (path: readonly (string | number)[]) => path.join(' > ');

describe('partner-bff /v1 contract (apps/partner-bff/contract/v1.openapi.json)', () => {
  let current: Doc;

  beforeAll(async () => {
    const bff = await createTestBff(AppModule, PARTNER_BFF_DEFAULTS);
    try {
      current = v1Contract((await bff.inject({ method: 'GET', url: '/docs/json' })).json());
    } finally {
      await bff.close();
    }
    if (UPDATE) writeFileSync(SNAPSHOT, `${JSON.stringify(current, null, 2)}\n`);
  });

  it('has no breaking change against the committed contract (removed field or route, changed type, new required input, removed status)', () => {
    const committed = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Doc;
    const breaking = apiCompare(committed, current).diffs.filter((d) => d.type === 'breaking');
    const report = breaking.map((d) => `${d.action} at ${where(d.path)}${d.description ? `: ${d.description}` : ''}`);
    expect(report).toEqual([]);
  });

  it('records every other change too, so the next comparison starts from what is published (npm run contract:update)', () => {
    const committed = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Doc;
    const changes = apiCompare(committed, current).diffs.filter((d) => d.type !== 'breaking');
    expect(changes.map((d) => `${d.type} ${d.action} at ${where(d.path)}`)).toEqual([]);
  });

  it('finds each kind of breaking change and says which', () => {
    const changed = JSON.parse(JSON.stringify(current)) as Doc & { components: { schemas: Record<string, any> } };
    const paths = changed.paths as Record<string, Record<string, any>>;
    delete changed.components.schemas.V1Product.properties.category;
    changed.components.schemas.V1Availability.properties.quantity.type = 'string';
    changed.components.schemas.CreateOrderDto.required.push('external_reference');
    delete paths['/v1/orders'].post.responses['409'];
    delete paths['/v1/products/{id}/availability'];
    const breaking = apiCompare(current, changed).diffs.filter((d) => d.type === 'breaking').map((d) => where(d.path));
    expect(breaking).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^paths > \/v1\/products > get > responses > 200 > .* > category$/),
        expect.stringMatching(/V1Availability > properties > quantity > type$/),
        expect.stringMatching(/^paths > \/v1\/orders > post > requestBody > .* > required/),
        'paths > /v1/orders > post > responses > 409',
        'paths > /v1/products/{id}/availability > get',
      ]),
    );
  });
});
