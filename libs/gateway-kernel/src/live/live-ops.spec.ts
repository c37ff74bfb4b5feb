import type { Principal } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { ackFrame, errorFrame, parseLiveOp } from './live-ops';

const alice: Principal = { kind: 'user', id: 'u1', scopes: ['orders:read'] };
const refusal = (text: string, binary = false) => {
  try {
    parseLiveOp(text, binary, alice, 10);
  } catch (error) {
    return JSON.parse(errorFrame(error)) as { op: string; status: number; detail: string };
  }
  throw new Error(`${text} was taken`);
};

describe('parseLiveOp', () => {
  it('takes subscribe and unsubscribe with their topics', () => {
    expect(parseLiveOp('{"op":"subscribe","topics":["stock:p2","orders"]}', false, alice, 10)).toEqual({
      op: 'subscribe',
      topics: [
        { topic: 'stock:p2', channel: 'stock:p2' },
        { topic: 'orders', channel: 'orders:u1' },
      ],
    });
    expect(parseLiveOp('{"topics":["stock:p2"],"op":"unsubscribe"}', false, alice, 10).op).toBe('unsubscribe');
  });

  it.each([
    ['not json', 'hello'],
    ['not an object', '["subscribe"]'],
    ['null', 'null'],
    ['no op', '{"topics":["orders"]}'],
    ['an unknown op', '{"op":"publish","topics":["orders"]}'],
    ['an unknown field', '{"op":"subscribe","topics":["orders"],"as":"u2"}'],
    ['a prototype key', '{"op":"subscribe","topics":["orders"],"__proto__":{}}'],
    ['topics not an array', '{"op":"subscribe","topics":"orders"}'],
    ['a malformed topic', '{"op":"subscribe","topics":["weather<img>"]}'],
  ])('answers %s with a 400 that does not repeat the message', (_what, text) => {
    const frame = refusal(text);
    expect(frame).toMatchObject({ op: 'error', status: 400, detail: expect.any(String) });
    expect(frame.detail).not.toMatch(/hello|publish|weather|"as"|u2/);
  });

  it("answers another user's orders with 403", () => {
    expect(refusal('{"op":"subscribe","topics":["orders:u2"]}')).toEqual({ op: 'error', status: 403, detail: "another user's orders cannot be followed" });
  });

  it('answers a binary frame with 400, unread', () => {
    expect(refusal('{"op":"subscribe","topics":["orders"]}', true)).toMatchObject({ status: 400, detail: expect.stringMatching(/^binary frames/) });
  });
});

describe('live op frames', () => {
  it('acks with the topics as events name them', () => {
    expect(ackFrame(parseLiveOp('{"op":"subscribe","topics":["orders:u1","stock:p2"]}', false, alice, 10))).toBe('{"op":"subscribed","topics":["orders","stock:p2"]}');
    expect(ackFrame({ op: 'unsubscribe', topics: [{ topic: 'stock:p2', channel: 'stock:p2' }] })).toBe('{"op":"unsubscribed","topics":["stock:p2"]}');
  });

  it('gives a 429 its retryAfter, and says nothing of an unexpected failure', () => {
    const limited = new GatewayError(ErrorCode.RateLimited, 'rate limit "burst" of 5 requests per 60s exceeded', { headers: { 'retry-after': '12' } });
    expect(JSON.parse(errorFrame(limited))).toEqual({ op: 'error', status: 429, detail: 'rate limit "burst" of 5 requests per 60s exceeded', retryAfter: 12 });
    expect(JSON.parse(errorFrame(new Error('ECONNRESET 10.0.0.7')))).toEqual({ op: 'error', status: 500, detail: 'the message could not be handled' });
  });
});
