import fc from 'fast-check';
import { nestedDeeperThan } from './body-parsers';

/** How deep a parsed JSON value nests objects and arrays (a scalar is 0). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, child) => Math.max(max, depthOf(child)), 0);
}

describe('JSON depth limit (property-based)', () => {
  it('says "deeper than max" exactly when the parsed value nests deeper, strings full of brackets included', () => {
    const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ':', ',') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.json().map((j) => JSON.parse(j) as unknown), tricky, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(tricky, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 12 }), (parsed, max) => {
        expect(nestedDeeperThan(JSON.stringify(parsed), max)).toBe(depthOf(parsed) > max);
      }),
      { numRuns: 3_000 },
    );
  });
});
