import { Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram';

const BUCKETS = [0.005, 0.01, 0.025, 0.1, 1];
const VALUES = [0.001, 0.005, 0.0051, 0.02, 0.3, 0.99, 1, 4, 12, Number.NaN, 0];

/** The same histogram both ways in registries of their own: prom-client's observe, and bound series. */
function pair() {
  const plainRegistry = new Registry();
  const seriesRegistry = new Registry();
  const config = { name: 'test_duration_seconds', help: 'test', labelNames: ['upstream', 'outcome'] as const, buckets: BUCKETS };
  const plain = new Histogram({ ...config, registers: [plainRegistry] });
  const series = new SeriesHistogram({ ...config, registers: [seriesRegistry] });
  return { plain, series, text: async () => [await plainRegistry.metrics(), await seriesRegistry.metrics()] };
}

describe('SeriesHistogram', () => {
  it("serves exactly what prom-client's own observe would, series by series", async () => {
    const { plain, series, text } = pair();
    const ok = series.series({ upstream: 'catalog', outcome: 'ok' });
    const slow = series.series({ upstream: 'catalog', outcome: 'timeout' });
    for (const value of VALUES) {
      if (Number.isFinite(value)) plain.observe({ upstream: 'catalog', outcome: 'ok' }, value);
      ok.observe(value);
    }
    plain.observe({ upstream: 'catalog', outcome: 'timeout' }, 2);
    slow.observe(2);
    // Observed the usual way too: the same series.
    plain.observe({ upstream: 'catalog', outcome: 'ok' }, 0.05);
    series.observe({ upstream: 'catalog', outcome: 'ok' }, 0.05);

    const [expected, actual] = await text();
    expect(actual).toBe(expected);
    expect(actual).toContain('test_duration_seconds_count{upstream="catalog",outcome="ok"} 11');
  });

  it('binds one series whatever the order of its labels, and the same series twice to one', async () => {
    const { plain, series, text } = pair();
    series.series({ outcome: 'ok', upstream: 'reviews' }).observe(0.02);
    series.series({ upstream: 'reviews', outcome: 'ok' }).observe(0.02);
    // prom-client writes a series' labels in the order it first saw them.
    plain.observe({ outcome: 'ok', upstream: 'reviews' }, 0.02);
    plain.observe({ upstream: 'reviews', outcome: 'ok' }, 0.02);
    const [expected, actual] = await text();
    expect(actual).toBe(expected);
  });

  it('counts again from zero after a reset', async () => {
    const { plain, series, text } = pair();
    const ok = series.series({ upstream: 'catalog', outcome: 'ok' });
    ok.observe(0.5);
    series.reset();
    ok.observe(0.003);
    plain.observe({ upstream: 'catalog', outcome: 'ok' }, 0.003);
    const [expected, actual] = await text();
    expect(actual).toBe(expected);
  });

  it('refuses a label it was not declared with, as prom-client does', () => {
    const { series } = pair();
    expect(() => series.series({ upstream: 'catalog', route: '/x' } as never)).toThrow(/route/);
  });
});
