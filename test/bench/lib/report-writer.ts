import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport, GrpcSourceReport, LiveFanoutReport, ProfileReport, ScenarioReport, TargetResult, VariantReport } from './model';
import { spread, type Spread } from './stats';
import { latencyChart, rpsChart } from './svg-charts';
import { fmtRatio } from './targets';

/** Where the charts are, relative to the Markdown that shows them. */
export interface ChartFiles {
  rps: string;
  latency: string;
}
/** Beside report.md in the run folder, and beside bench-results/latest.md. */
export const CHART_FILES: ChartFiles = { rps: 'rps.svg', latency: 'latency.svg' };
export const LATEST_CHART_FILES: ChartFiles = { rps: 'latest-rps.svg', latency: 'latest-latency.svg' };

const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const withRange = (s: Spread | undefined, digits = 0) =>
  !s || s.n === 0 ? 'n/a' : s.n === 1 ? num(s.median, digits) : `${num(s.median, digits)} (${num(s.min, digits)}–${num(s.max, digits)})`;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const STATUS: Record<TargetResult['status'], string> = { met: '✅ met', 'not met': '❌ not met', 'not measured': '⚪ not measured' };

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function scenarioSection(scenario: ScenarioReport): string {
  const baseline = scenario.variants.find((v) => v.id === scenario.baselineId);
  const rows = scenario.variants.map((v: VariantReport) => [
    v.id === scenario.baselineId ? `**${v.label}** (baseline)` : v.label,
    withRange(v.rps),
    v.ratioToBaseline ? fmtRatio(v.ratioToBaseline) : 'n/a',
    withRange(v.p50Ms, 2),
    withRange(v.p90Ms, 2),
    withRange(v.p99Ms, 2),
    v.p99RatioToBaseline && v.p99RatioToBaseline.n ? `${num(v.p99RatioToBaseline.median, 2)}x` : 'n/a',
    withRange(v.cpuUsPerRequest),
    `${num(v.cpuPercent.median)} / ${num(v.upstreamCpuPercent.median)}`,
    withRange(v.upstreamCallsPerRequest, 2),
    v.peakRssMb === undefined ? 'n/a' : num(v.peakRssMb, 1),
    v.valid ? 'yes' : `**INVALID**: ${v.invalidReasons.slice(0, 3).join('; ')}`,
  ]);
  const positive = (s: Spread | undefined) => s !== undefined && s.median > 0;
  const extras = scenario.variants
    .filter((v) => positive(v.logBytesPerRequest) || positive(v.redisCommandsPerRequest))
    .map((v) =>
      [
        `- ${v.label}:`,
        positive(v.logBytesPerRequest) ? ` logged ${withRange(v.logBytesPerRequest)} bytes/request` : '',
        positive(v.redisCommandsPerRequest) ? ` sent ${withRange(v.redisCommandsPerRequest, 2)} Redis commands/request` : '',
        positive(v.redisScriptCommandsPerRequest) ? `, and its Lua scripts ran ${withRange(v.redisScriptCommandsPerRequest, 2)} more inside Redis` : '',
      ].join(''),
    );
  const foreign = scenario.variants.map((v) => v.foreignPercentOnGatewayCpu).filter((f) => f && f.n > 0);
  const foreignLine = foreign.length
    ? `Other processes' use of the gateway's CPU during these runs: median ${num(Math.max(...foreign.map((f) => f.median)))}% at worst, peak ${num(Math.max(...foreign.map((f) => f.max)))}%${Math.max(...foreign.map((f) => f.median)) > 5 ? ' — **the machine was not quiet: treat these figures with care**' : ''}.`
    : '';
  const described = scenario.variants.map((v) => `- **${v.label}**: ${v.description} (\`${v.url}\`)${v.notes.length ? ` — ${v.notes.join('; ')}` : ''}`);
  return [
    `## ${scenario.title}`,
    '',
    `Ratios are to **${baseline?.label ?? scenario.baselineId}**, taken round by round. CPU % is the share of one core the server under test used during the run (near 100: it was the bottleneck), and the sim's share of the other core, which it shares with wrk.`,
    '',
    table(['variant', 'req/s', 'x baseline', 'p50 ms', 'p90 ms', 'p99 ms', 'p99 x baseline', 'CPU µs/req', 'CPU % (server / sim)', 'upstream calls/req', 'peak RSS MB', 'valid'], rows),
    '',
    ...(foreignLine ? [foreignLine, ''] : []),
    ...described,
    ...(extras.length ? ['', ...extras] : []),
    ...(scenario.notes.length ? ['', ...scenario.notes.map((n) => `> ${n}`)] : []),
    '',
  ].join('\n');
}

