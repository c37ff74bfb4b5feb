import { type RunningService, startService } from '../start-service';
import { LEAK_MARKERS } from './fault-responses';

describe('fault injection', () => {
  let catalog: RunningService;

  beforeEach(async () => {
    catalog = await startService('catalog', { port: 0 });
  });
  afterEach(() => catalog.close());

  const setFaults = async (faults: unknown) => {
    const res = await fetch(`${catalog.url}/__sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(res.status).toBe(200);
    return res.json() as any;
  };
  const product = (init?: RequestInit) => fetch(`${catalog.url}/products/p1`, init);

  it('answers normally with no faults set', async () => {
    const res = await product();
    expect(res.status).toBe(200);
    expect((await res.json() as any).id).toBe('p1');
  });

  it('down: the connection closes without a response, so fetch rejects', async () => {
    await setFaults({ mode: 'down' });
    await expect(product()).rejects.toThrow('fetch failed');
  });

  it('reset: the response is cut inside its headers, so fetch rejects', async () => {
    await setFaults({ mode: 'reset' });
    await expect(product()).rejects.toThrow('fetch failed');
  });

  it('garbage: 200 application/json whose body does not parse', async () => {
    await setFaults({ mode: 'garbage' });
    const res = await product();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('hang: no answer until the client gives up, and nothing is left held afterwards', async () => {
    await setFaults({ mode: 'hang' });
    const started = Date.now();
    await expect(product({ signal: AbortSignal.timeout(200) })).rejects.toThrow(/timeout|abort/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    // The sim still serves its control routes while hanging the others.
    expect((await fetch(`${catalog.url}/health`)).status).toBe(200);
  });

  it('hang: close() does not wait for a client that never gives up', async () => {
    await setFaults({ mode: 'hang' });
    // The client would wait 3 s; close() must cut it off well before that.
    const pending = product({ signal: AbortSignal.timeout(3000) }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await catalog.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('fetch failed');
  });

  it('errorRate 1: every request gets the status, with internal details in the body', async () => {
    await setFaults({ errorRate: 1, status: 503 });
    const res = await product();
    expect(res.status).toBe(503);
    expect(res.headers.get('x-sim-instance')).toBe(`catalog:${catalog.port}`);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'boom', detail: expect.stringContaining('db-primary.internal') });
    for (const marker of LEAK_MARKERS) expect(text).toContain(marker);
  });

  it('errorRate defaults the status to 500 and hits about the asked share', async () => {
    await setFaults({ errorRate: 0.5 });
    const statuses = await Promise.all(Array.from({ length: 60 }, () => product().then((r) => r.status)));
    const errors = statuses.filter((s) => s === 500).length;
    expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
    expect(errors).toBeGreaterThan(5);
    expect(errors).toBeLessThan(55);
  });

  it('a mode with an errorRate applies to that share only', async () => {
    await setFaults({ mode: 'garbage', errorRate: 0 });
    expect((await product()).ok).toBe(true);
    expect(await (await product()).json() as any).toMatchObject({ id: 'p1' });
  });

  it('latency delays the answer by at least latencyMs', async () => {
    await setFaults({ latencyMs: 150, jitterMs: 20 });
    const started = Date.now();
    const res = await product();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('routes limits faults to matching URL prefixes', async () => {
    await setFaults({ errorRate: 1, routes: ['/products/p2'] });
    expect((await product()).status).toBe(200);
    expect((await fetch(`${catalog.url}/products/p2`)).status).toBe(500);
  });

  it('never applies to /health or /__sim routes', async () => {
    await setFaults({ mode: 'down' });
    expect(await (await fetch(`${catalog.url}/health`)).json() as any).toEqual({ status: 'ok' });
    expect((await (await fetch(`${catalog.url}/__sim/faults`)).json() as any).mode).toBe('down');
    expect((await fetch(`${catalog.url}/__sim/stats`)).status).toBe(200);
  });

  it('GET returns the current faults with defaults; DELETE resets them', async () => {
    expect(await setFaults({ latencyMs: 5, mode: 'down' })).toEqual({
      latencyMs: 5,
      jitterMs: 0,
      errorRate: 1,
      status: 500,
      mode: 'down',
      routes: [],
    });
    const reset = await fetch(`${catalog.url}/__sim/faults`, { method: 'DELETE' });
    expect((await reset.json() as any).mode).toBe('ok');
    expect(await (await fetch(`${catalog.url}/__sim/faults`)).json() as any).toMatchObject({ mode: 'ok', errorRate: 0 });
    expect((await product()).status).toBe(200);
  });

  it('rejects unknown fields and bad values with 400, leaving the faults as they were', async () => {
    await setFaults({ errorRate: 1 });
    for (const body of [{ latency: 100 }, { mode: 'slow' }, { errorRate: 2 }, { status: 200 }, { routes: 'products' }]) {
      const res = await fetch(`${catalog.url}/__sim/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect((await res.json() as any).error).toBe('invalid_request');
    }
    expect((await product()).status).toBe(500);
  });

  it('can start with faults already set', async () => {
    const down = await startService('users', { port: 0, faults: { mode: 'down' } });
    try {
      await expect(fetch(`${down.url}/users/u1`)).rejects.toThrow('fetch failed');
    } finally {
      await down.close();
    }
  });
});
