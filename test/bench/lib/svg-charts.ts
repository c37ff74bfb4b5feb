/**
 * The report's two pictures, req/s and latency percentiles per variant, as
 * SVG built from strings: no browser and no dependency, so they are drawn
 * wherever the bench runs and read in any Markdown viewer. Text widths are
 * estimated (no font metrics here), so labels are cut to fit rather than
 * measured.
 */
import type { ScenarioReport, VariantReport } from './model';

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

type Attrs = Record<string, string | number | undefined>;
const attr = (v: string | number) => escapeXml(typeof v === 'number' ? String(Math.round(v * 10) / 10) : v);

/** One element; `body` is markup already (use `label` for text). */
function el(name: string, attrs: Attrs, body = ''): string {
  const a = Object.entries(attrs)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${attr(v)}"`)
    .join('');
  return body ? `<${name}${a}>${body}</${name}>` : `<${name}${a}/>`;
}
const label = (x: number, y: number, text: string, attrs: Attrs = {}) => el('text', { x, y, ...attrs }, escapeXml(text) || ' ');

const FONT = 12;
/** Average glyph width of the sans-serif font at 12 px, near enough to lay out by. */
const CHAR_W = 6.6;
const WIDTH = 1040;
const fit = (text: string, px: number) => {
  const max = Math.max(4, Math.floor(px / CHAR_W));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};
const thousands = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

function svgDocument(height: number, title: string, subtitle: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${Math.ceil(height)}" viewBox="0 0 ${WIDTH} ${Math.ceil(height)}" font-family="sans-serif" font-size="${FONT}">`,
    el('rect', { x: 0, y: 0, width: WIDTH, height: Math.ceil(height), fill: '#ffffff' }),
    label(12, 22, title, { 'font-size': 15, 'font-weight': 'bold' }),
    label(12, 40, fit(subtitle, WIDTH - 24), { fill: '#555555' }),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The label column: wide enough for the longest label, within bounds. */
function labelWidth(scenarios: ScenarioReport[]): number {
  const longest = Math.max(0, ...scenarios.flatMap((s) => s.variants.map((v) => variantName(v, s).length)));
  return Math.min(340, Math.max(150, longest * CHAR_W + 20));
}
const variantName = (v: VariantReport, s: ScenarioReport) => (v.id === s.baselineId ? `${v.label} (baseline)` : v.label);

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw * (1 - 1e-9)) ?? 10) * power;
}

const TOP = 58;
const HEADING = 24;
const ROW = 22;
const AXIS = 22;
const GAP = 14;
const BAR = 14;
const COLOURS = { bar: '#7fb0dd', baseline: '#1f4e79', invalid: '#c8c8c8', grid: '#e4e4e4', text: '#222222', muted: '#666666' };

/**
 * Horizontal bars of each variant's median req/s, grouped by scenario. Each
 * scenario has its own axis from 0 (a proxy does ten times what a product
 * page at +20 ms does: one axis would flatten the slow ones), so bars compare
 * within a group; the baseline's bar is dark and its value a dashed line
 * across the group. Invalid variants are grey.
 */
export function rpsChart(scenarios: ScenarioReport[]): string {
  const x0 = labelWidth(scenarios);
  const x1 = WIDTH - 280;
  const body: string[] = [];
  let y = TOP;
  if (!scenarios.length) body.push(label(12, y + 20, 'No load scenario was run.'));
  for (const scenario of scenarios) {
    const values = scenario.variants.map((v) => v.rps.median).filter(Number.isFinite);
    const step = niceStep(Math.max(1, ...values) / 5);
    const top = Math.ceil(Math.max(1, ...values) / step) * step;
    const x = (v: number) => x0 + (Number.isFinite(v) ? (Math.max(0, v) / top) * (x1 - x0) : 0);
    const rowsTop = y + HEADING;
    const rowsBottom = rowsTop + scenario.variants.length * ROW;
    const g: string[] = [label(12, y + 16, fit(scenario.title, WIDTH - 24), { 'font-weight': 'bold', fill: COLOURS.text })];
    for (let t = 0; t <= top + step / 2; t += step) {
      g.push(el('line', { x1: x(t), y1: rowsTop, x2: x(t), y2: rowsBottom, stroke: COLOURS.grid }));
      g.push(label(x(t), rowsBottom + 14, thousands(t), { 'text-anchor': 'middle', fill: COLOURS.muted, 'font-size': 10 }));
    }
    scenario.variants.forEach((v, i) => {
      const rowY = rowsTop + i * ROW;
      const baseline = v.id === scenario.baselineId;
      const rps = v.rps.median;
      const ratio = !baseline && v.ratioToBaseline?.n ? ` · ${v.ratioToBaseline.median.toFixed(2)}x` : '';
      const cpu = Number.isFinite(v.cpuUsPerRequest.median) ? ` · ${v.cpuUsPerRequest.median.toFixed(0)} µs CPU/req` : '';
      const value = Number.isFinite(rps) ? `${thousands(rps)} req/s${ratio}${cpu}${v.valid ? '' : ' · INVALID'}` : 'n/a';
      g.push(
        label(x0 - 8, rowY + 15, fit(variantName(v, scenario), x0 - 20), { 'text-anchor': 'end', class: 'label', 'data-variant': v.id, fill: COLOURS.text, 'font-weight': baseline ? 'bold' : undefined }),
        el('rect', {
          class: baseline ? 'bar baseline' : 'bar',
          'data-variant': v.id,
          x: x0,
          y: rowY + (ROW - BAR) / 2,
          width: x(rps) - x0,
          height: BAR,
          fill: !v.valid ? COLOURS.invalid : baseline ? COLOURS.baseline : COLOURS.bar,
        }),
        label(x(rps) + 6, rowY + 15, value, { class: 'value', fill: v.valid ? COLOURS.text : '#b00020' }),
      );
    });
    const base = scenario.variants.find((v) => v.id === scenario.baselineId);
    if (base && Number.isFinite(base.rps.median)) {
      g.push(el('line', { class: 'baseline-mark', x1: x(base.rps.median), y1: rowsTop - 2, x2: x(base.rps.median), y2: rowsBottom + 2, stroke: COLOURS.baseline, 'stroke-dasharray': '4 3' }));
    }
    body.push(el('g', { class: 'scenario', 'data-scenario': scenario.id }, g.join('')));
    y = rowsBottom + AXIS + GAP;
  }
  return svgDocument(y, 'Requests per second per variant (median over rounds)', 'Each scenario has its own scale from 0. Dark bar and dashed line: the baseline. Grey: invalid. Ratios are to the baseline, taken round by round.', body);
}