/** Other processes' share of the gateway's CPU, when it was enough to matter. */
function foreignWarning(foreign: Spread): string[] {
  if (!(foreign.n > 0) || !(foreign.median > 5)) return [];
  return [`Other processes used ${num(foreign.median)}% of the gateway's CPU during these rounds (peak ${num(foreign.max)}%): **the machine was not quiet: treat these figures with care**.`, ''];
}

function grpcSourceSection(r: GrpcSourceReport): string {
  const ratio = (s: Spread) => (s.n ? `${num(s.median, 3)}x (${num(s.min, 3)}–${num(s.max, 3)}, ${s.n} round${s.n === 1 ? '' : 's'})` : 'n/a');
  const slower = r.grpcMsPerCall.median > 3 * r.httpMsPerCall.median;
  return [
    '## A unary gRPC source against an HTTP source',
    '',
    `The same one-source plan, ${r.callsPerRound} calls a round, started ${r.callsPerSecond} a second both ways. CPU is the kernel process's per call; the ratio is taken within each round.`,
    '',
    ...(r.error ? [`Could not measure: ${r.error.split('\n')[0]}`, ''] : []),
    table(
      ['source', 'CPU µs/call', 'x HTTP (CPU/call)', 'ms/call (start to answer)', 'rounds'],
      [
        ['**HTTP/1.1: catalog sim, availability route (JSON)** (baseline)', withRange(r.httpCpuUsPerCall, 1), r.httpCpuUsPerCall.n ? '1.000x' : 'n/a', withRange(r.httpMsPerCall, 2), String(r.httpCpuUsPerCall.n)],
        ['gRPC: inventory sim, GetAvailability (protobuf)', withRange(r.grpcCpuUsPerCall, 1), ratio(r.grpcOverHttp), withRange(r.grpcMsPerCall, 2), String(r.grpcCpuUsPerCall.n)],
      ],
    ),
    '',
    ...(r.invalidRounds.length ? [`Left out: ${r.invalidRounds.join('; ')}.`, ''] : []),
    ...(slower
      ? [`A gRPC call took ${num(r.grpcMsPerCall.median, 1)} ms against HTTP's ${num(r.httpMsPerCall.median, 1)} ms: the inventory sim answered far slower than the catalog sim, so at the same pace more gRPC calls were in flight at once.`, '']
      : []),
    ...foreignWarning(r.foreignPercentOnGatewayCpu),
    r.method,
    '',
  ].join('\n');
}

function liveFanoutSection(r: LiveFanoutReport): string {
  const frames = spread(r.rounds.map((x) => x.frames));
  return [
    '## Live fan-out',
    '',
    `One order status change fanned out to ${r.clients} WebSocket clients of mobile-bff, ${r.eventsPerRound} events a round, ${r.eventSpacingMs} ms apart.`,
    '',
    ...(r.error ? [`Could not measure: ${r.error.split('\n')[0]}`, ''] : []),
    table(
      ['clients', 'events/round', 'BFF CPU ms/event', 'idle CPU ms/round', 'frames/round', 'peak RSS MB', 'rounds'],
      [[String(r.clients), String(r.eventsPerRound), withRange(r.cpuMsPerEvent, 2), withRange(r.idleCpuMsPerRound), withRange(frames), r.peakRssMb === undefined ? 'n/a' : num(r.peakRssMb, 1), String(r.cpuMsPerEvent.n)]],
    ),
    '',
    ...foreignWarning(r.foreignPercentOnGatewayCpu),
    r.method,
    '',
  ].join('\n');
}

/** One profile as Markdown (also what analyse-profile.ts prints). */
export function renderProfile(profile: ProfileReport): string {
  const lines = [`### ${profile.title}`, '', `Why: ${profile.reason}.`, ''];
  if (profile.error || !profile.summary) return [...lines, `Could not profile: ${profile.error ?? 'no profile written'}`, ''].join('\n');
  const s = profile.summary;
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  lines.push(
    `Sampled ${num(s.totalMs)} ms, busy ${num(s.busyMs)} ms${profile.file ? ` (\`${profile.file}\`)` : ''}. Shares are of busy time.`,
    '',
    '**Top functions by self time**',
    '',
    table(['function', 'self ms', 'share'], s.topFunctions.map((e) => [`\`${e.name}\``, num(e.ms), pct(e.share)])),
    '',
    '**Self time by origin** (and with Node internals and native code charged to their JavaScript caller)',
    '',
    table(
      ['origin', 'self ms', 'share', 'caller', 'charged ms', 'share'],
      Array.from({ length: Math.max(s.byOrigin.length, s.byCaller.length) }, (_, i) => {
        const o = s.byOrigin[i];
        const c = s.byCaller[i];
        return [o?.name ?? '', o ? num(o.ms) : '', o ? pct(o.share) : '', c?.name ?? '', c ? num(c.ms) : '', c ? pct(c.share) : ''];
      }),
    ),
    '',
  );
  if (s.internalHotspots?.length) {
    lines.push(
      '**Busiest Node-internal and native functions, and who called them**',
      '',
      table(
        ['function', 'self ms', 'share', 'called from (ms)'],
        s.internalHotspots.map((h) => [`\`${h.name}\``, num(h.ms), pct(h.share), h.callers.map((c) => `\`${c.name}\` (${num(c.ms)})`).join('; ')]),
      ),
      '',
    );
  }
  if (s.kernelStages.length) {
    lines.push(
      '**Innermost kernel stage on the stack** (what the stage does and calls; the rest is Nest, Fastify and Node around it)',
      '',
      table(['stage', 'ms', 'share'], s.kernelStages.map((e) => [e.name, num(e.ms), pct(e.share)])),
      '',
    );
  }
  return lines.join('\n');
}

