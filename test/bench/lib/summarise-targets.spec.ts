import { samples } from './bench-fixtures';
import type { ScenarioReport } from './model';
import { summariseVariant, withBaselineRatios } from './summarise';
import { evaluateFigureTarget, evaluateRatioTarget, evaluateStartupTargets, evaluateValueTarget, type FigureTarget, type RatioTarget, type ValueTarget } from './targets';
import { spread } from './stats';

const variant = (id: string, runs: Parameters<typeof samples>[1], warmup: [number, number] = [1, 1000]) =>
  summariseVariant({ id, label: id, description: id, url: '/x' }, samples(warmup, runs));

function scenario(): ScenarioReport {
  return withBaselineRatios({
    id: 'proxy',
    title: 'proxy',
    baselineId: 'base',
    notes: [],
    variants: [
      variant('base', [[1000, 10], [1100, 10], [900, 12]]),
      variant('fast', [[850, 12], [880, 14], [810, 15]]),
      variant('slow', [[700, 20], [770, 22], [630, 20]]),
      variant('broken', [[1000, 10], [1000, 10, 3], [1000, 10]]),
    ],
  });
}

const target = (a: string, overrides: Partial<RatioTarget> = {}): RatioTarget => ({
  id: `t-${a}`,
  description: a,
  measure: 'rps',
  a: { scenario: 'proxy', variant: a },
  b: { scenario: 'proxy', variant: 'base' },
  bound: 'min',
  threshold: 0.8,
  ...overrides,
});

describe('variant summaries', () => {
  it('leave the warm-up out of every figure', () => {
    const v = variant('v', [[100, 5], [300, 7], [200, 6]], [1, 999]);
    expect(v.rps).toMatchObject({ n: 3, median: 200, min: 100, max: 300 });
    expect(v.p99Ms.median).toBe(6);
    expect(v.valid).toBe(true);
  });

  it('mark a variant with an error in any measured round invalid, naming the round', () => {
    const v = scenario().variants.find((x) => x.id === 'broken')!;
    expect(v.valid).toBe(false);
    expect(v.invalidReasons).toEqual(['round 2: 3 non-2xx answers']);
    expect(v.rps.n).toBe(2);
  });

  it('take the ratio to the baseline round by round', () => {
    const fast = scenario().variants.find((x) => x.id === 'fast')!;
    expect(fast.ratioToBaseline!.median).toBeCloseTo(0.85);
    expect(fast.ratioToBaseline!.min).toBeCloseTo(0.8);
    expect(fast.ratioToBaseline!.max).toBeCloseTo(0.9);
    expect(fast.p99RatioToBaseline!.median).toBeCloseTo(1.25); // 12/10, 14/10, 15/12
  });
});

