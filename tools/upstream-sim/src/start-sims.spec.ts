import { createServer, type Server } from 'node:net';
import { SERVICE_NAMES } from './app/service-names';
import { startService } from './start-service';
import { startSims } from './start-sims';

const ALL_ON_PORT_ZERO = { identity: 0, users: 0, catalog: 0, orders: 0, reviews: 0, inventory: 0 };

describe('startSims', () => {
  it('starts every service on its own port and reports the bound URLs', async () => {
    const sims = await startSims({ ports: ALL_ON_PORT_ZERO });
    try {
      expect(Object.keys(sims.urls)).toEqual([...SERVICE_NAMES]);
      const ports = new Set(Object.values(sims.urls).map((url) => new URL(url!).port));
      expect(ports.size).toBe(SERVICE_NAMES.length);
      for (const name of SERVICE_NAMES) {
        const res = await fetch(`${sims.urls[name]}/health`);
        expect(await res.json() as any).toEqual({ status: 'ok' });
        expect(res.headers.get('x-sim-instance')).toBe(`${name}:${new URL(sims.urls[name]!).port}`);
      }
      // Each service serves only its own routes.
      expect((await fetch(`${sims.urls.users}/products/p1`)).status).toBe(404);
    } finally {
      await sims.close();
    }
    await expect(fetch(`${sims.urls.catalog}/health`)).rejects.toThrow('fetch failed');
  });

  it('starts only the services asked for', async () => {
    const sims = await startSims({ services: ['reviews', 'catalog'], ports: ALL_ON_PORT_ZERO });
    try {
      expect(Object.keys(sims.urls)).toEqual(['catalog', 'reviews']);
    } finally {
      await sims.close();
    }
  });

  it('rejects unknown service names', async () => {
    await expect(startSims({ services: ['catalog', 'payments' as never] })).rejects.toThrow(/payments/);
  });

  it('closes what it started when one service cannot listen, naming it', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(startSims({ ports: { ...ALL_ON_PORT_ZERO, orders: taken } })).rejects.toThrow(
        new RegExp(`sim orders could not listen on 127.0.0.1:${taken}`),
      );
    } finally {
      blocker.close();
    }
  });
});

describe('startService', () => {
  it('runs two instances of one service side by side, each with its own faults and stats', async () => {
    const [a, b] = await Promise.all([startService('catalog', { port: 0 }), startService('catalog', { port: 0 })]);
    try {
      expect(a.url).not.toBe(b.url);
      a.faults.set({ errorRate: 1, status: 502 });
      expect((await fetch(`${a.url}/products/p1`)).status).toBe(502);
      const ok = await fetch(`${b.url}/products/p1`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-sim-instance')).toBe(`catalog:${b.port}`);
      expect(a.stats.snapshot().total).toBe(1);
      expect(b.stats.snapshot().total).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('reports a reachable URL for a wildcard host', async () => {
    const service = await startService('users', { port: 0, host: '0.0.0.0' });
    try {
      expect(service.url).toBe(`http://127.0.0.1:${service.port}`);
      expect((await fetch(`${service.url}/users/u1`)).status).toBe(200);
    } finally {
      await service.close();
      await service.close();
    }
  });

  it('rejects bad initial faults before listening', async () => {
    await expect(startService('users', { port: 0, faults: { mode: 'slow' as never } })).rejects.toThrow(/mode/);
  });
});
