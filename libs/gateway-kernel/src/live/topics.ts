import type { Principal } from '../context';
import { ErrorCode, GatewayError } from '../errors';

/** What a client may follow: its orders, or one product's stock. */
const TOPIC = /^(orders|stock)(?::([A-Za-z0-9_-]{1,64}))?$/;

/** Scope a user needs to follow its orders (the same as reading them over REST). */
export const ORDERS_SCOPE = 'orders:read';

/** One topic a connection follows: the name the client used and the channel it is published on. */
export interface TopicSubscription {
  /** As events carry it: `orders`, `stock:p1`. */
  readonly topic: string;
  /** `orders:<userId>`, `stock:<productId>`. */
  readonly channel: string;
}

/**
 * The `topics` selection of a live connection (`orders,stock:p1`, or the
 * parameter repeated), checked against the caller: 400 for a malformed or
 * empty selection or more than `maxTopics`, 403 for another user's orders or
 * a missing `orders:read` scope. `orders:<id>` is accepted for the caller's own id.
 *
 * @example parseTopics('orders,stock:p1', principal, 50) // [{ topic: 'orders', channel: 'orders:u1' }, { topic: 'stock:p1', channel: 'stock:p1' }]
 */
export function parseTopics(raw: unknown, principal: Principal, maxTopics: number): TopicSubscription[] {
  if (raw === undefined || raw === '') throw invalid('topics: name at least one topic (orders, stock:<productId>)');
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((value) => (typeof value === 'string' ? value.split(',') : [value]));
  const wanted = new Map<string, TopicSubscription>();
  for (const value of values) {
    const match = typeof value === 'string' ? TOPIC.exec(value.trim()) : null;
    if (!match) throw invalid(`topics: "${String(value).slice(0, 80)}" is not orders or stock:<productId>`);
    const [, kind, id] = match;
    if (kind === 'stock') {
      if (!id) throw invalid('topics: stock needs a product id (stock:<productId>)');
      wanted.set(`stock:${id}`, { topic: `stock:${id}`, channel: `stock:${id}` });
      continue;
    }
    if (id !== undefined && id !== principal.id) throw new GatewayError(ErrorCode.Forbidden, "another user's orders cannot be followed");
    if (principal.kind !== 'user') throw new GatewayError(ErrorCode.Forbidden, 'only a user has orders to follow');
    if (!principal.scopes.includes(ORDERS_SCOPE)) throw new GatewayError(ErrorCode.Forbidden, `missing scope ${ORDERS_SCOPE}`);
    wanted.set('orders', { topic: 'orders', channel: `orders:${principal.id}` });
  }
  if (wanted.size === 0) throw invalid('topics: name at least one topic (orders, stock:<productId>)');
  if (wanted.size > maxTopics) throw invalid(`topics: at most ${maxTopics} per connection`);
  return [...wanted.values()];
}

function invalid(reason: string): GatewayError {
  return new GatewayError(ErrorCode.ValidationFailed, 'the topics selection is invalid', { errors: [reason] });
}