/** The report as Markdown, headline first; with `charts`, it shows them after the targets. */
export function renderMarkdown(report: BenchReport, options: { charts?: ChartFiles } = {}): string {
  const { machine, settings } = report;
  const out = [
    `# Gateway benchmark${report.quick ? ' (quick smoke run: not for conclusions)' : ''}`,
    '',
    `${report.startedAt} · ${num(report.durationS)} s · ${machine.cpus} × ${machine.model} · ${num(machine.memoryGb)} GiB · Node ${machine.node} · ${machine.wrk} · ${machine.nginx} · load average at start ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
    '',
    `Each variant ran ${settings.rounds} measured round${settings.rounds === 1 ? '' : 's'} of ${settings.secondsPerRun} s after ${settings.warmupRounds} warm-up round(s) of ${settings.warmupSeconds} s, interleaved (every round runs every variant, starting one later each round). wrk: ${settings.wrkThreads} thread, ${settings.connections} connections, no pipelining. Figures are medians with (min–max) over rounds; a ratio is taken within each round, then its median and range are shown. A run with any non-2xx answer or socket error is invalid and never counted.`,
    '',
    `Pinning: ${settings.pinning}`,
    '',
    '## Targets',
    '',
    table(
      ['target', 'threshold', 'measured', 'status'],
      report.targets.map((t) => [t.description, t.threshold, t.measured + (t.detail ? ` — ${t.detail}` : ''), STATUS[t.status]]),
    ),
    '',
    ...(options.charts && report.scenarios.length
      ? ['## Charts', '', `![req/s per variant](${options.charts.rps})`, '', `![latency percentiles per variant](${options.charts.latency})`, '']
      : []),
    ...report.scenarios.map(scenarioSection),
    ...(report.grpcSource ? [grpcSourceSection(report.grpcSource)] : []),
    ...(report.liveFanout ? [liveFanoutSection(report.liveFanout)] : []),
  ];
  if (report.startup.length) {
    out.push(
      '## Start-up',
      '',
      'Process spawn to the first 200 from `/health/ready` (polled every 10 ms), pinned like the gateway under load; idle RSS read 1 s after.',
      '',
      table(
        ['app', 'ready ms', 'idle RSS MB', 'starts'],
        report.startup.map((s) => [s.app, withRange(s.readyMs), withRange(s.idleRssMb, 1), String(s.samples.length)]),
      ),
      '',
    );
  }
  if (report.profiles.length) out.push('## Profiles', '', ...report.profiles.map(renderProfile));
  out.push('## What the gateway under test had', '', ...Object.entries(report.features).map(([k, v]) => `- ${k}: ${v}`), '');
  if (report.notes.length) out.push('## Not measured, or measured differently', '', ...report.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/**
 * Writes report.json, report.md and its two charts (rps.svg, latency.svg)
 * into `dir`, and copies them to `<latestDir>/latest.{json,md}` and
 * latest-{rps,latency}.svg; latest.md links the latest charts, so it reads
 * on its own when the run folder is gone.
 */
export function writeReport(dir: string, report: BenchReport, latestDir?: string): { json: string; markdown: string; charts: string[] } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const markdown = join(dir, 'report.md');
  const charts = { rps: join(dir, CHART_FILES.rps), latency: join(dir, CHART_FILES.latency) };
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(charts.rps, rpsChart(report.scenarios));
  writeFileSync(charts.latency, latencyChart(report.scenarios));
  writeFileSync(markdown, renderMarkdown(report, { charts: CHART_FILES }));
  if (latestDir) {
    copyFileSync(json, join(latestDir, 'latest.json'));
    copyFileSync(charts.rps, join(latestDir, LATEST_CHART_FILES.rps));
    copyFileSync(charts.latency, join(latestDir, LATEST_CHART_FILES.latency));
    writeFileSync(join(latestDir, 'latest.md'), renderMarkdown(report, { charts: LATEST_CHART_FILES }));
  }
  return { json, markdown, charts: [charts.rps, charts.latency] };
}
