import type { Findings } from './probes';
import { spread } from './stats';
import type { FigureTarget, RatioTarget, ValueTarget } from './targets';

/**
 * The targets the bench judges, in one place (test/bench/README.md lists
 * them). Ratios are to the scenario's hand-written baseline, taken round by
 * round; none of them ever fails the run.
 */
export const TARGETS = {
  /** Production settings (JWT + limiter + metrics + access logs) vs Fastify + reply-from. */
  proxyRps: 0.8,
  proxyP99: 1.5,
  proxyBareRps: 0.9,
  proxyRedisRps: 0.75,
  aggregation: 0.8,
  /** With slow upstreams the gateway's own cost matters less, so the bar is higher. */
  aggregation20ms: 0.95,
  redisLimiter: 0.9,
  redisCommandsPerRequest: 1.05,
  startupMs: 1_000,
  idleRssMb: 100,
  peakRssMb: 160,
  /** A gRPC source costs no more CPU per call than an HTTP one: a ratio of 1, with 10% for noise. */
  grpcSourceCpuRatio: 1.1,
  /** One event to 1,000 clients in under 50 ms of the BFF's CPU. */
  liveFanoutCpuMsPerEvent: 50,
  liveFanoutClients: 1_000,
};

type Extra = Pick<Findings, 'blockers' | 'caveats'>;
const extraFor = (findings: Extra) => (id: string) => ({ blockers: findings.blockers[id], caveats: findings.caveats[id] });

export function ratioTargets(findings: Extra): RatioTarget[] {
  const extra = extraFor(findings);
  const vsReplyFrom = (variant: string) => ({ a: { scenario: 'proxy', variant }, b: { scenario: 'proxy', variant: 'reply-from' } });
  return [
    {
      id: 'proxy-rps',
      description: 'Pass-through, production settings (JWT + limiter + metrics + access logs) vs Fastify + reply-from: req/s',
      measure: 'rps',
      ...vsReplyFrom('bff-full'),
      bound: 'min',
      threshold: TARGETS.proxyRps,
      ...extra('proxy-rps'),
    },
    {
      id: 'proxy-p99',
      description: 'Same, p99 latency',
      measure: 'p99',
      ...vsReplyFrom('bff-full'),
      bound: 'max',
      threshold: TARGETS.proxyP99,
      ...extra('proxy-p99'),
    },
    {
      id: 'proxy-bare',
      description: 'Pass-through, bare BFF (no token, limiter off, warn logs) vs Fastify + reply-from: req/s',
      measure: 'rps',
      ...vsReplyFrom('bff-bare'),
      bound: 'min',
      threshold: TARGETS.proxyBareRps,
      ...extra('proxy-bare'),
    },
    {
      id: 'proxy-redis',
      description: 'Pass-through with the Redis limiter (no token) vs Fastify + reply-from: req/s',
      measure: 'rps',
      ...vsReplyFrom('bff-redis-only'),
      bound: 'min',
      threshold: TARGETS.proxyRedisRps,
      ...extra('proxy-redis'),
    },
    {
      id: 'aggregation',
      description: 'Product page (aggregation), production settings vs hand-written fan-out, upstreams +0 ms: req/s',
      measure: 'rps',
      a: { scenario: 'aggregation', variant: 'bff-full' },
      b: { scenario: 'aggregation', variant: 'fanout' },
      bound: 'min',
      threshold: TARGETS.aggregation,
      ...extra('aggregation'),
    },
    {
      id: 'aggregation-20ms',
      description: 'Same, upstreams +20 ms',
      measure: 'rps',
      a: { scenario: 'aggregation-20ms', variant: 'bff-full-20ms' },
      b: { scenario: 'aggregation-20ms', variant: 'fanout-20ms' },
      bound: 'min',
      threshold: TARGETS.aggregation20ms,
      ...extra('aggregation'),
    },
    {
      id: 'redis-limiter',
      description: 'Redis limiter vs in-memory limiter (both with JWT): req/s',
      measure: 'rps',
      a: { scenario: 'proxy', variant: 'bff-redis' },
      b: { scenario: 'proxy', variant: 'bff-limiter' },
      bound: 'min',
      threshold: TARGETS.redisLimiter,
      ...extra('redis-limiter'),
    },
  ];
}

export function valueTargets(findings: Extra): ValueTarget[] {
  const extra = extraFor(findings);
  return [
    {
      id: 'redis-commands',
      description: 'Redis commands per request, Redis limiter (each variant served by it)',
      subject: (v, s) => (s.id === 'proxy' && v.server === 'bff-redis' ? v.id : undefined),
      figure: (v) => v.redisCommandsPerRequest,
      bound: 'max',
      threshold: TARGETS.redisCommandsPerRequest,
      unit: 'commands/request',
      digits: 2,
      ...extra('redis-commands'),
    },
    {
      id: 'peak-rss',
      description: "Peak RSS (VmHWM) of each BFF process under the bench's load",
      // Every bench process is named after what it runs; the BFFs are bff-<config>.
      subject: (v) => (v.server?.startsWith('bff-') ? v.server : undefined),
      // 0 or NaN: the process was gone when it was read.
      figure: (v) => (v.peakRssMb !== undefined && v.peakRssMb > 0 ? spread([v.peakRssMb]) : undefined),
      bound: 'below',
      threshold: TARGETS.peakRssMb,
      unit: 'MB',
      digits: 1,
      ...extra('peak-rss'),
    },
  ];
}

export function figureTargets(): FigureTarget[] {
  return [
    {
      id: 'grpc-source',
      description: 'A unary gRPC source vs an HTTP source, one-source plan in the kernel: CPU per call, gRPC / HTTP',
      figure: (r) =>
        r.grpcSource && {
          value: r.grpcSource.grpcOverHttp,
          error: r.grpcSource.error,
          note: r.grpcSource.invalidRounds.length ? `${r.grpcSource.invalidRounds.length} round(s) with failed calls left out` : undefined,
        },
      bound: 'max',
      threshold: TARGETS.grpcSourceCpuRatio,
      unit: 'x',
      digits: 3,
    },
    {
      id: 'live-fanout',
      description: `One order status change to ${TARGETS.liveFanoutClients.toLocaleString('en')} WebSocket clients: mobile-bff CPU per event`,
      figure: (r) => r.liveFanout && { value: r.liveFanout.cpuMsPerEvent, error: r.liveFanout.error },
      bound: 'below',
      threshold: TARGETS.liveFanoutCpuMsPerEvent,
      unit: 'ms',
      digits: 2,
    },
  ];
}
