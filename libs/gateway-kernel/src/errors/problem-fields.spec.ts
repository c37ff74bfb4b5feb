import { Body, Controller, Get, Module, ConflictException, Post } from '@nestjs/common';
import { IsArray, IsOptional } from 'class-validator';
import { Public } from '../auth';
import { ProxyModule } from '../proxy/proxy.module';
import { createTestBff, json, TestUpstream, type TestBff } from '../testing';

class NoteDto {
  @IsOptional() @IsArray() tags?: unknown[];
}

@Public()
@Controller('notes')
class NotesController {
  @Post() create(@Body() body: NoteDto) {
    return { ok: true, tags: body.tags?.length ?? 0 };
  }
  // What a route (or a library under it) may throw: a Nest exception with its own words, and a plain Error.
  @Get('nest') nest() {
    throw new ConflictException('internal detail of a library');
  }
  @Get('broken') broken() {
    throw new Error('connect ECONNREFUSED 10.0.3.17:5432');
  }
}

@Module({
  imports: [ProxyModule.forRoot([{ prefix: '/catalog', upstream: 'catalog', paths: ['/products/:id'], public: true }])],
  controllers: [NotesController],
})
class ProblemsModule {}

const FIELDS = ['type', 'title', 'status', 'detail', 'instance', 'requestId'];

// The contract's promise for every error: RFC 9457 with all six fields, and nothing of the cause.
describe('every problem carries type, title, status, detail, instance and requestId', () => {
  let upstream: TestUpstream;
  let bff: TestBff;
  beforeAll(async () => {
    upstream = await TestUpstream.start(json({ detail: 'db-primary.internal:5432 timeout' }, { status: 404 }));
    bff = await createTestBff(ProblemsModule, {
      app: 'problems-bff',
      upstreams: { catalog: { urls: [upstream.url] } },
      auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free', scopes: [] }] },
    } as never);
  });
  afterAll(async () => {
    await bff.close();
    await upstream.close();
  });

  it.each([
    ['a body that is not JSON', { method: 'POST', url: '/notes', headers: { 'content-type': 'application/json' }, payload: '{"tags": [' }, 400],
    ['an empty JSON body', { method: 'POST', url: '/notes', headers: { 'content-type': 'application/json' }, payload: '' }, 400],
    ['an upstream 4xx on a pass-through route', { method: 'GET', url: '/catalog/products/p1' }, 404],
    ['a Nest exception from a route', { method: 'GET', url: '/notes/nest' }, 409],
    ['an unexpected error', { method: 'GET', url: '/notes/broken' }, 500],
  ] as const)('%s', async (_name, request, status) => {
    const res = await bff.inject({ ...request, headers: { ...('headers' in request ? request.headers : {}), 'x-request-id': 'problem-fields-1' } });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(FIELDS.filter((field) => typeof body[field] !== (field === 'status' ? 'number' : 'string') || body[field] === '')).toEqual([]);
    expect([body.status, body.requestId, res.headers['x-request-id']]).toEqual([status, 'problem-fields-1', 'problem-fields-1']);
    expect(res.body).not.toMatch(/db-primary|10\.0\.3\.17|ECONNREFUSED|internal detail/);
  });
});
