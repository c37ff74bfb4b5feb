import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grpcRounds, liveRounds, samples } from './bench-fixtures';
import { grpcSourceSettings, summariseGrpcSource } from './grpc-source';
import { liveFanoutSettings, summariseLiveFanout } from './live-fanout';
import { parseArgs } from './args';
import type { BenchReport } from './model';
import { CHART_FILES, LATEST_CHART_FILES, renderMarkdown, writeReport } from './report-writer';
import { spread } from './stats';
import { summariseVariant, withBaselineRatios } from './summarise';
import { latencyChart, rpsChart } from './svg-charts';

function report(): BenchReport {
  const v = (id: string, runs: Parameters<typeof samples>[1]) => summariseVariant({ id, label: `label ${id}`, description: `about ${id}`, url: '/p' }, samples([1, 1], runs));
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:05:00.000Z',
    durationS: 300,
    quick: false,
    machine: { cpus: 2, model: 'cpu', memoryGb: 24, node: '20.0.0', wrk: 'wrk 4.1.0', nginx: 'nginx/1.22.1', kernel: '6.1', loadAverageAtStart: [0.1, 0.2, 0.3] },
    settings: { rounds: 2, warmupRounds: 1, secondsPerRun: 5, warmupSeconds: 3, connections: 50, wrkThreads: 1, pinning: 'gateway on 0, load on 1' },
    features: { metrics: 'GET /metrics 200' },
    scenarios: [
      withBaselineRatios({
        id: 'proxy',
        title: 'Pass-through',
        baselineId: 'base',
        notes: ['a scenario note'],
        variants: [v('base', [[1000, 10], [1000, 10]]), v('gw', [[900, 12], [800, 13]]), v('bad', [[900, 12], [800, 13, 5]])],
      }),
    ],
    startup: [{ app: 'web-bff', samples: [{ readyMs: 900, idleRssMb: 80 }], readyMs: spread([900]), idleRssMb: spread([80]) }],
    targets: [
      { id: 'a', description: 'gw vs base', status: 'met', measured: '0.85x', threshold: '≥ 0.8x' },
      { id: 'b', description: 'bad | piped', status: 'not measured', measured: 'n/a', threshold: '≥ 0.8x', detail: 'bad invalid' },
    ],
    profiles: [
      {
        id: 'proxy',
        title: 'proxy profile',
        reason: 'target a not met',
        summary: { totalMs: 1000, idleMs: 100, busyMs: 900, topFunctions: [{ name: 'writev', ms: 90, share: 0.1 }], byOrigin: [{ name: 'npm:fastify', ms: 180, share: 0.2 }], byCaller: [{ name: 'npm:pino', ms: 270, share: 0.3 }], kernelStages: [{ name: 'kernel/proxy', ms: 450, share: 0.5 }], internalHotspots: [{ name: 'randomFillSync', ms: 50, share: 0.05, callers: [{ name: 'continueTrace libs/x.ts:18', ms: 50 }] }] },
      },
      { id: 'startup', title: 'startup profile', reason: 'slow', error: 'no profile' },
    ],
    notes: ['a global note'],
  };
}

