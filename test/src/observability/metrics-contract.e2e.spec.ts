import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promtool, REPO_ROOT, request, startBff, startSims, userToken, bearer, type RunningBff, type RunningSims } from '../support';

const OBSERVABILITY = join(REPO_ROOT, 'deploy/observability');
const HISTOGRAM_SUFFIX = /_(bucket|count|sum)$/;

/** Metric families a Prometheus text exposition declares (`# TYPE name kind`), with their kind. */
function families(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
}

/**
 * The series names a dashboard's or a rules file's PromQL reads (the
 * gateway's, Node's and the process's); recorded series (`app:gateway_x:ratio`) are not exports.
 */
function seriesIn(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w:])((?:gateway|nodejs|process)_[a-z0-9_]+)(?![\w:])/g)].map((m) => m[1]));
}

/**
 * Every BFF's /metrics, as Prometheus scrapes it after some traffic, passes
 * `promtool check metrics`; and the dashboard and alerting rules under
 * deploy/observability read only series the BFFs export.
 */
describe('metrics as Prometheus sees them', () => {
  let sims: RunningSims;
  let bffs: RunningBff[];
  const scraped = new Map<string, string>();
  const readiness = new Map<string, number>();

  beforeAll(async () => {
    sims = await startSims();
    // Load shedding off: three apps starting on a busy machine would otherwise shed this suite's few requests.
    const env = { OVERLOAD_ENABLED: 'false' };
    bffs = [
      await startBff('web-bff', sims.urls, env),
      await startBff('mobile-bff', sims.urls, env),
      await startBff('partner-bff', { catalog: sims.urls.catalog, orders: sims.urls.orders }, env),
    ];
    const [web, mobile, partner] = bffs;
    const token = await userToken(sims.urls.identity, 'alice');
    // Traffic through each stage: aggregation, pass-through (and its cache), a 404, a 401, readiness, a 429.
    await request(`${web.url}/api/products/p1`);
    await request(`${web.url}/api/catalog/products?limit=2`);
    await request(`${web.url}/api/catalog/products?limit=2`);
    await request(`${web.url}/api/dashboard`, { headers: bearer(token) });
    await request(`${web.url}/api/dashboard`);
    await request(`${web.url}/no/such/path`);
    await request(`${mobile.url}/api/home`, { headers: bearer(token) });
    await request(`${mobile.url}/api/products?limit=3`);
    for (let i = 0; i < 8; i++) await request(`${partner.url}/v1/products?limit=2`, { headers: { 'x-api-key': 'demo-free-key' } });
    for (const bff of bffs) {
      readiness.set(bff.name, (await request(`${bff.url}/health/ready`)).status === 200 ? 1 : 0);
      const res = await request(`${bff.managementUrl}/metrics`);
      expect(res.status).toBe(200);
      scraped.set(bff.name, res.text);
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all((bffs ?? []).map((b) => b.stop()));
    await sims?.stop();
  });

  it.each(['web-bff', 'mobile-bff', 'partner-bff'])('%s: /metrics passes promtool check metrics', (name) => {
    const text = scraped.get(name)!;
    expect(text).toMatch(/^gateway_http_request_duration_seconds_count\{/m);
    const run = promtool(['check', 'metrics'], text);
    expect([run.status, run.output.trim()]).toEqual([0, '']);
  });

  it('shows readiness, rejections and completeness after the traffic', () => {
    expect(scraped.get('partner-bff')).toMatch(/^gateway_ratelimit_rejections_total\{[^}]*app="partner-bff"[^}]*\} [1-9]/m);
    // What the last probe answered (a loaded machine may make an upstream check time out).
    expect(scraped.get('web-bff')).toMatch(new RegExp(`^gateway_ready\\{app="web-bff"\\} ${readiness.get('web-bff')}$`, 'm'));
    expect(scraped.get('web-bff')).toMatch(/^gateway_aggregation_total\{[^}]*plan="product-page"/m);
  });

  it.each(['gateway-dashboard.json', 'gateway-alerts.rules.yml'])('deploy/observability/%s reads only series the BFFs export', (file) => {
    const exported = new Map<string, string>();
    for (const text of scraped.values()) for (const [name, kind] of families(text)) exported.set(name, kind);
    const used = [...seriesIn(readFileSync(join(OBSERVABILITY, file), 'utf8'))];
    expect(used.length).toBeGreaterThan(3);
    const missing = used.filter((series) => {
      if (exported.has(series)) return false;
      const family = series.replace(HISTOGRAM_SUFFIX, '');
      return exported.get(family) !== 'histogram';
    });
    expect(missing).toEqual([]);
  });
});
