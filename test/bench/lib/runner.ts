import { simControl } from '../../src/support/sims';
import type { BenchOptions } from './args';
import type { RunSample, ScenarioReport } from './model';
import { busyPercent, CLK_TCK, cpuMsOfTree, memoryOfTree, readCpuTimes } from './proc-stats';
import { redisCommandCalls, redisCostPerRequest } from './redis-info';
import type { ScenarioSpec, VariantSpec } from './scenarios';
import type { Stack } from './stack';
import { rotate } from './stats';
import { summariseVariant, withBaselineRatios } from './summarise';
import { runWrk } from './wrk';

export interface RunContext {
  stack: Stack;
  options: BenchOptions;
  log: (line: string) => void;
  /** Epoch ms past which the bench stops. */
  deadline: number;
  /**
   * How far each rotation file has been used, so the next run goes on from
   * there: a token seen in an earlier run must not come back before the
   * cache has forgotten it.
   */
  rotation: Map<string, number>;
  /**
   * Command names the probe saw the gateway send to Redis (MONITOR): the rest
   * of what Redis counts ran inside its Lua scripts. Unknown: all count as sent.
   */
  redisCommandsSent?: readonly string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sims a gateway request may reach (the product page asks all three; inventory over gRPC). */
const loadedSims = (stack: Stack) => [stack.sims!.urls.catalog, stack.sims!.urls.reviews, stack.sims!.urls.inventory];

/** Requests (and gRPC calls) the loaded sims have seen so far. */
async function upstreamCalls(stack: Stack): Promise<number> {
  try {
    const stats = await Promise.all(loadedSims(stack).map((url) => simControl(url).stats()));
    return stats.reduce((sum, s) => sum + s.total, 0);
  } catch (error) {
    stack.assertSimsRunning();
    throw new Error(`reading the sims' request counts failed: ${(error as Error).message} (${String((error as Error).cause ?? '')})`);
  }
}

/** One wrk run of one variant, with the CPU, upstream calls, log bytes and Redis commands it cost. */
export async function measureVariant(variant: VariantSpec, round: number, warmup: boolean, ctx: RunContext): Promise<RunSample> {
  const { stack, options } = ctx;
  const server = variant.server;
  const redisPort = variant.redis ? stack.redisPort : undefined;
  const snapshot = async () => ({
    cpus: readCpuTimes(),
    cpu: cpuMsOfTree(server.pid),
    simCpu: cpuMsOfTree(stack.simPid),
    calls: await upstreamCalls(stack),
    log: server.proc?.logBytes(),
    redis: redisPort ? await redisCommandCalls(redisPort) : undefined,
  });
  const file = variant.tokenFile ?? variant.pathFile;
  const before = await snapshot();
  const { result } = await runWrk({
    url: `${server.url}${variant.path}`,
    seconds: warmup ? options.warmupSeconds : options.secondsPerRun,
    connections: options.connections,
    cpu: options.loadCpu,
    headers: variant.headers,
    tokenFile: variant.tokenFile,
    pathFile: variant.pathFile,
    rotateFrom: file ? ctx.rotation.get(file) ?? 0 : undefined,
  });
  // Requests still in flight when wrk stopped took their entries too: skip past them.
  if (file) ctx.rotation.set(file, (ctx.rotation.get(file) ?? 0) + result.requests + options.connections);
  const after = await snapshot();
  const n = Math.max(result.requests, 1);
  const redis = before.redis && after.redis ? redisCostPerRequest(before.redis, after.redis, n, ctx.redisCommandsSent) : undefined;
  const gatewayTicks = (after.cpus.get(options.gatewayCpu)?.total ?? 0) - (before.cpus.get(options.gatewayCpu)?.total ?? 0);
  const elapsedMs = (gatewayTicks * 1000) / CLK_TCK;
  // The direct variant's server is the sim, on the load CPU: nothing of ours is on the gateway CPU then.
  const ownOnGatewayCpu = server.pid === stack.simPid || elapsedMs <= 0 ? 0 : (100 * (after.cpu - before.cpu)) / elapsedMs;
  return {
    round,
    warmup,
    wrk: result,
    cpuUsPerRequest: ((after.cpu - before.cpu) * 1000) / n,
    upstreamCpuUsPerRequest: ((after.simCpu - before.simCpu) * 1000) / n,
    upstreamCallsPerRequest: (after.calls - before.calls) / n,
    logBytesPerRequest: before.log === undefined || after.log === undefined ? undefined : (after.log - before.log) / n,
    redisCommandsPerRequest: redis?.sent,
    redisScriptCommandsPerRequest: redis?.scripted,
    foreignPercentOnGatewayCpu: Math.max(0, busyPercent(before.cpus, after.cpus, options.gatewayCpu) - ownOnGatewayCpu),
  };
}

/**
 * Runs a scenario's variants interleaved: a warm-up round, then each measured
 * round runs every variant once, starting one variant later than the round
 * before, so no variant always runs first or after the same neighbour.
 */
export async function runScenario(spec: ScenarioSpec, ctx: RunContext): Promise<ScenarioReport> {
  const { stack, options, log } = ctx;
  const faulted = spec.upstreamLatencyMs ? loadedSims(stack) : [];
  for (const url of faulted) await simControl(url).setFaults({ latencyMs: spec.upstreamLatencyMs });
  const samples = new Map<string, RunSample[]>(spec.variants.map((v) => [v.id, []]));
  const totalRounds = options.warmupRounds + options.rounds;
  try {
    for (let r = 0; r < totalRounds; r++) {
      const warmup = r < options.warmupRounds;
      const round = warmup ? 0 : r - options.warmupRounds + 1;
      for (const variant of rotate(spec.variants, r)) {
        if (Date.now() > ctx.deadline) throw new Error(`the bench ran past --max-minutes ${options.maxMinutes}; stopping`);
        stack.assertSimsRunning();
        if (variant.server.proc && !variant.server.proc.running) {
          throw new Error(`${variant.server.id} exited during the bench:\n${variant.server.proc.tail()}`);
        }
        const sample = await measureVariant(variant, round, warmup, ctx);
        samples.get(variant.id)!.push(sample);
        const w = sample.wrk;
        log(
          `${spec.id} ${warmup ? 'warm-up' : `round ${round}/${options.rounds}`} ${variant.id}: ${w.rps.toFixed(0)} req/s, ` +
            `p50 ${(w.latencyUs.p50 / 1000).toFixed(2)} ms, p99 ${(w.latencyUs.p99 / 1000).toFixed(2)} ms, ` +
            `${sample.cpuUsPerRequest.toFixed(0)} µs CPU/req${w.valid ? '' : ` INVALID (${w.invalidReason})`}`,
        );
        await sleep(250);
      }
    }
  } finally {
    for (const url of faulted) await simControl(url).clearFaults().catch(() => undefined);
  }
  return withBaselineRatios({
    id: spec.id,
    title: spec.title,
    baselineId: spec.baselineId,
    notes: spec.notes,
    variants: spec.variants.map((v) =>
      summariseVariant(
        {
          id: v.id,
          label: v.label,
          description: v.description,
          url: v.pathFile ? `${v.path} (rotating)` : v.path,
          server: v.server.id,
          notes: v.notes,
          peakRssMb: memoryOfTree(v.server.pid).hwmMb,
        },
        samples.get(v.id)!,
      ),
    ),
  });
}
