import type { BenchReport, ScenarioReport, StartupReport, TargetResult, VariantReport } from './model';
import type { Spread } from './stats';
import { compareVariants } from './summarise';

/** A target on the ratio of two variants' round-by-round figures, judged on the median. */
export interface RatioTarget {
  id: string;
  description: string;
  /** `rps`: a's throughput over b's; `p99`: a's p99 latency over b's. */
  measure: 'rps' | 'p99';
  a: { scenario: string; variant: string };
  b: { scenario: string; variant: string };
  /** `min`: the ratio must be at least `threshold`; `max`: at most. */
  bound: 'min' | 'max';
  threshold: number;
  /** Reasons the comparison would mean nothing (a stage missing from the build), if any. */
  blockers?: string[];
  /** Things the reader should know that do not void the figure (a stage missing from the configuration measured). */
  caveats?: string[];
}

export const fmtRatio = (s: Spread) =>
  s.n === 0 ? 'n/a' : `${s.median.toFixed(2)}x (${s.min.toFixed(2)}–${s.max.toFixed(2)}, ${s.n} round${s.n === 1 ? '' : 's'})`;

export function evaluateRatioTarget(target: RatioTarget, scenarios: ScenarioReport[]): TargetResult {
  const threshold = `${target.bound === 'min' ? '≥' : '≤'} ${target.threshold}x`;
  const base = { id: target.id, description: target.description, threshold };
  const find = (ref: { scenario: string; variant: string }): VariantReport | undefined =>
    scenarios.find((s) => s.id === ref.scenario)?.variants.find((v) => v.id === ref.variant);
  const a = find(target.a);
  const b = find(target.b);
  if (!a || !b) {
    return { ...base, status: 'not measured', measured: 'n/a', detail: `not run (scenario not selected, or its server did not start): ${[!a && target.a.variant, !b && target.b.variant].filter(Boolean).join(', ')}` };
  }
  const invalid = [a, b].filter((v) => !v.valid);
  if (invalid.length) {
    return {
      ...base,
      status: 'not measured',
      measured: 'n/a',
      detail: invalid.map((v) => `${v.label} invalid: ${v.invalidReasons.slice(0, 2).join('; ')}`).join(' / '),
    };
  }
  const ratio = compareVariants(a, b)[target.measure];
  const measured = fmtRatio(ratio);
  if (ratio.n === 0) return { ...base, status: 'not measured', measured, detail: 'no round where both ran without errors' };
  if (target.blockers?.length) return { ...base, status: 'not measured', measured, detail: target.blockers.join('; ') };
  const met = target.bound === 'min' ? ratio.median >= target.threshold : ratio.median <= target.threshold;
  return { ...base, status: met ? 'met' : 'not met', measured, detail: target.caveats?.length ? target.caveats.join('; ') : undefined };
}

/**
 * A target on one figure of some variants (Redis commands per request, peak
 * RSS), each subject judged on its own median. Variants given one subject
 * name are one figure, their highest: the variants a process served share its
 * peak RSS.
 */
export interface ValueTarget {
  id: string;
  description: string;
  /** The name a variant is judged under, or undefined to leave it out. */
  subject: (variant: VariantReport, scenario: ScenarioReport) => string | undefined;
  /** The figure, or undefined when this variant did not measure it. */
  figure: (variant: VariantReport) => Spread | undefined;
  /** `max`: at most `threshold`; `below`: less than it. */
  bound: 'max' | 'below';
  threshold: number;
  unit: string;
  digits: number;
  blockers?: string[];
  caveats?: string[];
}

export function evaluateValueTarget(target: ValueTarget, scenarios: ScenarioReport[]): TargetResult {
  const threshold = `${target.bound === 'max' ? '≤' : '<'} ${target.threshold} ${target.unit}`;
  const base = { id: target.id, description: target.description, threshold };
  const subjects = new Map<string, { figure?: Spread; invalid: string[] }>();
  for (const scenario of scenarios) {
    for (const variant of scenario.variants) {
      const name = target.subject(variant, scenario);
      if (name === undefined) continue;
      const entry = subjects.get(name) ?? { invalid: [] };
      subjects.set(name, entry);
      const figure = variant.valid ? target.figure(variant) : undefined;
      if (!variant.valid) entry.invalid.push(variant.id);
      else if (figure && figure.n > 0 && !(entry.figure && entry.figure.median >= figure.median)) entry.figure = figure;
    }
  }
  if (subjects.size === 0) return { ...base, status: 'not measured', measured: 'n/a', detail: 'not run (scenario not selected, or its server did not start)' };
  const fmt = (s: Spread) => `${s.median.toFixed(target.digits)}${s.n > 1 ? ` (${s.min.toFixed(target.digits)}–${s.max.toFixed(target.digits)})` : ''}`;
  const parts = [...subjects].map(([name, e]) => ({
    name,
    ok: e.figure ? (target.bound === 'max' ? e.figure.median <= target.threshold : e.figure.median < target.threshold) : undefined,
    text: e.figure ? `${name} ${fmt(e.figure)}` : `${name} n/a${e.invalid.length ? ` (invalid: ${e.invalid.join(', ')})` : ''}`,
  }));
  const measured = `${parts.map((p) => p.text).join('; ')} ${target.unit}`;
  if (target.blockers?.length) return { ...base, status: 'not measured', measured, detail: target.blockers.join('; ') };
  const over = parts.filter((p) => p.ok === false).map((p) => p.name);
  const missing = parts.filter((p) => p.ok === undefined).map((p) => p.name);
  const detail = [over.length ? `over: ${over.join(', ')}` : '', missing.length ? `not measured: ${missing.join(', ')}` : '', ...(target.caveats ?? [])].filter(Boolean).join('; ');
  // A miss is reported as a miss even when another subject could not be measured.
  const status = over.length ? 'not met' : missing.length ? 'not measured' : 'met';
  return { ...base, status, measured, detail: detail || undefined };
}

