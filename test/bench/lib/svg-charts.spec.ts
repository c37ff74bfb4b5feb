import { samples } from './bench-fixtures';
import type { ScenarioReport } from './model';
import { summariseVariant, withBaselineRatios } from './summarise';
import { escapeXml, latencyChart, logTicks, niceStep, rpsChart } from './svg-charts';

interface Element {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const checkEntities = (s: string) => {
  if (/&(?!(?:amp|lt|gt|quot|#\d+);)/.test(s)) throw new Error(`raw & in "${s}"`);
};

/**
 * A tiny well-formedness check, enough for what the charts emit: every tag
 * closed in order, one <svg> root and nothing outside it, attributes quoted,
 * no raw `<` or `&` in text or attribute values. Returns the elements in
 * document order, their text decoded.
 */
function parseSvg(svg: string): Element[] {
  const elements: Element[] = [];
  const open: Element[] = [];
  let roots = 0;
  let at = 0;
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>|([^<]+)/g;
  for (const m of svg.matchAll(token)) {
    if (m.index !== at) throw new Error(`not markup at ${at}: ${svg.slice(at, at + 40)}`);
    at = m.index + m[0].length;
    const [, closing, name, attrText, selfClosing, text] = m;
    if (text !== undefined) {
      if (!open.length) {
        if (text.trim()) throw new Error(`text outside the root: ${text.slice(0, 40)}`);
        continue;
      }
      checkEntities(text);
      open[open.length - 1].text += decode(text);
      continue;
    }
    if (closing) {
      if (open.pop()?.name !== name) throw new Error(`</${name}> closes nothing open`);
      continue;
    }
    if (!open.length && (++roots > 1 || name !== 'svg')) throw new Error(`second root or root not <svg>: <${name}>`);
    const attrs: Record<string, string> = {};
    for (const [, key, value] of (attrText ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) {
      checkEntities(value);
      attrs[key] = decode(value);
    }
    const element = { name, attrs, text: '' };
    elements.push(element);
    if (!selfClosing) open.push(element);
  }
  if (at !== svg.length) throw new Error(`not markup at ${at}`);
  if (open.length) throw new Error(`unclosed: ${open.map((e) => e.name).join(', ')}`);
  if (roots !== 1) throw new Error('no <svg> root');
  return elements;
}

const variant = (id: string, label: string, runs: Parameters<typeof samples>[1]) =>
  summariseVariant({ id, label, description: id, url: '/x' }, samples([1, 1], runs));

function scenarios(): ScenarioReport[] {
  return [
    withBaselineRatios({
      id: 'proxy',
      title: 'Pass-through <proxy> & friends',
      baselineId: 'base',
      notes: [],
      variants: [
        variant('base', 'Fastify + reply-from', [[1000, 10], [1000, 10]]),
        variant('fast', 'A <b> & "c"', [[1500, 8], [1500, 8]]),
        variant('slow', 'slow one', [[200, 40], [200, 40]]),
        variant('mid', 'mid one', [[900, 12], [900, 12]]),
        variant('broken', 'broken one', [[700, 20], [700, 20, 3]]),
        variant('dead', 'never answered', [[0, 0, 5], [0, 0, 5]]),
      ],
    }),
    withBaselineRatios({
      id: 'aggregation-20ms',
      title: 'Aggregation +20 ms',
      baselineId: 'fanout',
      notes: [],
      variants: [variant('fanout', 'hand-written fan-out', [[120, 90]]), variant('bff', 'BFF, production settings', [[110, 95]])],
    }),
  ];
}

const byClass = (elements: Element[], name: string, cls: string) => elements.filter((e) => e.name === name && (e.attrs.class ?? '').split(' ').includes(cls));
const variantCount = scenarios().reduce((n, s) => n + s.variants.length, 0);

describe('SVG charts', () => {
  it('are well-formed, one <svg> root each, with or without scenarios', () => {
    for (const svg of [rpsChart(scenarios()), latencyChart(scenarios()), rpsChart([]), latencyChart([])]) {
      const elements = parseSvg(svg);
      expect(elements[0]).toMatchObject({ name: 'svg', attrs: { xmlns: 'http://www.w3.org/2000/svg' } });
    }
    expect(parseSvg(rpsChart([])).some((e) => e.text.includes('No load scenario'))).toBe(true);
  });

  it('the checker catches what it is there to catch', () => {
    expect(() => parseSvg('<svg><g></svg>')).toThrow();
    expect(() => parseSvg('<svg></svg><svg></svg>')).toThrow();
    expect(() => parseSvg('<svg><text>a & b</text></svg>')).toThrow();
    expect(() => parseSvg('<svg><text x="<">a</text></svg>')).toThrow();
    expect(() => parseSvg('<g></g>')).toThrow();
  });

  it('escape labels and titles', () => {
    expect(escapeXml(`A <b> & "c" 'd'`)).toBe('A &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;');
    for (const svg of [rpsChart(scenarios()), latencyChart(scenarios())]) {
      expect(svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
      expect(svg).not.toContain('A <b>');
      const texts = parseSvg(svg).filter((e) => e.name === 'text').map((e) => e.text);
      expect(texts).toContain('A <b> & "c"');
      expect(texts).toContain('Pass-through <proxy> & friends');
    }
  });

  it('req/s: a bar and a label per variant, the baseline marked in each group', () => {
    const elements = parseSvg(rpsChart(scenarios()));
    expect(byClass(elements, 'rect', 'bar')).toHaveLength(variantCount);
    expect(byClass(elements, 'text', 'label').map((e) => e.attrs['data-variant'])).toEqual(scenarios().flatMap((s) => s.variants.map((v) => v.id)));
    expect(byClass(elements, 'rect', 'baseline').map((e) => e.attrs['data-variant'])).toEqual(['base', 'fanout']);
    expect(byClass(elements, 'line', 'baseline-mark')).toHaveLength(2);
    const labels = byClass(elements, 'text', 'label').map((e) => e.text);
    expect(labels).toContain('Fastify + reply-from (baseline)');
    const values = byClass(elements, 'text', 'value').map((e) => e.text);
    expect(values).toContain('1,500 req/s · 1.50x · 667 µs CPU/req');
    expect(values.find((v) => v.startsWith('700 req/s'))).toContain('INVALID');
    expect(values).toContain('n/a');
  });

  it('req/s: longer bars for more req/s within a group, the baseline line at the end of its bar', () => {
    const [proxy] = scenarios();
    const elements = parseSvg(rpsChart(scenarios()));
    const bars = byClass(elements, 'rect', 'bar');
    const width = (id: string) => Number(bars.find((b) => b.attrs['data-variant'] === id)!.attrs.width);
    const measured = proxy.variants.filter((v) => v.rps.n > 0).sort((a, b) => a.rps.median - b.rps.median);
    const widths = measured.map((v) => width(v.id));
    expect(widths).toEqual([...widths].sort((a, b) => a - b));
    expect(new Set(widths).size).toBe(widths.length);
    expect(width('dead')).toBe(0);
    const base = bars.find((b) => b.attrs['data-variant'] === 'base')!;
    const mark = byClass(elements, 'line', 'baseline-mark')[0];
    expect(Number(mark.attrs.x1)).toBeCloseTo(Number(base.attrs.x) + Number(base.attrs.width), 0);
  });

  it('latency: a label and p50/p90/p99 dots per variant, placed in order on one axis', () => {
    const all = scenarios().flatMap((s) => s.variants);
    const elements = parseSvg(latencyChart(scenarios()));
    expect(byClass(elements, 'text', 'label')).toHaveLength(variantCount);
    const groups = byClass(elements, 'g', 'variant');
    expect(groups).toHaveLength(variantCount);
    // Dots follow their group in document order: read them per variant.
    const dots = (id: string) => {
      const start = elements.indexOf(groups.find((g) => g.attrs['data-variant'] === id)!);
      const next = elements.findIndex((e, i) => i > start && e.name !== 'circle' && e.name !== 'line');
      return elements.slice(start + 1, next).filter((e) => e.name === 'circle');
    };
    for (const v of all.filter((x) => x.p50Ms.n > 0)) {
      const cx = dots(v.id).map((d) => [d.attrs.class, Number(d.attrs.cx)]);
      expect(cx.map(([c]) => c)).toEqual(['p50', 'p90', 'p99']);
      expect(cx.map(([, x]) => x)).toEqual([...cx.map(([, x]) => x)].sort((a, b) => Number(a) - Number(b)));
    }
    expect(dots('dead')).toHaveLength(0);
    const p50 = all.filter((v) => v.p50Ms.n > 0).map((v) => ({ value: v.p50Ms.median, cx: Number(dots(v.id)[0].attrs.cx) }));
    const sorted = [...p50].sort((a, b) => a.value - b.value);
    expect(sorted.map((p) => p.cx)).toEqual([...sorted.map((p) => p.cx)].sort((a, b) => a - b));
    expect(byClass(elements, 'text', 'value').map((e) => e.text)).toContain('p50 2.50 · p90 6.00 · p99 10.0 ms');
  });

  it('axes: 1-2-5 steps and log ticks that cover the values', () => {
    expect([niceStep(0.7), niceStep(3), niceStep(12), niceStep(4000), niceStep(0)]).toEqual([1, 5, 20, 5000, 1]);
    expect(logTicks(0.3, 40)).toEqual([0.2, 0.5, 1, 2, 5, 10, 20, 50]);
    expect(logTicks(1, 1)).toEqual([1, 2]);
    expect(logTicks(2.5, 9)).toEqual([2, 5, 10]);
  });
});
