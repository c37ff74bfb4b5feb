import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import fc from 'fast-check';
import type { ServerResponse } from 'node:http';
import { AggregationPlan, Aggregator, aggregatedResponse } from './aggregation';
import { Public } from './auth';
import { ProxyModule } from './proxy';
import { createTestBff, TestUpstream, type TestBff } from './testing';

/**
 * Property-based tests over a whole BFF (createBffApp, as in production):
 * whatever the client sends (path, headers, body) and whatever the upstream
 * answers, the gateway answers 2xx, 4xx or a mapped 5xx (502, 503, 504), in
 * problem+json when it is an error, and never an unmapped 500.
 */
class NoteDto {
  @IsString() @MaxLength(64) title: string;
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) tags?: string[];
}

class IdParams {
  @Matches(/^p\d{1,6}$/) id: string;
}

/** What the upstream answers for the next request (fast-check picks it). */
let upstreamAnswer: { status: number; contentType: string; body: string; reset: boolean } = { status: 200, contentType: 'application/json', body: '{}', reset: false };

const pagePlan = new AggregationPlan<{ id: string }>('property-page', { deadlineMs: 2_000 })
  .add('product', { upstream: 'catalog', required: true, request: ({ input }) => ({ url: `/products/${input.id}` }), map: (d: { name?: unknown }) => ({ name: d?.name ?? null }) })
  .add('reviews', { upstream: 'catalog', required: false, request: ({ input }) => ({ url: `/reviews/${input.id}` }) });

@Public()
@Controller('api')
class PropertyController {
  constructor(private readonly aggregator: Aggregator) {}

  @Post('notes') create(@Body() body: NoteDto) {
    return { title: body.title, tags: body.tags ?? [] };
  }

  @Get('pages/:id') async page(@Param() params: IdParams) {
    const result = await this.aggregator.run(pagePlan, { id: params.id });
    return aggregatedResponse(result, { product: result.data.product, reviews: result.data.reviews ?? null });
  }
}

@Module({
  imports: [ProxyModule.forRoot([{ prefix: '/api/catalog', upstream: 'catalog', paths: ['/products', '/products/:id', '/files/*'], public: true }])],
  controllers: [PropertyController],
})
class PropertyTestModule {}

const MAPPED_5XX = new Set([502, 503, 504]);
const RUNS = { numRuns: 150 };
// fast-check drives a real app: a few hundred requests per property take seconds on a loaded machine.
jest.setTimeout(120_000);

