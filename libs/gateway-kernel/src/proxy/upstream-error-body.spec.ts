import { Module } from '@nestjs/common';
import { createTestBff, json, TestUpstream, type TestBff } from '../testing';
import { ProxyModule } from './proxy.module';

const LEAKY = { error: 'boom', stack: 'Error: boom\n    at handler (/srv/catalog/app.js:12:3)', host: 'catalog-7f9c.internal:8080' };

@Module({
  imports: [
    ProxyModule.forRoot([
      { prefix: '/masked', upstream: 'svc', paths: ['/*'], public: true },
      { prefix: '/passed', upstream: 'svc', paths: ['/*'], public: true, upstreamProblems: 'pass' },
    ]),
  ],
})
class ProxiesModule {}

describe('upstream error bodies on pass-through routes', () => {
  let upstream: TestUpstream;
  let bff: TestBff;
  beforeAll(async () => {
    upstream = await TestUpstream.start(json({}));
    bff = await createTestBff(ProxiesModule, { app: 'proxy-bff', upstreams: { svc: { urls: [upstream.url] } }, auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free', scopes: [] }] } } as never);
  });
  afterAll(async () => {
    await bff.close();
    await upstream.close();
  });
  const get = (url: string) => bff.inject({ method: 'GET', url });

  it.each([
    [404, 404],
    [409, 409],
    [403, 403],
    [422, 400],
    [500, 502],
  ])('an upstream %i becomes a %i problem with nothing of the upstream body', async (sent, answered) => {
    upstream.handle(json(LEAKY, { status: sent }));
    const res = await get('/masked/x');
    expect(res.statusCode).toBe(answered);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).not.toMatch(/boom|stack|internal|srv/);
  });

  it("a route that passes problems lends an upstream problem+json its detail and errors, nothing else", async () => {
    upstream.handle(
      json({ type: 'https://internal.example/x', title: 'Nope', status: 409, detail: 'sku p1 is out of stock', errors: ['lines[0]: out of stock'], trace: LEAKY.stack }, {
        status: 409,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    const res = await get('/passed/x');
    expect([res.statusCode, res.body]).toEqual([409, expect.anything()]);
    expect(res.json()).toMatchObject({ status: 409, title: 'Conflict', detail: 'sku p1 is out of stock', errors: ['lines[0]: out of stock'] });
    expect(res.body).not.toMatch(/internal\.example|trace|srv/);
  });

  it("passes nothing of a body that is not problem+json, or too large: the detail is the error table's", async () => {
    upstream.handle(json({ detail: 'from a plain JSON body' }, { status: 400 }));
    expect((await get('/passed/x')).json().detail).toBe('the request is malformed');
    upstream.handle(json({ detail: 'x'.repeat(5_000) }, { status: 400, headers: { 'content-type': 'application/problem+json' } }));
    expect((await get('/passed/x')).json().detail).toBe('the request is malformed');
  });

  describe('garbage answers', () => {
    const answer = (body: string | Buffer, headers: Record<string, string>) =>
      upstream.handle((_request, response) => {
        // With its length declared, as upstreams mostly send small answers: those are the ones buffered, and checked.
        response.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
        response.end(body);
      });

    it.each([
      ['application/json', '{"items": [oops'],
      ['application/problem+json', '[1, 2'],
      ['application/vnd.api+json; charset=utf-8', '<html>Bad gateway</html>'],
      ['application/json', 'oops'],
      ['application/json', '   '],
    ])(
      'a 200 that says %s and is %j becomes a 502 problem, none of its bytes passed on',
      async (type, body) => {
        answer(body, { 'content-type': type });
        const res = await get('/masked/x');
        expect(res.statusCode).toBe(502);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body).not.toMatch(/oops|html|\[1/);
      },
    );

    it('passes JSON, other types and compressed bytes as they came, unparsed', async () => {
      answer('{"items":[1, 2]}', { 'content-type': 'application/json' });
      expect((await get('/masked/x')).body).toBe('{"items":[1, 2]}');
      answer(' [true]\n', { 'content-type': 'application/json' });
      expect((await get('/masked/x')).body).toBe(' [true]\n');
      answer('42', { 'content-type': 'application/json' });
      expect((await get('/masked/x')).body).toBe('42');
      answer('not json, and not said to be', { 'content-type': 'text/plain' });
      expect((await get('/masked/x')).body).toBe('not json, and not said to be');
      answer(Buffer.from([0x1f, 0x8b, 0x08, 0x00]), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      expect((await get('/masked/x')).statusCode).toBe(200);
    });
  });
});
