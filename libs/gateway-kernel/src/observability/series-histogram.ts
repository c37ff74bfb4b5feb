import { Histogram, type LabelValues } from 'prom-client';

/** One labelled series of a {@link SeriesHistogram}. */
export interface HistogramSeries {
  /** Counts one value (seconds) in the series. */
  observe(value: number): void;
}

/** How prom-client's Histogram keeps a series (its `hashMap` values); the spec holds the two to the same output. */
interface SeriesValues {
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

interface HistogramInternals {
  hashMap: Record<string, SeriesValues & { labels: object }>;
}

/**
 * A prom-client Histogram whose series are bound once: `series(labels)`
 * checks and keys the label values once, and each `observe` of the series
 * is a bucket search and three additions. prom-client's own `observe`
 * validates and hashes the labels object on every call, which was a
 * visible share of a proxied request's CPU. Everything else (registry,
 * serialising, `reset`, labels observed the usual way) is prom-client's.
 *
 * @example const ok = histogram.series({ upstream: 'catalog', outcome: 'ok' }); ok.observe(0.012);
 */
export class SeriesHistogram<T extends string = string> extends Histogram<T> {
  /** Bucket bounds and the keys prom-client stores their counts under, made once. */
  private bounds: readonly number[] | undefined;
  private boundKeys: readonly string[] = [];

  series(labels: LabelValues<T>): HistogramSeries {
    // prom-client's check of the label names (it throws on an unknown one).
    this.labels(labels);
    const internals = this as unknown as HistogramInternals;
    const bounds = (this.bounds ??= Object.keys(this.seriesOf(labels).bucketValues).map(Number).sort((a, b) => a - b));
    if (this.boundKeys.length !== bounds.length) this.boundKeys = bounds.map(String);
    const keys = this.boundKeys;
    const key = this.keyOf(labels);
    return {
      observe: (value) => {
        if (!Number.isFinite(value)) return;
        // reset() replaces every series: then this one starts again from zero.
        const series = internals.hashMap[key] ?? this.seriesOf(labels);
        series.sum += value;
        series.count += 1;
        for (let i = 0; i < bounds.length; i++) {
          if (value <= bounds[i]) {
            series.bucketValues[keys[i]] += 1;
            return;
          }
        }
      },
    };
  }

  /** The series' stored values, made (at zero) if it has none yet. */
  private seriesOf(labels: LabelValues<T>): SeriesValues {
    const internals = this as unknown as HistogramInternals;
    const key = this.keyOf(labels);
    if (internals.hashMap[key] === undefined) this.zero(labels);
    return internals.hashMap[key];
  }

  /** prom-client's own key of a series, found by its labels (once per series, not per value). */
  private keyOf(labels: LabelValues<T>): string {
    const internals = this as unknown as HistogramInternals;
    const wanted = JSON.stringify(sorted(labels));
    for (const [key, series] of Object.entries(internals.hashMap)) if (JSON.stringify(sorted(series.labels)) === wanted) return key;
    this.zero(labels);
    return this.keyOf(labels);
  }
}

// Code-unit order, not localeCompare: a collator would map ICU's data into the process (~3 MB
// resident) for label names that are ASCII anyway.
function sorted(labels: object): [string, string][] {
  return Object.entries(labels)
    .map(([name, value]) => [name, String(value)] as [string, string])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