// Printable ASCII with the characters that matter to paths and headers over-represented.
const pathChar = fc.constantFrom(...'abcp019./\\%;:@?#&=+~-_ .%2e%2f%5c%00%c0%ae%ef%bc%8e'.split(''), '%2e', '%2E', '..', '//', '..;', '%252e', '\uff0e');
const pathTail = fc.array(fc.oneof(pathChar, fc.string({ maxLength: 4 })), { maxLength: 12 }).map((parts) => parts.join(''));
const headerName = fc.oneof(
  fc.constantFrom('connection', 'transfer-encoding', 'te', 'upgrade', 'keep-alive', 'proxy-authorization', 'x-forwarded-for', 'forwarded', 'x-user-id', 'cookie', 'authorization', 'x-api-key', 'content-length', 'expect', 'x-request-id', 'traceparent', 'accept-encoding', 'if-none-match', 'idempotency-key'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
);
const headerValue = fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,40}$/), fc.constantFrom('close', 'keep-alive, x-api-key', 'chunked', 'gzip, chunked', 'Bearer x', '00-zz-yy-01', '*', ''));
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 6 });
const jsonBody = fc.oneof(
  fc.json({ depthSize: 'medium' }),
  fc.integer({ min: 1, max: 200 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.string({ maxLength: 60 }),
  fc.record({ title: fc.oneof(fc.string({ maxLength: 80 }), fc.integer()), tags: fc.anything() }).map((v) => JSON.stringify(v)),
);

function expectMapped(status: number, contentType: unknown, body: string): void {
  const ok = (status >= 200 && status < 300) || status === 304 || (status >= 400 && status < 500) || MAPPED_5XX.has(status);
  if (!ok) throw new Error(`unmapped status ${status}: ${body.slice(0, 200)}`);
  if (status >= 400 && !String(contentType).startsWith('application/problem+json')) throw new Error(`${status} without problem+json: ${contentType}`);
  // HEAD answers carry no body to read.
  if (status >= 400 && body !== '') {
    const problem = JSON.parse(body) as { status: number; detail?: string };
    if (problem.status !== status) throw new Error(`problem status ${problem.status} on a ${status}`);
  }
}

describe('properties of the edge: any request, any upstream answer, never an unmapped 500', () => {
  let upstream: TestUpstream;
  let bff: TestBff;

  beforeAll(async () => {
    upstream = await TestUpstream.start((request, response: ServerResponse) => {
      const answer = upstreamAnswer;
      request.resume();
      if (answer.reset) {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': answer.contentType });
      response.end(answer.body);
    });
    bff = await createTestBff(PropertyTestModule, {
      app: 'property-bff',
      upstreams: { catalog: { urls: [upstream.url], retry: { maxAttempts: 0 }, breaker: { enabled: false }, outlier: { maxEjectedPercent: 0 }, coalesce: false, cache: { enabled: false } } },
      auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] },
      throttling: { enabled: false },
      overload: { enabled: false },
      http: { maxJsonDepth: 32 },
    } as never);
  });
  afterAll(async () => {
    await bff?.close();
    await upstream?.close();
  });

  it('pass-through route: arbitrary paths and headers give 2xx, 4xx or a mapped 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(pathTail, headers, fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'), async (tail, sent, method) => {
        upstreamAnswer = { status: 200, contentType: 'application/json', body: '{"ok":true}', reset: false };
        let url: string;
        try {
          url = `/api/catalog/${tail}`;
          new URL(url, 'http://x');
        } catch {
          return;
        }
        const res = await bff.inject({ method: method as 'GET', url, headers: sent });
        expectMapped(res.statusCode, res.headers['content-type'], res.body);
      }),
      RUNS,
    );
  });

  it('a URL the router cannot decode is 400 problem+json with the usual headers, not Fastify\'s own JSON', async () => {
    for (const url of ['/api/catalog/%', '/%zz', '/api/pages/p1%']) {
      const res = await bff.inject({ method: 'GET', url });
      expect([res.statusCode, res.headers['content-type'], res.headers['x-content-type-options']]).toEqual([400, expect.stringContaining('application/problem+json'), 'nosniff']);
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.json()).toMatchObject({ status: 400, detail: 'the request URL is malformed' });
      expect(res.body).not.toContain('FST_ERR');
    }
  });

  it('body parsing: arbitrary bodies, content types and depths give 201, 400, 413 or 415, never 500', async () => {
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/problem+json', 'multipart/form-data');
    await fc.assert(
      fc.asyncProperty(jsonBody, contentType, headers, async (payload, type, sent) => {
        const res = await bff.inject({ method: 'POST', url: '/api/notes', headers: { ...sent, 'content-type': type }, payload });
        expectMapped(res.statusCode, res.headers['content-type'], res.body);
      }),
      RUNS,
    );
  });

  it('aggregation: any upstream answer (status, type, garbage, reset) gives 200 (complete or not) or a mapped 5xx', async () => {
    const answer = fc.record({
      status: fc.constantFrom(200, 201, 204, 301, 304, 400, 404, 409, 429, 500, 502, 503, 504),
      contentType: fc.constantFrom('application/json', 'text/html', 'application/problem+json', ''),
      body: fc.oneof(fc.json(), fc.string({ maxLength: 40 }), fc.constant(''), fc.constant('{"name":')),
      reset: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(answer, fc.stringMatching(/^p\d{1,6}$/), async (picked, id) => {
        upstreamAnswer = picked;
        const res = await bff.inject({ method: 'GET', url: `/api/pages/${id}` });
        expectMapped(res.statusCode, res.headers['content-type'], res.body);
        if (res.statusCode === 200) expect(res.headers['x-aggregation-complete']).toMatch(/^(true|false)$/);
      }),
      RUNS,
    );
  });
});