describe('targets', () => {
  it('is met or not on the median of the per-round ratios', () => {
    expect(evaluateRatioTarget(target('fast'), [scenario()])).toMatchObject({ status: 'met', measured: '0.85x (0.80–0.90, 3 rounds)', threshold: '≥ 0.8x' });
    expect(evaluateRatioTarget(target('slow'), [scenario()])).toMatchObject({ status: 'not met', measured: '0.70x (0.70–0.70, 3 rounds)' });
  });

  it('judges latency targets as an upper bound', () => {
    const p99 = target('fast', { measure: 'p99', bound: 'max', threshold: 1.5 });
    expect(evaluateRatioTarget(p99, [scenario()])).toMatchObject({ status: 'met', threshold: '≤ 1.5x' });
    expect(evaluateRatioTarget({ ...p99, a: { scenario: 'proxy', variant: 'slow' } }, [scenario()]).status).toBe('not met');
  });

  it('is not measured when a side is invalid, missing, or blocked, and says why', () => {
    expect(evaluateRatioTarget(target('broken'), [scenario()])).toMatchObject({ status: 'not measured', detail: expect.stringContaining('broken invalid: round 2: 3 non-2xx') });
    expect(evaluateRatioTarget(target('nope'), [scenario()])).toMatchObject({ status: 'not measured', detail: expect.stringContaining('nope') });
    expect(evaluateRatioTarget(target('fast', { blockers: ['limiter not active'] }), [scenario()])).toMatchObject({
      status: 'not measured',
      measured: expect.stringMatching(/^0\.85x/),
      detail: 'limiter not active',
    });
  });

  it('keeps the verdict but shows caveats', () => {
    expect(evaluateRatioTarget(target('fast', { caveats: ['no metrics'] }), [scenario()])).toMatchObject({ status: 'met', detail: 'no metrics' });
  });

  describe('on a figure of some variants', () => {
    const withFigures = () => {
      const s = scenario();
      const set = (id: string, server: string, peakRssMb: number | undefined, commands?: number[]) => {
        const v = s.variants.find((x) => x.id === id)!;
        Object.assign(v, { server, peakRssMb, redisCommandsPerRequest: commands && spread(commands) });
      };
      set('base', 'reply-from', 60);
      set('fast', 'bff-a', 120, [1, 1, 1]);
      set('slow', 'bff-a', 150, [2, 2, 1.9]);
      set('broken', 'bff-b', 90);
      return s;
    };
    const rss: ValueTarget = {
      id: 'peak-rss',
      description: 'peak',
      subject: (v) => (v.server?.startsWith('bff-') ? v.server : undefined),
      figure: (v) => (v.peakRssMb ? spread([v.peakRssMb]) : undefined),
      bound: 'below',
      threshold: 160,
      unit: 'MB',
      digits: 1,
    };
    const commands: ValueTarget = { ...rss, id: 'redis', subject: (v) => (v.redisCommandsPerRequest ? v.id : undefined), figure: (v) => v.redisCommandsPerRequest, bound: 'max', threshold: 1.05, unit: 'commands/request', digits: 2 };

    it('judges each subject on its own, the highest of the variants it groups', () => {
      expect(evaluateValueTarget(rss, [withFigures()])).toMatchObject({ status: 'not measured', threshold: '< 160 MB', measured: 'bff-a 150.0; bff-b n/a (invalid: broken) MB', detail: 'not measured: bff-b' });
      expect(evaluateValueTarget({ ...rss, threshold: 140 }, [withFigures()])).toMatchObject({ status: 'not met', detail: 'over: bff-a; not measured: bff-b' });
      expect(evaluateValueTarget({ ...rss, threshold: 150 }, [{ ...withFigures(), variants: withFigures().variants.filter((v) => v.id !== 'broken') }])).toMatchObject({ status: 'not met', detail: 'over: bff-a' });
      expect(evaluateValueTarget({ ...rss, bound: 'max', threshold: 150 }, [{ ...withFigures(), variants: withFigures().variants.filter((v) => v.id !== 'broken') }])).toMatchObject({ status: 'met', threshold: '≤ 150 MB' });
    });

    it('judges on the median, shows the range, and is not measured when blocked or not run', () => {
      expect(evaluateValueTarget(commands, [withFigures()])).toMatchObject({ status: 'not met', measured: 'fast 1.00 (1.00–1.00); slow 2.00 (1.90–2.00) commands/request', detail: 'over: slow', threshold: '≤ 1.05 commands/request' });
      expect(evaluateValueTarget({ ...commands, blockers: ['no Redis'] }, [withFigures()])).toMatchObject({ status: 'not measured', detail: 'no Redis' });
      expect(evaluateValueTarget(commands, [scenario()])).toMatchObject({ status: 'not measured', measured: 'n/a', detail: expect.stringContaining('not run') });
    });
  });

  it('judges start-up and idle RSS per app, on the median', () => {
    const app = (name: string, ms: number[], rss: number[], error?: string) => ({
      app: name,
      samples: ms.map((readyMs, i) => ({ readyMs, idleRssMb: rss[i] })),
      readyMs: spread(ms),
      idleRssMb: spread(rss),
      error,
    });
    const [time, rss] = evaluateStartupTargets([app('web-bff', [900, 1000, 1600], [80, 82, 81]), app('partner-bff', [1400, 1600, 1700], [70, 71, 72])], 1500, 100);
    expect(time).toMatchObject({ status: 'not met', detail: 'over: partner-bff', measured: 'web-bff 1000 ms (900–1600); partner-bff 1600 ms (1400–1700)' });
    expect(rss).toMatchObject({ status: 'met' });
    const [failed] = evaluateStartupTargets([app('web-bff', [], [], 'exited (1)\nstack')], 1500, 100);
    expect(failed).toMatchObject({ status: 'not measured', measured: 'web-bff n/a (exited (1))' });
  });

  describe('on a figure of a scenario run without wrk', () => {
    const ratio: FigureTarget = { id: 'grpc-source', description: 'gRPC / HTTP', figure: (r) => r.grpcSource && { value: r.grpcSource.grpcOverHttp, error: r.grpcSource.error }, bound: 'max', threshold: 1.1, unit: 'x', digits: 3 };
    const perEvent: FigureTarget = { ...ratio, id: 'live-fanout', figure: (r) => r.liveFanout && { value: r.liveFanout.cpuMsPerEvent, error: r.liveFanout.error }, bound: 'below', threshold: 50, unit: 'ms', digits: 2 };
    const grpc = (values: number[], error?: string) => ({ grpcSource: { grpcOverHttp: spread(values), error } as never });
    const live = (values: number[], error?: string) => ({ liveFanout: { cpuMsPerEvent: spread(values), error } as never });

    it('judges the median of the rounds, with the bound the target names', () => {
      expect(evaluateFigureTarget(ratio, grpc([0.9, 1.1, 1.3]))).toMatchObject({ status: 'met', threshold: '≤ 1.1x', measured: '1.100x (0.900–1.300, 3 rounds)' });
      expect(evaluateFigureTarget(ratio, grpc([1.11]))).toMatchObject({ status: 'not met', measured: '1.110x (1.110–1.110, 1 round)' });
      expect(evaluateFigureTarget(perEvent, live([12, 14]))).toMatchObject({ status: 'met', threshold: '< 50 ms', measured: '13.00 ms (12.00–14.00, 2 rounds)' });
      // "Under 50 ms": 50 itself misses.
      expect(evaluateFigureTarget(perEvent, live([50])).status).toBe('not met');
      expect(evaluateFigureTarget({ ...ratio, figure: () => ({ value: spread([1]), note: '1 round left out' }) }, {})).toMatchObject({ status: 'met', detail: '1 round left out' });
    });

    it('is not measured when the scenario was not run, or failed, and says why', () => {
      expect(evaluateFigureTarget(ratio, {})).toMatchObject({ status: 'not measured', measured: 'n/a', detail: 'not run (scenario not selected)' });
      expect(evaluateFigureTarget(perEvent, live([], 'live-fanout exited 1:\nstack'))).toMatchObject({ status: 'not measured', detail: 'live-fanout exited 1:' });
      expect(evaluateFigureTarget(perEvent, live([]))).toMatchObject({ status: 'not measured', detail: 'no round measured' });
    });
  });
});
