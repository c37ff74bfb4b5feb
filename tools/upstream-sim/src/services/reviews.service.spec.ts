import { type RunningService, startService } from '../start-service';

describe('reviews service', () => {
  let reviews: RunningService;

  beforeAll(async () => {
    reviews = await startService('reviews', { port: 0 });
  });
  afterAll(() => reviews.close());

  it("lists a product's reviews, newest first, with limit", async () => {
    // Find a product with a few reviews.
    let body: any;
    for (let i = 1; i <= 200 && !(body?.total >= 3); i++) body = await (await fetch(`${reviews.url}/reviews?productId=p${i}&limit=100`)).json() as any;
    expect(body.total).toBeGreaterThanOrEqual(3);
    const productId = body.items[0].productId;
    expect(body.items.every((r: any) => r.productId === productId && r.rating >= 1 && r.rating <= 5)).toBe(true);
    const dates = body.items.map((r: any) => r.createdAt);
    expect(dates).toEqual([...dates].sort().reverse());
    const limited = await (await fetch(`${reviews.url}/reviews?productId=${productId}&limit=2`)).json() as any;
    expect(limited.items).toEqual(body.items.slice(0, 2));
  });

  it('returns an empty list for an unknown product and 400 without productId', async () => {
    expect(await (await fetch(`${reviews.url}/reviews?productId=p999`)).json() as any).toMatchObject({ items: [], total: 0 });
    expect((await fetch(`${reviews.url}/reviews`)).status).toBe(400);
  });
});
