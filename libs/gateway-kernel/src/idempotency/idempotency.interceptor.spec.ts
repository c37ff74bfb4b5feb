import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { CurrentPrincipal, hashApiKey } from '../auth';
import type { Principal } from '../context';
import { createTestBff, freePort, type TestBff } from '../testing';
import { Idempotent } from './idempotent.decorator';

class NoteDto {
  @IsString() text: string;
}

let written = 0;

@Controller('notes')
class NotesController {
  @Post() @HttpCode(201) @Idempotent()
  create(@CurrentPrincipal() principal: Principal, @Body() body: NoteDto) {
    written++;
    return { id: `n${written}`, by: principal.id, text: body.text };
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

const KEYS = ['alpha', 'beta'];
const as = (id: string) => ({ 'x-api-key': `test-${id}-key`, 'content-type': 'application/json' });
const base = {
  app: 'idem-bff',
  auth: { mode: 'api-key', apiKeys: KEYS.map((id) => ({ id, sha256: hashApiKey(`test-${id}-key`), tier: 'free', scopes: [] })) },
};

describe('@Idempotent writes', () => {
  describe('with the memory store', () => {
    let bff: TestBff;
    beforeAll(async () => (bff = await createTestBff(NotesModule, base as never)));
    afterAll(() => bff.close());
    const post = (caller: string, key: string, text: string) =>
      bff.inject({ method: 'POST', url: '/notes', headers: { ...as(caller), 'idempotency-key': key }, payload: JSON.stringify({ text }) });

    it("replays a caller's own key, and keeps another caller's use of the same key apart", async () => {
      const first = await post('alpha', 'key-00000001', 'hello');
      const replay = await post('alpha', 'key-00000001', 'hello');
      expect([replay.statusCode, replay.headers['idempotency-replayed'], replay.json().id]).toEqual([201, 'true', first.json().id]);
      const other = await post('beta', 'key-00000001', 'something else');
      expect([other.statusCode, other.headers['idempotency-replayed'], other.json().by]).toEqual([201, undefined, 'beta']);
      expect((await post('alpha', 'key-00000001', 'changed')).statusCode).toBe(409);
    });
  });

  describe('with its Redis store down', () => {
    const down = async (onStoreError: string) =>
      createTestBff(NotesModule, { ...base, redis: { url: `redis://127.0.0.1:${await freePort()}` }, idempotency: { onStoreError } } as never);

    it('fail-closed (the default): 503 problem+json with Retry-After, and nothing is written', async () => {
      const bff = await down('fail-closed');
      try {
        const before = written;
        const res = await bff.inject({ method: 'POST', url: '/notes', headers: { ...as('alpha'), 'idempotency-key': 'key-00000002' }, payload: '{"text":"x"}' });
        expect([res.statusCode, res.headers['retry-after'], res.headers['content-type']]).toEqual([503, '1', expect.stringContaining('application/problem+json')]);
        expect(written).toBe(before);
      } finally {
        await bff.close();
      }
    });

    it('fail-open: the write runs unprotected', async () => {
      const bff = await down('fail-open');
      try {
        const res = await bff.inject({ method: 'POST', url: '/notes', headers: { ...as('alpha'), 'idempotency-key': 'key-00000003' }, payload: '{"text":"x"}' });
        expect(res.statusCode).toBe(201);
      } finally {
        await bff.close();
      }
    });
  });
});