/** Start-up time and idle RSS, judged per app on the median of its starts. */
export function evaluateStartupTargets(startup: StartupReport[], maxReadyMs: number, maxIdleRssMb: number): TargetResult[] {
  const judge = (id: string, description: string, threshold: string, pick: (s: StartupReport) => Spread, limit: number, unit: string, digits: number): TargetResult => {
    if (startup.length === 0) return { id, description, threshold, status: 'not measured', measured: 'n/a', detail: 'start-up was not measured' };
    const parts = startup.map((s) => {
      const v = pick(s);
      const text = v.n
        ? `${s.app} ${v.median.toFixed(digits)} ${unit}${v.n > 1 ? ` (${v.min.toFixed(digits)}–${v.max.toFixed(digits)})` : ''}`
        : `${s.app} n/a${s.error ? ` (${s.error.split('\n')[0].slice(0, 120)})` : ''}`;
      return { app: s.app, ok: v.n > 0 && v.median < limit, text };
    });
    const missing = startup.some((s) => pick(s).n === 0);
    return {
      id,
      description,
      threshold,
      status: missing ? 'not measured' : parts.every((p) => p.ok) ? 'met' : 'not met',
      measured: parts.map((p) => p.text).join('; '),
      detail: parts.filter((p) => !p.ok).length ? `over: ${parts.filter((p) => !p.ok).map((p) => p.app).join(', ')}` : undefined,
    };
  };
  return [
    judge('startup-time', 'Start-up: process start to /health/ready answering 200', `< ${maxReadyMs} ms`, (s) => s.readyMs, maxReadyMs, 'ms', 0),
    judge('idle-rss', 'Idle RSS of each BFF after start-up', `< ${maxIdleRssMb} MB`, (s) => s.idleRssMb, maxIdleRssMb, 'MB', 1),
  ];
}

/**
 * A target on one figure of a scenario measured without wrk (the gRPC
 * source's CPU ratio, the live fan-out's CPU per event), judged on the
 * median of its rounds.
 */
export interface FigureTarget {
  id: string;
  description: string;
  /** The scenario's figure and why it is missing, if it is; undefined when the scenario was not run. */
  figure: (report: Pick<BenchReport, 'grpcSource' | 'liveFanout'>) => { value: Spread; error?: string; note?: string } | undefined;
  /** `max`: at most `threshold`; `below`: less than it. */
  bound: 'max' | 'below';
  threshold: number;
  /** `x` for a ratio. */
  unit: string;
  digits: number;
}

export function evaluateFigureTarget(target: FigureTarget, report: Pick<BenchReport, 'grpcSource' | 'liveFanout'>): TargetResult {
  const unit = (n: string) => (target.unit === 'x' ? `${n}x` : `${n} ${target.unit}`);
  const base = { id: target.id, description: target.description, threshold: `${target.bound === 'max' ? '≤' : '<'} ${unit(String(target.threshold))}` };
  const found = target.figure(report);
  if (!found) return { ...base, status: 'not measured', measured: 'n/a', detail: 'not run (scenario not selected)' };
  const { value, error, note } = found;
  if (value.n === 0) return { ...base, status: 'not measured', measured: 'n/a', detail: error ? error.split('\n')[0].slice(0, 200) : 'no round measured' };
  const d = target.digits;
  const measured = `${unit(value.median.toFixed(d))} (${value.min.toFixed(d)}–${value.max.toFixed(d)}, ${value.n} round${value.n === 1 ? '' : 's'})`;
  const met = target.bound === 'max' ? value.median <= target.threshold : value.median < target.threshold;
  return { ...base, status: met ? 'met' : 'not met', measured, detail: note };
}
