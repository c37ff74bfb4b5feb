import type { ProfileSummary } from './cpuprofile';
import type { Spread } from './stats';
import type { WrkResult } from './wrk-output';

/** One wrk run of one variant in one round, with what the processes used meanwhile. */
export interface RunSample {
  round: number;
  /** Warm-up runs are kept in the JSON but left out of every figure. */
  warmup: boolean;
  wrk: WrkResult;
  /** CPU time of the process under test (its whole tree) per completed request, microseconds. */
  cpuUsPerRequest: number;
  /** CPU time of the upstream stub per gateway request, microseconds. */
  upstreamCpuUsPerRequest: number;
  /** Requests the upstream saw per gateway request (fan-out, coalescing, caching show here). */
  upstreamCallsPerRequest: number;
  /** Bytes the process under test logged per request (access logs). */
  logBytesPerRequest?: number;
  /** Redis commands the gateway sent per request (its round trips, at most; the Redis limiter's). */
  redisCommandsPerRequest?: number;
  /** Commands its Lua scripts ran inside Redis per request: Redis counts them as commands too. */
  redisScriptCommandsPerRequest?: number;
  /**
   * Busy share (%) of the gateway's CPU used by anything but the process under
   * test during the run: other people's work on a shared machine.
   */
  foreignPercentOnGatewayCpu?: number;
}

export interface VariantReport {
  id: string;
  label: string;
  /** What serves it and how it is configured, in a sentence. */
  description: string;
  url: string;
  /** Id of the process that served it (variants of one process share its peak RSS). */
  server?: string;
  samples: RunSample[];
  /** False when any measured round had an error: its figures are then not used for targets. */
  valid: boolean;
  invalidReasons: string[];
  rps: Spread;
  p50Ms: Spread;
  p90Ms: Spread;
  p99Ms: Spread;
  cpuUsPerRequest: Spread;
  /** Busy share of one core, %: the process under test, and the upstream sim (which shares its core with wrk). */
  cpuPercent: Spread;
  upstreamCpuPercent: Spread;
  upstreamCallsPerRequest: Spread;
  foreignPercentOnGatewayCpu: Spread;
  logBytesPerRequest?: Spread;
  redisCommandsPerRequest?: Spread;
  redisScriptCommandsPerRequest?: Spread;
  /** VmHWM of the process under test at the end of the scenario, MiB. */
  peakRssMb?: number;
  /** Ratio of rps to the scenario's baseline, round by round. */
  ratioToBaseline?: Spread;
  /** Ratio of p99 latency to the baseline's, round by round. */
  p99RatioToBaseline?: Spread;
  notes: string[];
}

export interface ScenarioReport {
  id: string;
  title: string;
  /** The variant every ratio in this scenario is taken against. */
  baselineId: string;
  variants: VariantReport[];
  notes: string[];
}

export interface StartupReport {
  app: string;
  samples: { readyMs: number; idleRssMb: number }[];
  readyMs: Spread;
  idleRssMb: Spread;
  /** Why a start failed, if one did. */
  error?: string;
}

export type TargetStatus = 'met' | 'not met' | 'not measured';

export interface TargetResult {
  id: string;
  description: string;
  status: TargetStatus;
  /** The measured figure, with its spread, in words. */
  measured: string;
  threshold: string;
  detail?: string;
}

export interface ProfileReport {
  id: string;
  title: string;
  /** Why it was taken (the target it explains). */
  reason: string;
  file?: string;
  summary?: ProfileSummary;
  error?: string;
}

/** One round of the gRPC-source scenario: the same plan over HTTP and over gRPC, in the order the round ran them. */
export interface GrpcSourceRound {
  round: number;
  order: ('http' | 'grpc')[];
  /** CPU time (user + system) of the process running the kernel, per call, microseconds. */
  httpCpuUsPerCall: number;
  grpcCpuUsPerCall: number;
  /** gRPC over HTTP, within this round. */
  ratio: number;
  /** Mean time from a call's start to its answer, ms. */
  httpMsPerCall: number;
  grpcMsPerCall: number;
  /** Busy share (%) of the gateway's CPU used by other processes during the round. */
  foreignPercentOnGatewayCpu: number;
  /** Calls that failed (a timeout on a busy machine): a round with any is left out of the figures. */
  httpErrors: number;
  grpcErrors: number;
  /** The first failure's message, if any. */
  firstError?: string;
}

export interface GrpcSourceReport {
  callsPerRound: number;
  /** The fixed pace both transports were called at. */
  callsPerSecond: number;
  rounds: GrpcSourceRound[];
  httpCpuUsPerCall: Spread;
  grpcCpuUsPerCall: Spread;
  /** The figure the target judges: the per-round ratios' spread. */
  grpcOverHttp: Spread;
  httpMsPerCall: Spread;
  grpcMsPerCall: Spread;
  foreignPercentOnGatewayCpu: Spread;
  /** Rounds left out of the figures, and why. */
  invalidRounds: string[];
  /** How it was measured, in a paragraph. */
  method: string;
  /** Why it could not be measured, if it could not. */
  error?: string;
}

/** One round of the live fan-out scenario: `events` order changes, each to every client. */
export interface LiveFanoutRound {
  round: number;
  events: number;
  /** BFF CPU time (its process tree) over the round's events, and over the same span idle just before, ms. */
  cpuMs: number;
  idleCpuMs: number;
  /** (cpuMs - idleCpuMs) / events. */
  cpuMsPerEvent: number;
  /** Frames the clients received, of events x clients. */
  frames: number;
  foreignPercentOnGatewayCpu: number;
}

export interface LiveFanoutReport {
  clients: number;
  eventsPerRound: number;
  eventSpacingMs: number;
  rounds: LiveFanoutRound[];
  /** The figure the target judges. */
  cpuMsPerEvent: Spread;
  idleCpuMsPerRound: Spread;
  foreignPercentOnGatewayCpu: Spread;
  /** VmHWM of the BFF after the rounds, MiB. */
  peakRssMb?: number;
  method: string;
  error?: string;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  durationS: number;
  quick: boolean;
  machine: { cpus: number; model: string; memoryGb: number; node: string; wrk: string; nginx: string; kernel: string; loadAverageAtStart: number[] };
  settings: {
    rounds: number;
    warmupRounds: number;
    secondsPerRun: number;
    warmupSeconds: number;
    connections: number;
    wrkThreads: number;
    pinning: string;
  };
  /** What the gateway under test turned out to have (found by probing, not assumed). */
  features: Record<string, string>;
  scenarios: ScenarioReport[];
  startup: StartupReport[];
  /** The `grpc` scenario, when run. */
  grpcSource?: GrpcSourceReport;
  /** The `live` scenario, when run. */
  liveFanout?: LiveFanoutReport;
  targets: TargetResult[];
  profiles: ProfileReport[];
  /** Things that could not be measured, or were measured differently than asked, and why. */
  notes: string[];
}
