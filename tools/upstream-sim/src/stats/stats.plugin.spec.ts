import { type RunningService, startService } from '../start-service';
import { LAST_REQUESTS_KEPT } from './request-stats';

describe('request stats', () => {
  let users: RunningService;

  beforeEach(async () => {
    users = await startService('users', { port: 0 });
  });
  afterEach(() => users.close());

  const stats = async () => (await fetch(`${users.url}/__sim/stats`)).json() as any;

  it('records each request with its route pattern and the headers as received', async () => {
    await fetch(`${users.url}/users/u1?fields=all`, {
      headers: { 'x-request-id': 'req-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'x-user-id': 'u1' },
    });
    await fetch(`${users.url}/users/u2`);
    const snapshot = await stats();
    expect(snapshot.total).toBe(2);
    expect(snapshot.byRoute).toEqual({ 'GET /users/:id': 2 });
    expect(snapshot.lastRequests[0]).toMatchObject({
      method: 'GET',
      url: '/users/u1?fields=all',
      headers: {
        'x-request-id': 'req-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-user-id': 'u1',
        host: new URL(users.url).host,
      },
    });
    expect(snapshot.lastRequests[0].headers).not.toHaveProperty('x-forwarded-for');
    expect(snapshot.lastRequests[1].url).toBe('/users/u2');
  });

  it('counts unknown paths and faulted requests, but not /health or /__sim', async () => {
    await fetch(`${users.url}/health`);
    await fetch(`${users.url}/__sim/faults`);
    await fetch(`${users.url}/nope`);
    await fetch(`${users.url}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"errorRate":1}' });
    expect((await fetch(`${users.url}/users/u1`)).status).toBe(500);
    const snapshot = await stats();
    expect(snapshot.total).toBe(2);
    expect(snapshot.byRoute).toEqual({ 'GET (no route)': 1, 'GET /users/:id': 1 });
  });

  it(`keeps only the last ${LAST_REQUESTS_KEPT} requests, oldest first`, async () => {
    for (let i = 1; i <= LAST_REQUESTS_KEPT + 5; i++) await fetch(`${users.url}/users/u${i}`);
    const snapshot = await stats();
    expect(snapshot.total).toBe(LAST_REQUESTS_KEPT + 5);
    expect(snapshot.lastRequests).toHaveLength(LAST_REQUESTS_KEPT);
    expect(snapshot.lastRequests[0].url).toBe('/users/u6');
    expect(snapshot.lastRequests.at(-1).url).toBe(`/users/u${LAST_REQUESTS_KEPT + 5}`);
  });

  it('DELETE resets the counters', async () => {
    await fetch(`${users.url}/users/u1`);
    const res = await fetch(`${users.url}/__sim/stats`, { method: 'DELETE' });
    expect(await res.json() as any).toEqual({ total: 0, byRoute: {}, lastRequests: [] });
    expect((await stats()).total).toBe(0);
  });
});
