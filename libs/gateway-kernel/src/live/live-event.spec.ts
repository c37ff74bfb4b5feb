import { compareEventIds, eventFrame, frameId, isEventId, sseBytes } from './live-event';

describe('live events', () => {
  it('orders ids by time, then sequence, as numbers', () => {
    expect(compareEventIds('1700000000000-2', '1700000000000-10')).toBeLessThan(0);
    expect(compareEventIds('1700000000001-0', '1700000000000-99')).toBeGreaterThan(0);
    expect(compareEventIds('junk', '0-0')).toBeLessThan(0);
  });

  it('accepts only ids of the shape it sends as Last-Event-ID', () => {
    expect(isEventId('1700000000000-2')).toBe(true);
    for (const bad of ['', '12', '1-2-3', '1-x', `${'9'.repeat(17)}-1`, undefined, ['1-1']]) expect(isEventId(bad)).toBe(false);
  });

  it('builds one compact frame and reads its id back without parsing', () => {
    const frame = eventFrame('5-1', 'stock:p1', '{"available":3}');
    expect(JSON.parse(frame)).toEqual({ id: '5-1', topic: 'stock:p1', data: { available: 3 } });
    expect(frameId(frame)).toBe('5-1');
  });

  it('encodes an event for SSE once, however many clients send it', () => {
    const event = { id: '5-1', channel: 'stock:p1', frame: eventFrame('5-1', 'stock:p1', '1') };
    const bytes = sseBytes(event);
    expect(sseBytes(event)).toBe(bytes);
    expect(bytes.toString()).toBe(`id: 5-1\ndata: ${event.frame}\n\n`);
  });
});
