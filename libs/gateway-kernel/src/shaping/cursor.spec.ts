import { GatewayError } from '../errors';
import { decodeCursor, encodeCursor, nextCursor } from './cursor';

describe('cursor', () => {
  it('round-trips an offset', () => {
    expect(decodeCursor(encodeCursor(40))).toBe(40);
    expect(decodeCursor(undefined)).toBe(0);
  });

  it('refuses tampered cursors with a 400', () => {
    for (const bad of ['abc', Buffer.from('o-1').toString('base64url'), 'b'.repeat(40), '../x']) {
      expect(() => decodeCursor(bad)).toThrow(GatewayError);
    }
  });

  it('has no next cursor on the last page', () => {
    expect(nextCursor(0, 20, 20)).toBeNull();
    expect(decodeCursor(nextCursor(0, 20, 21)!)).toBe(20);
  });
});
