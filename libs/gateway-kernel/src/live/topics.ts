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
    const topic = topicOf(typeof value === 'string' ? value.trim() : value, principal, `topics: "${String(value).slice(0, 80)}"`);
    wanted.set(topic.topic, topic);
  }
  if (wanted.size === 0) throw invalid('topics: name at least one topic (orders, stock:<productId>)');
  assertTopicCount(wanted.size, maxTopics);
  return [...wanted.values()];
}

/**
 * The `topics` of a message a live client sends (`["stock:p2","orders"]`):
 * a non-empty array of names, each taken by the same rule as the handshake's
 * (no commas, no spaces around), at most `maxTopics`. A refused name is told
 * by its place in the array, never echoed.
 *
 * @example parseTopicList(['orders', 'stock:p2'], principal, 50) // [{ topic: 'orders', channel: 'orders:u1' }, { topic: 'stock:p2', channel: 'stock:p2' }]
 */
export function parseTopicList(raw: unknown, principal: Principal, maxTopics: number): TopicSubscription[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('topics: an array of at least one topic (orders, stock:<productId>)');
  // Before any name is looked at: the work a message costs is bounded by the cap, not by what it holds.
  assertTopicCount(raw.length, maxTopics);
  const wanted = new Map<string, TopicSubscription>();
  for (let i = 0; i < raw.length; i++) {
    const topic = topicOf(raw[i], principal, `topics[${i}]`);
    wanted.set(topic.topic, topic);
  }
  return [...wanted.values()];
}

/** Throws 400 when a connection would follow more than `maxTopics` topics. */
export function assertTopicCount(count: number, maxTopics: number): void {
  if (count > maxTopics) throw invalid(`topics: at most ${maxTopics} per connection`);
}

/** The rule for one topic name; `where` names it in a refusal (`topics: "weather"`, `topics[2]`). */
function topicOf(value: unknown, principal: Principal, where: string): TopicSubscription {
  const match = typeof value === 'string' ? TOPIC.exec(value) : null;
  if (!match) throw invalid(`${where} is not orders or stock:<productId>`);
  const [, kind, id] = match;
  if (kind === 'stock') {
    if (!id) throw invalid(`${where} needs a product id (stock:<productId>)`);
    return { topic: `stock:${id}`, channel: `stock:${id}` };
  }
  if (id !== undefined && id !== principal.id) throw new GatewayError(ErrorCode.Forbidden, "another user's orders cannot be followed");
  if (principal.kind !== 'user') throw new GatewayError(ErrorCode.Forbidden, 'only a user has orders to follow');
  if (!principal.scopes.includes(ORDERS_SCOPE)) throw new GatewayError(ErrorCode.Forbidden, `missing scope ${ORDERS_SCOPE}`);
  return { topic: 'orders', channel: `orders:${principal.id}` };
}

function invalid(reason: string): GatewayError {
  return new GatewayError(ErrorCode.ValidationFailed, 'the topics selection is invalid', { errors: [reason] });
}
