import type { GrpcSourceRound, LiveFanoutRound, RunSample } from './model';
import { liveRound } from './live-fanout';
import type { WrkResult } from './wrk-output';

/** A wrk result with the given throughput and p99 (ms); valid unless an error count is given. */
export function wrkResult(rps: number, p99Ms: number, non2xx = 0): WrkResult {
  return {
    requests: rps * 5,
    durationS: 5,
    rps,
    bytes: rps * 5 * 600,
    latencyUs: { mean: p99Ms * 300, max: p99Ms * 2000, p50: p99Ms * 250, p75: p99Ms * 400, p90: p99Ms * 600, p99: p99Ms * 1000 },
    non2xx,
    socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
    valid: non2xx === 0,
    invalidReason: non2xx ? `${non2xx} non-2xx answers` : undefined,
  };
}

/** Samples for a warm-up round (0) and measured rounds 1..n, one [rps, p99Ms, non2xx?] per round. */
export function samples(warmup: [number, number], rounds: Array<[number, number, number?]>): RunSample[] {
  const sample = (round: number, [rps, p99, errors]: [number, number, number?]): RunSample => ({
    round,
    warmup: round === 0,
    wrk: wrkResult(rps, p99, errors ?? 0),
    cpuUsPerRequest: 1e6 / rps,
    upstreamCpuUsPerRequest: 20,
    upstreamCallsPerRequest: 1,
  });
  return [sample(0, warmup), ...rounds.map((r, i) => sample(i + 1, r))];
}

/** gRPC-source rounds, one [HTTP µs/call, gRPC µs/call] per round, the order alternating as the worker runs them. */
export function grpcRounds(rounds: Array<[number, number, number?]>, foreignPercent = 0): GrpcSourceRound[] {
  return rounds.map(([http, grpc, grpcErrors = 0], i) => ({
    round: i + 1,
    order: i % 2 === 0 ? ['http', 'grpc'] : ['grpc', 'http'],
    httpCpuUsPerCall: http,
    grpcCpuUsPerCall: grpc,
    ratio: grpc / http,
    httpMsPerCall: http / 50,
    grpcMsPerCall: grpc / 50,
    foreignPercentOnGatewayCpu: foreignPercent,
    httpErrors: 0,
    grpcErrors,
    firstError: grpcErrors ? 'upstream inventory did not answer in time' : undefined,
  }));
}

/** Live fan-out rounds of 200 events to 1,000 clients, one [busy CPU ms, idle CPU ms] per round. */
export function liveRounds(rounds: Array<[number, number]>, foreignPercent = 0): LiveFanoutRound[] {
  return rounds.map(([cpuMs, idleCpuMs], i) => liveRound(i + 1, 200, { cpuMs, idleCpuMs }, 200_000, foreignPercent));
}
