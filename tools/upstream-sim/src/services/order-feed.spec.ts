import { type RunningService, startService } from '../start-service';

/** Reads a feed until `count` events arrived; returns their ids and data. */
async function readEvents(url: string, count: number, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const events: { id: string; data: any }[] = [];
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk);
    for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) events.push({ id, data: JSON.parse(data) });
    }
    if (events.length >= count) break;
  }
  controller.abort();
  return events;
}

describe('orders change feed', () => {
  let orders: RunningService;
  beforeEach(async () => {
    orders = await startService('orders', { port: 0 });
  });
  afterEach(() => orders.close());

  const setStatus = (id: string, status: string) =>
    fetch(`${orders.url}/__sim/orders/${id}/status`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) });

  it('streams each status change, and the order answers with its new status', async () => {
    const reading = readEvents(`${orders.url}/orders/changes`, 2);
    await new Promise((r) => setTimeout(r, 100));
    expect((await setStatus('o1', 'shipped')).status).toBe(200);
    await fetch(`${orders.url}/__sim/orders/o1/changes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"count":1}' });
    const events = await reading;
    expect(events.map((e) => [e.id, e.data.orderId, e.data.status])).toEqual([
      ['1', 'o1', 'shipped'],
      ['2', 'o1', 'delivered'],
    ]);
    expect(events[0].data.userId).toMatch(/^u\d+$/);
    expect(((await (await fetch(`${orders.url}/orders/o1`)).json()) as { status: string }).status).toBe('delivered');
  });

  it('resumes after Last-Event-ID, and counts subscribers', async () => {
    for (const status of ['paid', 'shipped', 'delivered']) await setStatus('o2', status);
    const events = await readEvents(`${orders.url}/orders/changes`, 2, { 'last-event-id': '1' });
    expect(events.map((e) => e.data.status)).toEqual(['shipped', 'delivered']);
    const reading = readEvents(`${orders.url}/orders/changes`, 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await (await fetch(`${orders.url}/__sim/orders/feed`)).json()).toEqual({ subscribers: 1 });
    await setStatus('o2', 'cancelled');
    await reading;
  });

  it('refuses an unknown status and an unknown order', async () => {
    expect((await setStatus('o1', 'lost')).status).toBe(400);
    expect((await setStatus('nope', 'paid')).status).toBe(404);
  });
});