const PERCENTILES = [
  { key: 'p50Ms', name: 'p50', colour: '#2b8cbe' },
  { key: 'p90Ms', name: 'p90', colour: '#f1a340' },
  { key: 'p99Ms', name: 'p99', colour: '#d7301f' },
] as const;

/** 1-2-5 values, from the largest at most `lo` to the smallest at least `hi` (two at least), for a log axis. */
export function logTicks(lo: number, hi: number): number[] {
  const all: number[] = [];
  for (let power = Math.floor(Math.log10(lo)); all.length < 60; power++) {
    for (const m of [1, 2, 5]) all.push(Number((m * 10 ** power).toPrecision(3)));
    if (all[all.length - 1] >= hi) break;
  }
  const start = Math.max(0, all.filter((t) => t <= lo).length - 1);
  const end = all.findIndex((t) => t >= hi);
  const ticks = all.slice(start, end === -1 ? all.length : end + 1);
  return ticks.length > 1 ? ticks : all.slice(start, start + 2);
}

/**
 * p50, p90 and p99 latency (medians over rounds, from wrk --latency) of each
 * variant, as dots on one log axis shared by all scenarios (latencies span
 * from under a millisecond to a hundred), grouped by scenario.
 */
export function latencyChart(scenarios: ScenarioReport[]): string {
  const x0 = labelWidth(scenarios);
  const x1 = WIDTH - 270;
  const all = scenarios.flatMap((s) => s.variants.flatMap((v) => PERCENTILES.map((p) => v[p.key].median))).filter((v) => Number.isFinite(v) && v > 0);
  const ticks = all.length ? logTicks(Math.min(...all), Math.max(...all)) : [0.1, 1, 10, 100];
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const x = (v: number) => x0 + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (x1 - x0);
  const body: string[] = [];
  PERCENTILES.forEach((p, i) => {
    body.push(el('circle', { cx: WIDTH - 200 + i * 62, cy: 18, r: 5, fill: p.colour }), label(WIDTH - 190 + i * 62, 22, p.name));
  });
  let y = TOP;
  if (!scenarios.length) body.push(label(12, y + 20, 'No load scenario was run.'));
  for (const scenario of scenarios) {
    const rowsTop = y + HEADING;
    const rowsBottom = rowsTop + scenario.variants.length * ROW;
    const g: string[] = [label(12, y + 16, fit(scenario.title, WIDTH - 24), { 'font-weight': 'bold', fill: COLOURS.text })];
    for (const t of ticks) {
      g.push(el('line', { x1: x(t), y1: rowsTop, x2: x(t), y2: rowsBottom, stroke: COLOURS.grid }));
      // Many ticks would run into each other: then only powers of ten are labelled.
      const labelled = ticks.length <= 10 || String(t).replace(/^0\.0*|0+$/g, '') === '1';
      if (labelled) g.push(label(x(t), rowsBottom + 14, `${t} ms`, { 'text-anchor': 'middle', fill: COLOURS.muted, 'font-size': 10 }));
    }
    scenario.variants.forEach((v, i) => {
      const cy = rowsTop + i * ROW + ROW / 2;
      const baseline = v.id === scenario.baselineId;
      const points = PERCENTILES.map((p) => ({ ...p, value: v[p.key].median })).filter((p) => Number.isFinite(p.value) && p.value > 0);
      const dots = points.map((p) => el('circle', { class: p.name, cx: x(p.value), cy, r: 4.5, fill: p.colour, 'fill-opacity': v.valid ? 1 : 0.35 }));
      const span = points.length > 1 ? [el('line', { x1: x(points[0].value), y1: cy, x2: x(points[points.length - 1].value), y2: cy, stroke: '#999999', 'stroke-width': 2 })] : [];
      const value = points.length ? `${points.map((p) => `${p.name} ${ms(p.value)}`).join(' · ')} ms${v.valid ? '' : ' · INVALID'}` : 'n/a';
      g.push(
        label(x0 - 8, cy + 4, fit(variantName(v, scenario), x0 - 20), { 'text-anchor': 'end', class: 'label', 'data-variant': v.id, fill: COLOURS.text, 'font-weight': baseline ? 'bold' : undefined }),
        el('g', { class: 'variant', 'data-variant': v.id }, [...span, ...dots].join('')),
        label(x1 + 10, cy + 4, value, { class: 'value', fill: v.valid ? COLOURS.text : '#b00020' }),
      );
    });
    body.push(el('g', { class: 'scenario', 'data-scenario': scenario.id }, g.join('')));
    y = rowsBottom + AXIS + GAP;
  }
  return svgDocument(y, 'Latency percentiles per variant (medians over rounds, wrk --latency)', 'One logarithmic axis for all scenarios. Bold label: the baseline. Faded dots: invalid.', body);
}
