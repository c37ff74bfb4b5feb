import { median, rotate, roundRatios, spread } from './stats';

describe('bench statistics', () => {
  it('median of odd and even counts, ignoring non-finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, NaN, Infinity, 1])).toBe(3);
    expect(median([])).toBeNaN();
  });

  it('spread: median, min, max and range relative to the median', () => {
    expect(spread([10, 12, 8, 11, 9])).toEqual({ n: 5, median: 10, min: 8, max: 12, relativeRange: 0.4 });
    expect(spread([]).n).toBe(0);
    expect(spread([0, 0]).relativeRange).toBeNaN();
  });

  it('takes ratios within a round, skipping rounds where either side was invalid', () => {
    const a = [
      { round: 1, value: 80, valid: true },
      { round: 2, value: 90, valid: true },
      { round: 3, value: 70, valid: false },
      { round: 4, value: 85, valid: true },
    ];
    const b = [
      { round: 1, value: 100, valid: true },
      { round: 2, value: 100, valid: false },
      { round: 3, value: 100, valid: true },
      { round: 4, value: 100, valid: true },
    ];
    const { perRound, spread: s } = roundRatios(a, b);
    expect(perRound).toEqual([
      { round: 1, ratio: 0.8 },
      { round: 4, ratio: 0.85 },
    ]);
    expect(s.median).toBeCloseTo(0.825);
    expect(s.min).toBe(0.8);
    expect(s.max).toBe(0.85);
  });

  it('pairs by round number, not by position, and never divides by zero', () => {
    const a = [
      { round: 2, value: 50, valid: true },
      { round: 1, value: 40, valid: true },
    ];
    const b = [
      { round: 1, value: 80, valid: true },
      { round: 2, value: 0, valid: true },
    ];
    expect(roundRatios(a, b).perRound).toEqual([{ round: 1, ratio: 0.5 }]);
  });

  it('rotates the order so each round starts one variant later', () => {
    expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(rotate(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
    expect(rotate([], 3)).toEqual([]);
  });
});
