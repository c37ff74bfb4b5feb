import type { RunSample, ScenarioReport, VariantReport } from './model';
import { roundRatios, spread, type RoundValue, type Spread } from './stats';

/** The figures of one variant from its runs; warm-up runs and invalid runs never count. */
export function summariseVariant(
  base: Pick<VariantReport, 'id' | 'label' | 'description' | 'url'> & { server?: string; notes?: string[]; peakRssMb?: number },
  samples: RunSample[],
): VariantReport {
  const measured = samples.filter((s) => !s.warmup);
  const good = measured.filter((s) => s.wrk.valid);
  const invalidReasons = measured.filter((s) => !s.wrk.valid).map((s) => `round ${s.round}: ${s.wrk.invalidReason}`);
  const of = (pick: (s: RunSample) => number | undefined): Spread => spread(good.map(pick).filter((v): v is number => v !== undefined));
  const optional = (pick: (s: RunSample) => number | undefined) => (good.some((s) => pick(s) !== undefined) ? of(pick) : undefined);
  return {
    ...base,
    notes: base.notes ?? [],
    samples,
    valid: measured.length > 0 && invalidReasons.length === 0,
    invalidReasons: measured.length === 0 ? ['no measured rounds'] : invalidReasons,
    rps: of((s) => s.wrk.rps),
    p50Ms: of((s) => s.wrk.latencyUs.p50 / 1000),
    p90Ms: of((s) => s.wrk.latencyUs.p90 / 1000),
    p99Ms: of((s) => s.wrk.latencyUs.p99 / 1000),
    cpuUsPerRequest: of((s) => s.cpuUsPerRequest),
    cpuPercent: of((s) => (s.cpuUsPerRequest * s.wrk.rps) / 1e4),
    upstreamCpuPercent: of((s) => (s.upstreamCpuUsPerRequest * s.wrk.rps) / 1e4),
    upstreamCallsPerRequest: of((s) => s.upstreamCallsPerRequest),
    foreignPercentOnGatewayCpu: of((s) => s.foreignPercentOnGatewayCpu),
    logBytesPerRequest: optional((s) => s.logBytesPerRequest),
    redisCommandsPerRequest: optional((s) => s.redisCommandsPerRequest),
    redisScriptCommandsPerRequest: optional((s) => s.redisScriptCommandsPerRequest),
  };
}

const rpsOf = (v: VariantReport): RoundValue[] =>
  v.samples.filter((s) => !s.warmup).map((s) => ({ round: s.round, value: s.wrk.rps, valid: s.wrk.valid }));
const p99Of = (v: VariantReport): RoundValue[] =>
  v.samples.filter((s) => !s.warmup).map((s) => ({ round: s.round, value: s.wrk.latencyUs.p99, valid: s.wrk.valid }));

/** Per-round rps and p99 ratios of `a` to `b`. */
export function compareVariants(a: VariantReport, b: VariantReport): { rps: Spread; p99: Spread } {
  return { rps: roundRatios(rpsOf(a), rpsOf(b)).spread, p99: roundRatios(p99Of(a), p99Of(b)).spread };
}

/**
 * Fills each variant's ratios to the scenario's baseline, and notes a variant
 * that asked its upstreams for much less or more per request than the
 * baseline did (coalescing, caching, retries): the ratio then compares
 * different work.
 */
export function withBaselineRatios(scenario: ScenarioReport): ScenarioReport {
  const baseline = scenario.variants.find((v) => v.id === scenario.baselineId);
  if (!baseline) return scenario;
  const baseCalls = baseline.upstreamCallsPerRequest.median;
  return {
    ...scenario,
    variants: scenario.variants.map((v) => {
      const { rps, p99 } = compareVariants(v, baseline);
      const calls = v.upstreamCallsPerRequest.median;
      const differs = baseCalls > 0 && Number.isFinite(calls) && Math.abs(calls - baseCalls) / baseCalls > 0.2;
      const notes = differs
        ? [...v.notes, `${calls.toFixed(2)} upstream calls per request against the baseline's ${baseCalls.toFixed(2)}: not the same upstream work`]
        : v.notes;
      return { ...v, ratioToBaseline: rps, p99RatioToBaseline: p99, notes };
    }),
  };
}