describe('report writer', () => {
  it('puts the targets first, each with its verdict, and escapes table cells', () => {
    const md = renderMarkdown(report());
    expect(md.indexOf('## Targets')).toBeLessThan(md.indexOf('## Pass-through'));
    expect(md).toContain('| gw vs base | ≥ 0.8x | 0.85x | ✅ met |');
    expect(md).toContain('| bad \\| piped | ≥ 0.8x | n/a — bad invalid | ⚪ not measured |');
  });

  it('shows each variant with its ratio to the baseline, and invalid ones as invalid', () => {
    const md = renderMarkdown(report());
    expect(md).toContain('| **label base** (baseline) | 1000 (1000–1000) | 1.00x (1.00–1.00, 2 rounds) |');
    expect(md).toMatch(/\| label gw \| 850 \(800–900\) \| 0\.85x \(0\.80–0\.90, 2 rounds\) \|/);
    expect(md).toContain('**INVALID**: round 2: 5 non-2xx answers');
    expect(md).toContain('> a scenario note');
  });

  it('warns when other processes used the gateway CPU during the runs', () => {
    const r = report();
    const quiet = renderMarkdown(r);
    expect(quiet).not.toContain('Other processes');
    for (const sample of r.scenarios[0].variants[1].samples) sample.foreignPercentOnGatewayCpu = 20;
    r.scenarios[0] = withBaselineRatios({ ...r.scenarios[0], variants: r.scenarios[0].variants.map((v) => summariseVariant(v, v.samples)) });
    expect(renderMarkdown(r)).toContain("Other processes' use of the gateway's CPU during these runs: median 20% at worst, peak 20% — **the machine was not quiet");
  });

  it('includes start-up, profiles (or why there is none), features and notes', () => {
    const md = renderMarkdown(report());
    expect(md).toContain('| web-bff | 900 | 80.0 | 1 |');
    expect(md).toContain('| `writev` | 90 | 10.0% |');
    expect(md).toContain('| kernel/proxy | 450 | 50.0% |');
    expect(md).toContain('| npm:fastify | 180 | 20.0% | npm:pino | 270 | 30.0% |');
    expect(md).toContain('| `randomFillSync` | 50 | 5.0% | `continueTrace libs/x.ts:18` (50) |');
    expect(md).toContain('Could not profile: no profile');
    expect(md).toContain('- metrics: GET /metrics 200');
    expect(md).toContain('- a global note');
  });

  it('shows p50, p90 and p99, and CPU per request for every variant', () => {
    const md = renderMarkdown(report());
    expect(md).toContain('| variant | req/s | x baseline | p50 ms | p90 ms | p99 ms | p99 x baseline | CPU µs/req |');
    // Fixture: p50 = p99 / 4, p90 = 0.6 p99, CPU = 1e6 / rps.
    expect(md).toMatch(/\| \*\*label base\*\* \(baseline\) \| [^|]+ \| [^|]+ \| 2\.50 \(2\.50–2\.50\) \| 6\.00 \(6\.00–6\.00\) \| 10\.00 \(10\.00–10\.00\) \| 1\.00x \| 1000 \(1000–1000\) \|/);
    expect(md).toMatch(/\| label gw \|(?: [^|]+ \|){6} 1181 \(1111–1250\) \|/);
  });

  it('gives Redis commands sent per request, and those its scripts ran', () => {
    const r = report();
    const gw = r.scenarios[0].variants[1];
    for (const sample of gw.samples) Object.assign(sample, { redisCommandsPerRequest: 1, redisScriptCommandsPerRequest: 5 });
    r.scenarios[0] = withBaselineRatios({ ...r.scenarios[0], variants: r.scenarios[0].variants.map((v) => summariseVariant(v, v.samples)) });
    expect(renderMarkdown(r)).toContain('- label gw: sent 1.00 (1.00–1.00) Redis commands/request, and its Lua scripts ran 5.00 (5.00–5.00) more inside Redis');
  });

  it('links the charts only when asked to, after the targets', () => {
    expect(renderMarkdown(report())).not.toContain('## Charts');
    const md = renderMarkdown(report(), { charts: { rps: 'a.svg', latency: 'b.svg' } });
    expect(md).toContain('![req/s per variant](a.svg)');
    expect(md).toContain('![latency percentiles per variant](b.svg)');
    expect(md.indexOf('## Targets')).toBeLessThan(md.indexOf('## Charts'));
    expect(md.indexOf('## Charts')).toBeLessThan(md.indexOf('## Pass-through'));
    expect(renderMarkdown({ ...report(), scenarios: [] }, { charts: { rps: 'a.svg', latency: 'b.svg' } })).not.toContain('## Charts');
  });

  it('writes JSON, Markdown and the charts, and the latest copies linking the latest charts', () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const { json, markdown, charts } = writeReport(join(root, 'run'), report(), root);
    expect(JSON.parse(readFileSync(json, 'utf8')).scenarios[0].variants).toHaveLength(3);
    expect(readFileSync(markdown, 'utf8')).toBe(renderMarkdown(report(), { charts: CHART_FILES }));
    expect(readFileSync(markdown, 'utf8')).toContain('![req/s per variant](rps.svg)');
    expect(charts).toEqual([join(root, 'run', 'rps.svg'), join(root, 'run', 'latency.svg')]);
    expect(readFileSync(charts[0], 'utf8')).toBe(rpsChart(report().scenarios));
    expect(readFileSync(charts[1], 'utf8')).toBe(latencyChart(report().scenarios));
    expect(readFileSync(join(root, 'latest-rps.svg'), 'utf8')).toBe(readFileSync(charts[0], 'utf8'));
    expect(readFileSync(join(root, 'latest-latency.svg'), 'utf8')).toBe(readFileSync(charts[1], 'utf8'));
    const latest = readFileSync(join(root, 'latest.md'), 'utf8');
    expect(latest).toBe(renderMarkdown(report(), { charts: LATEST_CHART_FILES }));
    expect(latest).toContain('![req/s per variant](latest-rps.svg)');
    expect(latest).toContain('![latency percentiles per variant](latest-latency.svg)');
    expect(JSON.parse(readFileSync(join(root, 'latest.json'), 'utf8')).startedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  describe('the grpc and live scenarios', () => {
    const withBoth = (foreign = 0) => ({
      ...report(),
      grpcSource: summariseGrpcSource(grpcSourceSettings(parseArgs([])), grpcRounds([[50, 45], [60, 60], [50, 60]], foreign), 'measured the gRPC way'),
      liveFanout: summariseLiveFanout(liveFanoutSettings(parseArgs([])), liveRounds([[2_200, 200], [3_200, 200]], foreign), 'measured the live way', { peakRssMb: 150 }),
    });

    it('get a section each, after the wrk scenarios, with CPU per call and per event and how it was measured', () => {
      const md = renderMarkdown(withBoth());
      expect(md.indexOf('## Pass-through')).toBeLessThan(md.indexOf('## A unary gRPC source against an HTTP source'));
      expect(md.indexOf('## A unary gRPC source against an HTTP source')).toBeLessThan(md.indexOf('## Live fan-out'));
      expect(md.indexOf('## Live fan-out')).toBeLessThan(md.indexOf('## Start-up'));
      expect(md).toContain('| source | CPU µs/call | x HTTP (CPU/call) | ms/call (start to answer) | rounds |');
      // Fixture: ms per call = CPU µs per call / 50.
      expect(md).toContain('| **HTTP/1.1: catalog sim, availability route (JSON)** (baseline) | 50.0 (50.0–60.0) | 1.000x | 1.00 (1.00–1.20) | 3 |');
      expect(md).toContain('| gRPC: inventory sim, GetAvailability (protobuf) | 60.0 (45.0–60.0) | 1.000x (0.900–1.200, 3 rounds) | 1.20 (0.90–1.20) | 3 |');
      expect(md).toContain('started 500 a second both ways');
      expect(md).not.toContain('answered far slower');
      expect(md).toContain('measured the gRPC way');
      expect(md).toContain('| clients | events/round | BFF CPU ms/event | idle CPU ms/round | frames/round | peak RSS MB | rounds |');
      expect(md).toContain('| 1000 | 200 | 12.50 (10.00–15.00) | 200 (200–200) | 200000 (200000–200000) | 150.0 | 2 |');
      expect(md).toContain('measured the live way');
      expect(md).not.toContain('the machine was not quiet');
    });

    it('say when gRPC calls waited far longer than HTTP ones', () => {
      const slow = { ...withBoth(), grpcSource: summariseGrpcSource(grpcSourceSettings(parseArgs([])), grpcRounds([[100, 400]]).map((r) => ({ ...r, grpcMsPerCall: 50 })), 'how') };
      expect(renderMarkdown(slow)).toContain("A gRPC call took 50.0 ms against HTTP's 2.0 ms: the inventory sim answered far slower than the catalog sim");
    });

    it('warn of a busy machine, say why a scenario could not be measured, and are left out when not run', () => {
      expect(renderMarkdown(withBoth(30))).toContain("Other processes used 30% of the gateway's CPU during these rounds (peak 30%): **the machine was not quiet");
      const failed = { ...withBoth(), liveFanout: summariseLiveFanout(liveFanoutSettings(parseArgs([])), [], 'how', { error: 'live-fanout exited 1:\nstack' }) };
      expect(renderMarkdown(failed)).toContain('Could not measure: live-fanout exited 1:');
      const timedOut = { ...withBoth(), grpcSource: summariseGrpcSource(grpcSourceSettings(parseArgs([])), grpcRounds([[50, 45], [50, 60, 3]]), 'how') };
      expect(renderMarkdown(timedOut)).toContain('Left out: round 2: 0 HTTP and 3 gRPC calls of 2500 failed (upstream inventory did not answer in time).');
      const md = renderMarkdown(report());
      expect(md).not.toContain('## Live fan-out');
      expect(md).not.toContain('gRPC source');
    });

    it('are in report.json, and not in the req/s chart (the bench sets both paces: there is no rate to compare)', () => {
      const root = mkdtempSync(join(tmpdir(), 'bench-report-'));
      const { json, charts } = writeReport(join(root, 'run'), withBoth(), root);
      const written = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
      expect(written.grpcSource?.grpcOverHttp.median).toBe(1);
      expect(written.liveFanout?.cpuMsPerEvent.median).toBe(12.5);
      expect(readFileSync(charts[0], 'utf8')).toBe(rpsChart(report().scenarios));
    });
  });
});
