import { Controller, Get, Module } from '@nestjs/common';
import { hashApiKey, Public } from '../auth';
import { createTestBff, json, TestUpstream, type TestBff } from '../testing';
import { PathParam, type PathParamRule } from './path-param.decorator';

const THING_ID: PathParamRule = { pattern: /^t\d{1,3}$/, maxLength: 4, message: 'id must look like t12', description: 'Thing id', example: 't1' };

@Controller('api/things')
class ThingsController {
  @Public() @Get(':id') one(@PathParam('id', THING_ID) id: string) {
    return { id };
  }
}

@Module({ controllers: [ThingsController] })
class PathParamTestModule {}

describe('PathParam', () => {
  let upstream: TestUpstream;
  let bff: TestBff;

  beforeAll(async () => {
    upstream = await TestUpstream.start(json({}));
    bff = await createTestBff(PathParamTestModule, {
      app: 'path-param-test',
      upstreams: { catalog: { urls: [upstream.url] } },
      auth: { mode: 'api-key', apiKeys: [{ id: 'k1', sha256: hashApiKey('test-key-1'), tier: 'free', scopes: [] }] },
    } as never);
  });
  afterAll(async () => {
    await bff?.close();
    await upstream?.close();
  });

  it('hands a matching value to the handler as it came', async () => {
    const res = await bff.inject({ method: 'GET', url: '/api/things/t12' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 't12' });
  });

  it.each(['x12', 't1234', 't1%0A', 'T1'])('answers %s with a 400 problem naming the rule', async (id) => {
    const res = await bff.inject({ method: 'GET', url: `/api/things/${id}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, errors: ['id must look like t12'] });
  });

  it('documents the parameter with its pattern', async () => {
    const doc = (await bff.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.paths['/api/things/{id}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true, description: 'Thing id', schema: { type: 'string', pattern: '^t\\d{1,3}$', maxLength: 4, example: 't1' } }),
    ]);
  });
});
