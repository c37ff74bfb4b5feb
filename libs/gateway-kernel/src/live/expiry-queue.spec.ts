import { ExpiryQueue } from './expiry-queue';

/** Everything due by `now`, in the order the queue gives it. */
function drain(queue: ExpiryQueue<string>, now: number): string[] {
  const due: string[] = [];
  for (let item = queue.takeDue(now); item !== undefined; item = queue.takeDue(now)) due.push(item);
  return due;
}

describe('ExpiryQueue', () => {
  it('gives items back earliest first, only once they are due', () => {
    const queue = new ExpiryQueue<string>();
    queue.add('c', 30);
    queue.add('a', 10);
    queue.add('b', 20);
    expect(queue.next).toBe(10);
    expect(queue.takeDue(9)).toBeUndefined();
    expect(drain(queue, 20)).toEqual(['a', 'b']);
    expect(queue.next).toBe(30);
    expect(drain(queue, 1_000)).toEqual(['c']);
    expect(queue.next).toBeUndefined();
  });

  it('lets any item leave early, and re-adding one moves it', () => {
    const queue = new ExpiryQueue<string>();
    for (const [item, at] of [['a', 10], ['b', 20], ['c', 30], ['d', 40]] as const) queue.add(item, at);
    expect(queue.delete('a')).toBe(true);
    expect(queue.delete('a')).toBe(false);
    queue.add('d', 5);
    expect(queue.size).toBe(3);
    expect(drain(queue, 100)).toEqual(['d', 'b', 'c']);
  });

  it('stays ordered through many adds and removals in any order', () => {
    const queue = new ExpiryQueue<string>();
    const kept = new Map<string, number>();
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 2_000; i++) {
      const item = `i${Math.floor(random() * 500)}`;
      if (random() < 0.3) {
        queue.delete(item);
        kept.delete(item);
      } else {
        const at = Math.floor(random() * 10_000);
        queue.add(item, at);
        kept.set(item, at);
      }
    }
    expect(queue.size).toBe(kept.size);
    const order = drain(queue, Infinity);
    expect(order.map((item) => kept.get(item))).toEqual([...kept.values()].sort((a, b) => a - b));
    expect(new Set(order)).toEqual(new Set(kept.keys()));
  });
});
