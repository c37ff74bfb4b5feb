import { liveAuthorization } from './live-credentials';

describe('liveAuthorization', () => {
  it('takes the Authorization header as it is', () => {
    expect(liveAuthorization({ headers: { authorization: 'Bearer abc' }, query: {} }, false)).toBe('Bearer abc');
  });

  it('takes a WebSocket token from access_token or a bearer.<jwt> subprotocol', () => {
    expect(liveAuthorization({ headers: {}, query: { access_token: 'abc' } }, true)).toBe('Bearer abc');
    expect(liveAuthorization({ headers: { 'sec-websocket-protocol': 'live.v1, bearer.a.b.c' }, query: {} }, true)).toBe('Bearer a.b.c');
  });

  it('ignores the alternatives where they are not offered (SSE)', () => {
    expect(liveAuthorization({ headers: { 'sec-websocket-protocol': 'bearer.abc' }, query: { access_token: 'abc' } }, false)).toBeUndefined();
  });

  it('refuses two forms at once with 400', () => {
    expect(() => liveAuthorization({ headers: { authorization: 'Bearer a' }, query: { access_token: 'b' } }, true)).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    expect(() => liveAuthorization({ headers: {}, query: { access_token: ['a', 'b'] } }, true)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
