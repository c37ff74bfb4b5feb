/** Median, spread and per-round ratios: the arithmetic the report rests on. */

export interface Spread {
  /** How many values went in. */
  n: number;
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, as a fraction; NaN when the median is 0. */
  relativeRange: number;
}

/** The median (mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/** Median with min and max of the finite values. */
export function spread(values: readonly number[]): Spread {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, relativeRange: NaN };
  const m = median(finite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return { n: finite.length, median: m, min, max, relativeRange: m === 0 ? NaN : (max - min) / m };
}

/** One measured value of a variant in one round; `valid` false leaves the round out. */
export interface RoundValue {
  round: number;
  value: number;
  valid: boolean;
}

/**
 * `a / b` for each round both measured validly, then their spread: the ratio is
 * taken within a round so drift of the machine between rounds cancels out.
 */
export function roundRatios(a: readonly RoundValue[], b: readonly RoundValue[]): { perRound: { round: number; ratio: number }[]; spread: Spread } {
  const byRound = new Map(b.filter((v) => v.valid).map((v) => [v.round, v.value]));
  const perRound: { round: number; ratio: number }[] = [];
  for (const value of a) {
    const other = byRound.get(value.round);
    if (!value.valid || other === undefined || !(other > 0) || !Number.isFinite(value.value)) continue;
    perRound.push({ round: value.round, ratio: value.value / other });
  }
  return { perRound, spread: spread(perRound.map((r) => r.ratio)) };
}

/** Rounds the order of `items` left by `offset`, so each round starts with a different variant. */
export function rotate<T>(items: readonly T[], offset: number): T[] {
  if (items.length === 0) return [];
  const k = ((offset % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
