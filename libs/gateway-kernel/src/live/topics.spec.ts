import type { Principal } from '../context';
import { parseTopicList, parseTopics } from './topics';

const alice: Principal = { kind: 'user', id: 'u1', scopes: ['orders:read'] };

describe('parseTopics', () => {
  it("maps orders to the caller's own channel, and stock to the product's", () => {
    expect(parseTopics('orders,stock:p1', alice, 10)).toEqual([
      { topic: 'orders', channel: 'orders:u1' },
      { topic: 'stock:p1', channel: 'stock:p1' },
    ]);
    expect(parseTopics(['stock:p1', 'stock:p1', 'orders:u1'], alice, 10)).toHaveLength(2);
  });

  it("refuses another user's orders with 403", () => {
    expect(() => parseTopics('orders:u2', alice, 10)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('refuses orders without the orders:read scope, and to a partner, with 403', () => {
    expect(() => parseTopics('orders', { ...alice, scopes: ['profile'] }, 10)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => parseTopics('orders', { kind: 'partner', id: 'k1', scopes: ['orders:read'] }, 10)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it.each([[undefined], [''], ['weather'], ['stock'], ['stock:'], ['stock:../x'], [`stock:${'p'.repeat(65)}`], [[{}]]])(
    'refuses %p with 400',
    (raw) => {
      expect(() => parseTopics(raw, alice, 10)).toThrow(expect.objectContaining({ status: 400 }));
    },
  );

  it('refuses more topics than the cap', () => {
    expect(() => parseTopics('stock:a,stock:b,stock:c', alice, 2)).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('parseTopicList', () => {
  it('takes an array of topic names by the same rule as the handshake, each once', () => {
    expect(parseTopicList(['stock:p2', 'orders', 'stock:p2', 'orders:u1'], alice, 10)).toEqual([
      { topic: 'stock:p2', channel: 'stock:p2' },
      { topic: 'orders', channel: 'orders:u1' },
    ]);
  });

  it("refuses another user's orders with 403, as the handshake does", () => {
    expect(() => parseTopicList(['orders:u2'], alice, 10)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => parseTopicList(['orders'], { ...alice, scopes: [] }, 10)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it.each([[undefined], ['orders'], [[]], [{}], [['orders,stock:p1']], [[' orders']], [['stock']], [[1]], [['orders:bob/x']]])('refuses %p with 400', (raw) => {
    expect(() => parseTopicList(raw, alice, 10)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('names a refused topic by its place, never by what was sent', () => {
    expect(() => parseTopicList(['stock:p1', '<script>'], alice, 10)).toThrow(expect.objectContaining({ errors: ['topics[1] is not orders or stock:<productId>'] }));
    expect(() => parseTopicList(['stock'], alice, 10)).toThrow(expect.objectContaining({ errors: ['topics[0] needs a product id (stock:<productId>)'] }));
  });

  it('refuses more names than the cap before reading any', () => {
    expect(() => parseTopicList(['stock:a', 'stock:b', 42], alice, 2)).toThrow(expect.objectContaining({ errors: ['topics: at most 2 per connection'] }));
  });
});
