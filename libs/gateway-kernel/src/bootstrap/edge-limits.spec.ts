import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { IsArray, IsOptional } from 'class-validator';
import { connect, type Socket } from 'node:net';
import { Public } from '../auth';
import { ManagementServer } from '../observability';
import { createBffApp } from './create-bff-app';
import { nestedDeeperThan } from './body-parsers';

class NoteDto {
  @IsOptional() @IsArray() tags?: unknown[];
}

@Public()
@Controller('notes')
class NotesController {
  @Get() list() {
    return { notes: [] };
  }
  @Post() create(@Body() body: NoteDto) {
    return { ok: true, tags: body.tags?.length ?? 0 };
  }
}

@Module({ controllers: [NotesController] })
class EdgeTestModule {}

/** Writes raw bytes on a fresh socket; resolves with everything the server sent until it closed (or `waitMs` passed). */
function exchange(port: number, chunks: string[], waitMs = 3_000): Promise<{ text: string; closed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    const timer = setTimeout(() => finish(), waitMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed, ms: Date.now() - started });
    };
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => undefined);
    socket.on('connect', () => chunks.forEach((c) => socket.write(c)));
  });
}

const statusLines = (text: string) => text.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];

describe('edge limits of every BFF', () => {
  let port: number;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const { app } = await createBffApp(EdgeTestModule, {
      defaults: {
        app: 'edge-bff',
        auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free', scopes: [] }] },
        http: { headersTimeoutMs: 500, requestTimeoutMs: 1_500, maxConnectionsPerAddress: 20 },
        observability: { logLevel: 'silent', accessLog: false },
        // A busy machine's event-loop delay would read as overload and shed these requests; shedding has its own case below.
        overload: { enabled: false },
      } as never,
      env: {},
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.getHttpServer().address() as { port: number }).port;
    close = () => app.close();
  });
  afterAll(() => close());

  it.each([
    ['two Host headers', 'GET /notes HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['two Authorization headers', 'GET /notes HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer x\r\nAuthorization: Bearer y\r\n\r\n'],
    ['an unknown Transfer-Encoding without Content-Length', 'POST /notes HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: foo\r\n\r\n{}\r\nGET /notes HTTP/1.1\r\nHost: a\r\n\r\n'],
  ])('%s: one 400 and the connection closes', async (_name, raw) => {
    const { text, closed } = await exchange(port, [raw]);
    expect(statusLines(text)).toEqual(['HTTP/1.1 400']);
    expect(text).toContain('application/problem+json');
    expect(closed).toBe(true);
  });

  it('a request refused at the edge is answered with its x-request-id, in the header as in the problem', async () => {
    const { text } = await exchange(port, ['GET /notes HTTP/1.1\r\nHost: a\r\nX-Request-Id: edge-refused-1\r\nHost: b\r\n\r\n']);
    expect(statusLines(text)).toEqual(['HTTP/1.1 400']);
    expect(text).toMatch(/^x-request-id: edge-refused-1\r$/im);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).requestId).toBe('edge-refused-1');
  });

  it('marks every answer nosniff, and a 404 never echoes the path', async () => {
    const { text } = await exchange(port, ['GET /nope/%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n']);
    expect(statusLines(text)).toEqual(['HTTP/1.1 404']);
    expect(text.toLowerCase()).toContain('x-content-type-options: nosniff');
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    expect(body.detail).toBe('no such route');
    const ok = await exchange(port, ['GET /notes HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n']);
    expect(ok.text.toLowerCase()).toContain('x-content-type-options: nosniff');
  });

  it('a well-formed request on the same kind of socket is answered', async () => {
    const { text } = await exchange(port, ['GET /notes HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n']);
    expect(statusLines(text)).toEqual(['HTTP/1.1 200']);
  });

  it('cuts a client trickling its headers at the headers timeout, and one trickling its body at the request timeout', async () => {
    const headers = await exchange(port, ['GET /notes HTTP/1.1\r\nHost: a\r\n'], 5_000);
    expect(headers.closed).toBe(true);
    expect(headers.ms).toBeLessThan(2_500);
    const body = await exchange(port, ['POST /notes HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"t'], 6_000);
    expect(body.closed).toBe(true);
    expect(body.ms).toBeLessThan(4_500);
  });

  it('closes connections past the cap per client address', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 25 }, () => new Promise<Socket>((resolve) => { const s = connect(port, '127.0.0.1', () => resolve(s)); s.on('error', () => undefined); })),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(sockets.filter((s) => s.destroyed || s.readableEnded).length).toBe(5);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 200));
  });

  // Last: fetch keeps its connection open, which would count against the cap above.
  it('JSON nested 10,000 deep is a 400 problem, not a stack overflow', async () => {
    const body = `{"tags":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const res = await fetch(`http://127.0.0.1:${port}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 400, detail: 'JSON nested deeper than 32 levels' });
    const shallow = await fetch(`http://127.0.0.1:${port}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tags":[[1],[2]]}' });
    expect(shallow.status).toBe(201);
  });
});

describe('nestedDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestedDeeperThan('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(nestedDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(nestedDeeperThan('{"a":"[[[[[[\\"[[["}', 1)).toBe(false);
  });
});

describe('load shedding (@fastify/under-pressure)', () => {
  it('answers 503 problem+json with Retry-After past the threshold, while /health/live and /metrics on the management port still answer', async () => {
    const { app } = await createBffApp(EdgeTestModule, {
      defaults: {
        app: 'shedding-bff',
        auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free', scopes: [] }] },
        // Any heap is over one byte: the replica is "overloaded" from the first sample on.
        overload: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1, sampleIntervalMs: 10, retryAfterSeconds: 7 },
        observability: { logLevel: 'silent', accessLog: false },
      } as never,
      env: {},
    });
    await app.init();
    try {
      await new Promise((r) => setTimeout(r, 50));
      const shed = await app.inject({ method: 'GET', url: '/notes', headers: { 'x-request-id': 'shed-request-1' } });
      expect([shed.statusCode, shed.headers['retry-after'], shed.headers['content-type']]).toEqual([503, '7', expect.stringContaining('application/problem+json')]);
      expect(shed.json()).toMatchObject({ status: 503, detail: 'the service is overloaded; retry shortly', requestId: 'shed-request-1' });
      expect(shed.headers['x-request-id']).toBe('shed-request-1');
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      expect((await app.get(ManagementServer).fastify.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).not.toBe(200);
    } finally {
      await app.close();
    }
  });
});
