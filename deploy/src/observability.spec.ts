import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from './manifests';
import { promtool } from './promtool';

const DIR = join(REPO_ROOT, 'deploy/observability');
const RULES = join(DIR, 'gateway-alerts.rules.yml');
const dashboard = JSON.parse(readFileSync(join(DIR, 'gateway-dashboard.json'), 'utf8'));

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

/** A panel's query as PromQL: Grafana's variables replaced by what they stand for. */
const asPromQl = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$app', '.*');

describe('alerting rules (deploy/observability/gateway-alerts.rules.yml)', () => {
  it('pass promtool check rules', () => {
    const run = promtool(['check', 'rules', RULES]);
    expect([run.status, run.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('pass their unit tests (promtool test rules gateway-alerts.test.yml)', () => {
    const run = promtool(['test', 'rules', join(DIR, 'gateway-alerts.test.yml')]);
    expect([run.status, run.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('alert on error ratio, latency SLO burn, open breakers, Redis errors and readiness flapping', () => {
    const alerts = [...readFileSync(RULES, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts.sort()).toEqual(
      ['GatewayBreakerOpen', 'GatewayErrorBudgetBurn', 'GatewayHighErrorRatio', 'GatewayLatencySLOBurn', 'GatewayReadinessFlapping', 'GatewayRedisErrors'].sort(),
    );
  });
});

describe('Grafana dashboard (deploy/observability/gateway-dashboard.json)', () => {
  const panels = (dashboard.panels as Panel[]).filter((p) => p.type !== 'row');

  it('has a query on every panel, each valid PromQL (parsed by promtool)', () => {
    const rules = panels.flatMap((panel, i) => (panel.targets ?? []).map((t, j) => ({ record: `dashboard:panel_${i}_${j}`, expr: asPromQl(t.expr) })));
    expect(panels.every((p) => (p.targets ?? []).length > 0)).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'dashboard-')), 'queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    const run = promtool(['check', 'rules', file]);
    expect([run.status, run.output]).toEqual([0, expect.stringContaining(`SUCCESS: ${rules.length} rules found`)]);
  });

  it('covers requests, upstreams, breakers, limits, cache, aggregation and the process', () => {
    const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    for (const series of [
      'gateway_http_request_duration_seconds_count',
      'gateway_http_request_duration_seconds_bucket',
      'gateway_upstream_request_duration_seconds_bucket',
      'gateway_breaker_state',
      'gateway_ratelimit_rejections_total',
      'gateway_upstream_cache_total',
      'gateway_aggregation_total',
      'nodejs_eventloop_lag_p99_seconds',
      'process_resident_memory_bytes',
    ]) {
      expect([series, exprs.includes(series)]).toEqual([series, true]);
    }
  });

  it('lets the operator pick the data source and the apps', () => {
    expect(dashboard.templating.list.map((v: { name: string }) => v.name)).toEqual(['datasource', 'app']);
  });
});
