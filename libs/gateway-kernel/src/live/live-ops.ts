import type { Principal } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { parseTopicList, type TopicSubscription } from './topics';

/** What a live client may ask for after connecting: more topics, or fewer. */
export interface LiveOp {
  readonly op: 'subscribe' | 'unsubscribe';
  readonly topics: readonly TopicSubscription[];
}

const SHAPE = 'a message is one JSON object: {"op":"subscribe"|"unsubscribe","topics":["orders","stock:<productId>"]}';

/**
 * A client's message, checked strictly: a text frame holding exactly
 * `{"op":"subscribe"|"unsubscribe","topics":[...]}`, the topics by the
 * handshake's rule (see {@link parseTopicList}). 400 otherwise, 403 for
 * another user's orders; a refusal never repeats what the client sent.
 *
 * @example parseLiveOp('{"op":"subscribe","topics":["stock:p2"]}', false, principal, 50) // { op: 'subscribe', topics: [{ topic: 'stock:p2', channel: 'stock:p2' }] }
 */
export function parseLiveOp(text: string, binary: boolean, principal: Principal, maxTopics: number): LiveOp {
  if (binary) throw new GatewayError(ErrorCode.BadRequest, `binary frames are not read; ${SHAPE}`);
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new GatewayError(ErrorCode.BadRequest, `not JSON; ${SHAPE}`);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new GatewayError(ErrorCode.BadRequest, SHAPE);
  const { op, topics } = message as Record<string, unknown>;
  for (const key in message) {
    if (key !== 'op' && key !== 'topics') throw new GatewayError(ErrorCode.BadRequest, `only op and topics are read; ${SHAPE}`);
  }
  if (op !== 'subscribe' && op !== 'unsubscribe') throw new GatewayError(ErrorCode.BadRequest, 'op is subscribe or unsubscribe');
  return { op, topics: parseTopicList(topics, principal, maxTopics) };
}

/** The answer to an op carried out: `{"op":"subscribed","topics":["stock:p2"]}` (the topics as events name them). */
export function ackFrame(op: LiveOp): string {
  return JSON.stringify({ op: op.op === 'subscribe' ? 'subscribed' : 'unsubscribed', topics: op.topics.map((t) => t.topic) });
}

/**
 * The answer to a message refused: `{"op":"error","status":400,"detail":"..."}`,
 * the reason a gateway error gives the client (its field reasons when it has
 * them), plus `retryAfter` (seconds) for a 429 or 503. Anything else is a 500 that says nothing more.
 *
 * @example errorFrame(new GatewayError(ErrorCode.BadRequest, 'op is subscribe or unsubscribe')) // '{"op":"error","status":400,"detail":"op is subscribe or unsubscribe"}'
 */
export function errorFrame(error: unknown): string {
  if (!(error instanceof GatewayError)) return '{"op":"error","status":500,"detail":"the message could not be handled"}';
  const detail = error.errors?.length ? error.errors.join('; ') : error.detail;
  const retryAfter = error.headers['retry-after'];
  return JSON.stringify({ op: 'error', status: error.status, detail, ...(retryAfter === undefined ? {} : { retryAfter: Number(retryAfter) }) });
}
