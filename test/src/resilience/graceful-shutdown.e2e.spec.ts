import { request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';
import { sleep } from './resilience-env';

describe('graceful shutdown (mobile-bff)', () => {
  let sims: RunningSims;
  let mobile: RunningBff;

  beforeAll(async () => {
    sims = await startSims(['identity', 'catalog']);
  });
  afterAll(async () => {
    await mobile?.stop();
    await sims?.stop();
  });

  it('on SIGTERM turns ready to 503, completes every slow request in flight, and exits 0 within the grace period', async () => {
    mobile = await startBff('mobile-bff', sims.urls, { DRAIN_DELAY_MS: '500', SHUTDOWN_GRACE_MS: '8000' });
    await simControl(sims.urls.catalog).setFaults({ latencyMs: 700 });
    const inFlight = [1, 2, 3, 4, 5].map((limit) => request(`${mobile.url}/api/products?limit=${limit}`));
    await sleep(150);

    const signalled = Date.now();
    mobile.process.child.kill('SIGTERM');
    await sleep(50);
    expect((await request(`${mobile.url}/health/ready`)).status).toBe(503);

    const responses = await Promise.all(inFlight);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.map((r) => r.body.items.length)).toEqual([1, 2, 3, 4, 5]);

    expect(await mobile.process.waitForExit(8_000)).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(8_000);
  });
});
