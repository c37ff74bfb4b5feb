import { asPartner, startThrottlingTestApp, TEST_THROTTLING, type ThrottlingTestApp } from '../testing/throttling-test-app';

async function hit(url: string, count: number, headers: Record<string, string> = {}) {
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < count; i++) {
    last = await fetch(url, { headers });
    await last.arrayBuffer();
    statuses.push(last.status);
  }
  return { statuses, last: last! };
}

const WRONG = { 'x-api-key': 'not-a-key-we-issued' };

describe('failed authentication is limited per client address, before credentials are checked', () => {
  let t: ThrottlingTestApp;
  beforeEach(async () => {
    t = await startThrottlingTestApp({
      http: { trustProxy: '127.0.0.1' },
      throttling: { ...TEST_THROTTLING, authFailures: { limit: 5, ttlMs: 60_000, blockMs: 60_000 } },
    });
  });
  afterEach(() => t.close());

  it('answers 429 with Retry-After once an address has failed too often, then refuses its valid key too', async () => {
    const from = { 'x-forwarded-for': '203.0.113.20' };
    const { statuses, last } = await hit(`${t.url}/items`, 8, { ...WRONG, ...from });
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(last.headers.get('content-type')).toContain('application/problem+json');
    const valid = await hit(`${t.url}/items`, 1, { ...asPartner('gold'), ...from });
    expect(valid.statuses).toEqual([429]);
    expect(await (await fetch(`${t.url}/items`, { headers: { ...asPartner('gold'), ...from } })).json()).toMatchObject({
      status: 429,
      detail: 'too many failed authentication attempts from this address',
    });
  });

  it('keeps other addresses apart, and counts a wrong key on a public route as a failure too', async () => {
    expect((await hit(`${t.url}/open`, 6, { ...WRONG, 'x-forwarded-for': '203.0.113.21' })).statuses.slice(-1)).toEqual([429]);
    expect((await hit(`${t.url}/items`, 1, { ...asPartner('gold'), 'x-forwarded-for': '203.0.113.22' })).statuses).toEqual([200]);
  });

  it('costs nothing for successes and for requests without credentials', async () => {
    const from = { 'x-forwarded-for': '203.0.113.23' };
    expect((await hit(`${t.url}/unthrottled`, 12, { ...asPartner('gold'), ...from })).statuses).toEqual(Array(12).fill(200));
    expect((await hit(`${t.url}/items`, 8, from)).statuses).toEqual(Array(8).fill(401));
    expect((await hit(`${t.url}/items`, 5, { ...WRONG, ...from })).statuses).toEqual([401, 401, 401, 401, 401]);
    expect((await hit(`${t.url}/items`, 1, { ...WRONG, ...from })).statuses).toEqual([429]);
  });
});
