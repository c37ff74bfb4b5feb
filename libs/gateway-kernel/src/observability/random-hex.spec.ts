import { randomHex } from './random-hex';

describe('randomHex', () => {
  it('gives hex of the asked length, different each time, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const id = randomHex(8);
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(2_000);
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
  });
});
