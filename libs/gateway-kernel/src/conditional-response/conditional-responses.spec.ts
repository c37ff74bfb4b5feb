import { Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { ConditionalResponseModule } from './conditional-response.module';
import { registerConditionalResponses } from './conditional-responses';

const BIG = { items: Array.from({ length: 200 }, (_, i) => ({ id: `p${i}`, name: `Product ${i}` })) };

describe('registerConditionalResponses', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    await registerConditionalResponses(app);
    app.get('/big', async () => BIG);
    app.get('/small', async () => ({ ok: true }));
    app.get('/missing', async (_request, reply) => reply.code(404).send({ error: 'nope' }));
    app.post('/write', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(() => app.close());

  it('tags a GET with an ETag and answers 304 with no body when If-None-Match names it', async () => {
    const first = await app.inject({ method: 'GET', url: '/small' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await app.inject({ method: 'GET', url: '/small', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
  });

  it('matches weakly and within a list, and answers 200 when the tag changed', async () => {
    const { etag } = (await app.inject({ method: 'GET', url: '/small' })).headers as { etag: string };
    const strong = etag.replace(/^W\//, '');
    expect((await app.inject({ url: '/small', headers: { 'if-none-match': `"other", ${strong}` } })).statusCode).toBe(304);
    expect((await app.inject({ url: '/small', headers: { 'if-none-match': '*' } })).statusCode).toBe(304);
    expect((await app.inject({ url: '/small', headers: { 'if-none-match': '"stale"' } })).statusCode).toBe(200);
  });

  it('never answers 304 to a write or to an error', async () => {
    const write = await app.inject({ method: 'POST', url: '/write' });
    const rewrite = await app.inject({ method: 'POST', url: '/write', headers: { 'if-none-match': write.headers.etag as string } });
    expect(rewrite.statusCode).toBe(200);
    const missing = await app.inject({ url: '/missing' });
    const again = await app.inject({ url: '/missing', headers: { 'if-none-match': missing.headers.etag as string } });
    expect(again.statusCode).toBe(404);
  });

  it('compresses with br or gzip for clients that accept it, and not for those that do not', async () => {
    const br = await app.inject({ url: '/big', headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(BIG);

    const gzip = await app.inject({ url: '/big', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(BIG);

    const plain = await app.inject({ url: '/big', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(BIG);
  });

  it('gives the same ETag to every encoding of one entity, and 304s a compressed client', async () => {
    const br = await app.inject({ url: '/big', headers: { 'accept-encoding': 'br' } });
    const plain = await app.inject({ url: '/big' });
    expect(br.headers.etag).toBe(plain.headers.etag);
    const revalidated = await app.inject({ url: '/big', headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.rawPayload.length).toBe(0);
  });
});

describe('ConditionalResponseModule', () => {
  @Controller()
  class ItemsController {
    @Get('items')
    items() {
      return BIG;
    }

    @Post('items')
    create() {
      return { ok: true };
    }
  }

  @Module({ imports: [ConditionalResponseModule.forRoot()], controllers: [ItemsController] })
  class AppModule {}

  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it("applies ETag/304 and compression to the app's Nest routes", async () => {
    const fastify = app.getHttpAdapter().getInstance();
    const first = await fastify.inject({ url: '/items', headers: { 'accept-encoding': 'gzip' } });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    const again = await fastify.inject({ url: '/items', headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });
});
