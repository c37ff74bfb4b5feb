import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { ShutdownState } from '../shutdown';
import { drainAndClose } from './graceful-shutdown';

@Controller()
class WorkController {
  @Get('slow')
  async slow() {
    await new Promise((r) => setTimeout(r, 600));
    return { done: 'slow' };
  }

  @Get('fast')
  fast() {
    return { done: 'fast' };
  }
}

@Module({ controllers: [WorkController], providers: [ShutdownState] })
class WorkModule {}

describe('drainAndClose', () => {
  let app: NestFastifyApplication;
  let pool: Pool;

  beforeEach(async () => {
    // The listener options createBffApp uses, with a keep-alive far longer than the test.
    const adapter = new FastifyAdapter({ keepAliveTimeout: 60_000, forceCloseConnections: 'idle', return503OnClosing: true });
    app = await NestFactory.create<NestFastifyApplication>(WorkModule, adapter, { logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4, keepAliveTimeout: 60_000 });
  });
  afterEach(async () => {
    await pool.destroy();
  });

  it('answers what is in flight and what comes during the drain, then closes without waiting on keep-alive', async () => {
    const started = Date.now();
    const inFlight = pool.request({ method: 'GET', path: '/slow' });
    await new Promise((r) => setTimeout(r, 50));

    const closing = drainAndClose(app, { drainDelayMs: 250 });
    expect(app.get(ShutdownState).isDraining).toBe(true);

    const duringDrain = await pool.request({ method: 'GET', path: '/fast' });
    expect(duringDrain.statusCode).toBe(200);
    expect(duringDrain.headers.connection).toBe('close');
    expect(await duringDrain.body.json()).toEqual({ done: 'fast' });

    const slow = await inFlight;
    expect(slow.statusCode).toBe(200);
    expect(await slow.body.json()).toEqual({ done: 'slow' });

    await closing;
    // The in-flight request's connection was kept alive (it began before the drain); closing must not wait 60s for it.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
