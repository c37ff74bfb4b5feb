import type { BenchOptions } from './args';
import type { GrpcSourceReport, GrpcSourceRound } from './model';
import type { Stack } from './stack';
import { spread } from './stats';
import { runWorker } from './worker-process';

export interface GrpcSourceSettings {
  calls: number;
  /** The pace calls start at, the same for both transports: well under what either sim answers on a busy machine. */
  callsPerSecond: number;
  rounds: number;
}

/** What the measuring process (grpc-source.worker.ts) is given. */
export interface GrpcWorkerSettings extends GrpcSourceSettings {
  catalogUrl: string;
  inventoryUrl: string;
  gatewayCpu: number;
  resultFile: string;
}

/** Calls per round at 500 a second: 5 s each way (1 s under --quick), the bench's --rounds many rounds. */
export function grpcSourceSettings(options: Pick<BenchOptions, 'quick' | 'rounds'>): GrpcSourceSettings {
  return { calls: options.quick ? 500 : 2_500, callsPerSecond: 500, rounds: options.rounds };
}

export function grpcSourceMethod(settings: GrpcSourceSettings, cpus: { gateway: number; load: number }): string {
  return (
    `The kernel (UpstreamRegistry + Aggregator, the upstream stages as shipped less cache and coalescing) in a process of its own on CPU ${cpus.gateway}, ` +
    `the sims in theirs on CPU ${cpus.load}. Each round runs a one-source plan ${settings.calls} times, started ${settings.callsPerSecond} a second, each inside a request ` +
    'context (id, trace, caller, deadline), once against the catalog sim\'s availability route over HTTP/1.1 (undici pool, JSON parsed) and once against ' +
    'the inventory sim\'s GetAvailability over gRPC (one HTTP/2 connection, protobuf decoded): the same answer both ways, the order alternating per round, after ' +
    'one warm-up run of each. CPU is that process\'s user + system time (process.cpuUsage) over the run, divided by the calls; the gRPC/HTTP ratio ' +
    'is taken within each round and its median is the figure. Both transports are called at the same pace rather than as fast as they answer, ' +
    'so neither shares the process\'s wake-ups among more calls than the other. No req/s chart bar: the pace is the bench\'s, so there is no rate to compare.'
  );
}

/** The scenario's figures from its rounds; a round with a failed call counts in none of them. */
export function summariseGrpcSource(settings: GrpcSourceSettings, rounds: GrpcSourceRound[], method: string, error?: string): GrpcSourceReport {
  const valid = rounds.filter((r) => r.httpErrors === 0 && r.grpcErrors === 0);
  const of = (pick: (r: GrpcSourceRound) => number) => spread(valid.map(pick));
  const invalidRounds = rounds
    .filter((r) => !valid.includes(r))
    .map((r) => `round ${r.round}: ${r.httpErrors} HTTP and ${r.grpcErrors} gRPC calls of ${settings.calls} failed${r.firstError ? ` (${r.firstError})` : ''}`);
  return {
    callsPerRound: settings.calls,
    callsPerSecond: settings.callsPerSecond,
    rounds,
    httpCpuUsPerCall: of((r) => r.httpCpuUsPerCall),
    grpcCpuUsPerCall: of((r) => r.grpcCpuUsPerCall),
    grpcOverHttp: of((r) => r.ratio),
    httpMsPerCall: of((r) => r.httpMsPerCall),
    grpcMsPerCall: of((r) => r.grpcMsPerCall),
    foreignPercentOnGatewayCpu: of((r) => r.foreignPercentOnGatewayCpu),
    invalidRounds,
    method,
    error: error ?? (rounds.length && !valid.length ? 'every round had failed calls' : undefined),
  };
}

/** The `grpc` scenario: a unary gRPC source against an HTTP source, the kernel's CPU per call. */
export async function runGrpcSource(stack: Stack, options: BenchOptions, log: (line: string) => void, deadline: number): Promise<GrpcSourceReport> {
  const settings = grpcSourceSettings(options);
  const method = grpcSourceMethod(settings, stack.cpus);
  const urls = stack.sims!.urls;
  const worker: Omit<GrpcWorkerSettings, 'resultFile'> = { catalogUrl: urls.catalog, inventoryUrl: urls.inventory, gatewayCpu: stack.cpus.gateway, ...settings };
  try {
    const rounds = await runWorker<GrpcSourceRound[]>(stack, {
      name: 'grpc-source',
      script: 'grpc-source.worker.ts',
      settings: worker,
      cpu: stack.cpus.gateway,
      timeoutMs: Math.max(30_000, deadline - Date.now()),
    });
    for (const r of rounds) {
      const failed = r.httpErrors + r.grpcErrors ? ` INVALID (${r.httpErrors} HTTP, ${r.grpcErrors} gRPC calls failed: ${r.firstError})` : '';
      log(`grpc round ${r.round}/${settings.rounds} (${r.order.join(' then ')}): HTTP ${r.httpCpuUsPerCall.toFixed(1)} µs/call, gRPC ${r.grpcCpuUsPerCall.toFixed(1)} µs/call, gRPC/HTTP ${r.ratio.toFixed(3)}${failed}`);
    }
    return summariseGrpcSource(settings, rounds, method);
  } catch (error) {
    log(`grpc: ${(error as Error).message}`);
    return summariseGrpcSource(settings, [], method, (error as Error).message);
  }
}
