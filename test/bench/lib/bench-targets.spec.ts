import { grpcRounds, liveRounds } from './bench-fixtures';
import { figureTargets, ratioTargets, TARGETS, valueTargets } from './bench-targets';
import { grpcSourceSettings, summariseGrpcSource } from './grpc-source';
import { liveFanoutSettings, summariseLiveFanout } from './live-fanout';
import { parseArgs } from './args';
import { aggregationScenario, authScenario, proxyScenario } from './scenarios';
import type { Server } from './stack';

// Servers are only referenced by the specs, never contacted here.
const server = (id: string): Server => ({ id, url: `http://127.0.0.1/${id}`, pid: -1 });
const servers = Object.fromEntries(['sim', 'nginx', 'reply-from', 'fanout', 'bff-bare', 'bff-limiter', 'bff-redis', 'bff-full'].map((id) => [id, server(id)]));
const specs = [proxyScenario(servers, 't'), authScenario(servers, 't', 'f', 2, 1), aggregationScenario(servers, 't', 0, 'p'), aggregationScenario(servers, 't', 20, 'p')];
const variantOf = (ref: { scenario: string; variant: string }) => specs.find((s) => s.id === ref.scenario)?.variants.find((v) => v.id === ref.variant);

describe('the targets the bench judges', () => {
  it('are the ones the issue sets', () => {
    expect(TARGETS).toEqual({
      proxyRps: 0.8,
      proxyP99: 1.5,
      proxyBareRps: 0.9,
      proxyRedisRps: 0.75,
      aggregation: 0.8,
      aggregation20ms: 0.95,
      redisLimiter: 0.9,
      redisCommandsPerRequest: 1.05,
      startupMs: 1_000,
      idleRssMb: 100,
      peakRssMb: 160,
      grpcSourceCpuRatio: 1.1,
      liveFanoutCpuMsPerEvent: 50,
      liveFanoutClients: 1_000,
    });
    const none = { blockers: {}, caveats: {} };
    expect(ratioTargets(none).map((t) => [t.id, t.a.variant, t.b.variant, t.bound, t.threshold])).toEqual([
      ['proxy-rps', 'bff-full', 'reply-from', 'min', 0.8],
      ['proxy-p99', 'bff-full', 'reply-from', 'max', 1.5],
      ['proxy-bare', 'bff-bare', 'reply-from', 'min', 0.9],
      ['proxy-redis', 'bff-redis-only', 'reply-from', 'min', 0.75],
      ['aggregation', 'bff-full', 'fanout', 'min', 0.8],
      ['aggregation-20ms', 'bff-full-20ms', 'fanout-20ms', 'min', 0.95],
      ['redis-limiter', 'bff-redis', 'bff-limiter', 'min', 0.9],
    ]);
    expect(valueTargets(none).map((t) => [t.id, t.bound, t.threshold])).toEqual([
      ['redis-commands', 'max', 1.05],
      ['peak-rss', 'below', 160],
    ]);
    expect(figureTargets().map((t) => [t.id, t.bound, t.threshold, t.unit])).toEqual([
      ['grpc-source', 'max', 1.1, 'x'],
      ['live-fanout', 'below', 50, 'ms'],
    ]);
    expect(figureTargets()[1].description).toContain('1,000 WebSocket clients');
  });

  it('compare variants the scenarios define, in the configuration the target names', () => {
    for (const t of ratioTargets({ blockers: {}, caveats: {} })) {
      expect([t.id, variantOf(t.a)?.id, variantOf(t.b)?.id]).toEqual([t.id, t.a.variant, t.b.variant]);
    }
    expect(variantOf({ scenario: 'proxy', variant: 'bff-full' })).toMatchObject({ server: { id: 'bff-full' }, headers: { authorization: 'Bearer t' } });
    expect(variantOf({ scenario: 'aggregation-20ms', variant: 'bff-full-20ms' })).toMatchObject({ server: { id: 'bff-full' }, headers: { authorization: 'Bearer t' } });
    expect(variantOf({ scenario: 'proxy', variant: 'bff-bare' })).toMatchObject({ server: { id: 'bff-bare' } });
    expect(variantOf({ scenario: 'proxy', variant: 'bff-bare' })?.headers).toBeUndefined();
    expect(variantOf({ scenario: 'proxy', variant: 'bff-redis-only' })).toMatchObject({ server: { id: 'bff-redis' }, redis: true });
    expect(variantOf({ scenario: 'proxy', variant: 'bff-redis-only' })?.headers).toBeUndefined();
    expect(variantOf({ scenario: 'proxy', variant: 'bff-redis' })).toMatchObject({ server: { id: 'bff-redis' }, redis: true });
    expect(variantOf({ scenario: 'proxy', variant: 'bff-limiter' })?.headers).toEqual(variantOf({ scenario: 'proxy', variant: 'bff-redis' })?.headers);
  });

  it('judge the gRPC source on its CPU ratio and the live fan-out on its CPU per event', () => {
    const [grpc, live] = figureTargets();
    const grpcSource = summariseGrpcSource(grpcSourceSettings(parseArgs([])), grpcRounds([[50, 52], [50, 54]]), 'how');
    const liveFanout = summariseLiveFanout(liveFanoutSettings(parseArgs([])), liveRounds([[2_200, 200]]), 'how');
    expect(grpc.figure({ grpcSource, liveFanout })?.value).toBe(grpcSource.grpcOverHttp);
    expect(live.figure({ grpcSource, liveFanout })?.value).toBe(liveFanout.cpuMsPerEvent);
    expect(grpc.figure({})).toBeUndefined();
    expect(grpc.figure({ grpcSource })?.note).toBeUndefined();
    const withFailure = summariseGrpcSource(grpcSourceSettings(parseArgs([])), grpcRounds([[50, 52], [50, 54, 1]]), 'how');
    expect(grpc.figure({ grpcSource: withFailure })).toMatchObject({ value: { n: 1 }, note: '1 round(s) with failed calls left out' });
    expect(live.figure({ liveFanout: { ...liveFanout, error: 'no clients' } })?.error).toBe('no clients');
  });

  it('carry what the probes found against them', () => {
    const findings = { blockers: { 'proxy-redis': ['no Redis'], 'redis-commands': ['no Redis'] }, caveats: { 'proxy-rps': ['no access log'] } };
    expect(ratioTargets(findings).find((t) => t.id === 'proxy-redis')?.blockers).toEqual(['no Redis']);
    expect(ratioTargets(findings).find((t) => t.id === 'proxy-rps')?.caveats).toEqual(['no access log']);
    expect(valueTargets(findings).find((t) => t.id === 'redis-commands')?.blockers).toEqual(['no Redis']);
  });
});
