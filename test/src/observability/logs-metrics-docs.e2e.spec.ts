import {
  bearer,
  jsonLogLines,
  metricValue,
  request,
  simControl,
  startBff,
  startSims,
  userToken,
  waitForLogLine,
  type RunningBff,
  type RunningSims,
} from '../support';

const PARTNER_KEY = 'demo-gold-key';
const COOKIE = 'session=e2e-cookie-value-5f1c';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = (traceId = TRACE_ID) => `00-${traceId}-00f067aa0ba902b7-01`;

/**
 * What an operator sees of a running BFF: its JSON logs, /metrics and
 * /docs/json, from built apps started as in production (LOG_LEVEL=info).
 */
describe('observability of the running BFFs', () => {
  let sims: RunningSims;
  let web: RunningBff;
  let partner: RunningBff;
  let mobile: RunningBff;
  let token: string;

  beforeAll(async () => {
    sims = await startSims();
    web = await startBff('web-bff', sims.urls, { LOG_LEVEL: 'info' });
    partner = await startBff('partner-bff', { catalog: sims.urls.catalog, orders: sims.urls.orders }, { LOG_LEVEL: 'info' });
    mobile = await startBff('mobile-bff', sims.urls, { LOG_LEVEL: 'info' });
    token = await userToken(sims.urls.identity, 'alice');
  }, 60_000);
  afterAll(async () => {
    await Promise.all([web?.stop(), partner?.stop(), mobile?.stop()]);
    await sims?.stop();
  });
  afterEach(async () => {
    await Promise.all(['users', 'catalog', 'orders', 'reviews'].map((s) => simControl(sims.urls[s as 'users']).clearFaults()));
  });

  describe('logs', () => {
    it('writes one JSON access line per request with request id, trace id, route template, status, duration, caller and upstream timings', async () => {
      const requestId = 'e2e-logs-dashboard-0001';
      const res = await request(`${web.url}/api/dashboard`, {
        headers: { ...bearer(token), cookie: COOKIE, 'x-request-id': requestId, traceparent: traceparent() },
      });
      expect(res.status).toBe(200);
      const line = await waitForLogLine(web.process, (l) => l.requestId === requestId && l.route !== undefined);
      expect(line).toEqual(
        expect.objectContaining({
          level: 'info',
          app: 'web-bff',
          requestId,
          traceId: TRACE_ID,
          route: '/api/dashboard',
          status: 200,
          durationMs: expect.any(Number),
          caller: 'u1',
        }),
      );
      expect(line.upstream).toEqual(expect.arrayContaining([expect.stringMatching(/^users:\d+ms:ok$/), expect.stringMatching(/^orders:\d+ms:ok$/)]));
      expect(line.req.headers.authorization).toBe('[Redacted]');
      expect(line.req.headers.cookie).toBe('[Redacted]');
      expect(jsonLogLines(web.process).filter((l) => l.requestId === requestId && l.route !== undefined)).toHaveLength(1);
    });

    it('puts the request id and trace id on every line logged while the request runs', async () => {
      const requestId = 'e2e-logs-failing-0002';
      await simControl(sims.urls.users).setFaults({ errorRate: 1, status: 500 });
      const res = await request(`${web.url}/api/dashboard`, { headers: { ...bearer(token), 'x-request-id': requestId, traceparent: traceparent() } });
      expect(res.status).toBe(502);
      await waitForLogLine(web.process, (l) => l.requestId === requestId && l.route === '/api/dashboard');
      const lines = jsonLogLines(web.process).filter((l) => l.requestId === requestId);
      // The failure (logged by the error filter) and the access line, at least.
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.map((l) => l.level)).toEqual(expect.arrayContaining(['warn', 'error']));
      for (const line of lines) expect(line.traceId).toBe(TRACE_ID);
    });

    it('names the partner by its key id and never logs a token, a cookie or an API key', async () => {
      const requestId = 'e2e-logs-partner-0003';
      const res = await request(`${partner.url}/v1/products?limit=2`, { headers: { 'x-api-key': PARTNER_KEY, cookie: COOKIE, 'x-request-id': requestId } });
      expect(res.status).toBe(200);
      const line = await waitForLogLine(partner.process, (l) => l.requestId === requestId && l.route !== undefined);
      expect(line).toEqual(expect.objectContaining({ route: '/v1/products', status: 200, caller: 'demo-gold' }));
      expect(line.req.headers['x-api-key']).toBe('[Redacted]');
      for (const output of [web.process.logs(), partner.process.logs()]) {
        expect(output).not.toContain(token);
        expect(output).not.toContain(token.split('.')[2]);
        expect(output).not.toContain('e2e-cookie-value-5f1c');
        expect(output).not.toContain(PARTNER_KEY);
      }
    });

    it('keeps health probes and metric scrapes out of the access log', async () => {
      const requestId = 'e2e-logs-probe-0004';
      await request(`${web.url}/health/live`, { headers: { 'x-request-id': requestId } });
      await request(`${web.managementUrl}/metrics`, { headers: { 'x-request-id': `${requestId}-m` } });
      await request(`${web.url}/api/products/p3`, { headers: { 'x-request-id': `${requestId}-p` } });
      await waitForLogLine(web.process, (l) => l.requestId === `${requestId}-p` && l.route !== undefined);
      expect(jsonLogLines(web.process).filter((l) => l.requestId === requestId || l.requestId === `${requestId}-m`)).toEqual([]);
    });
  });

  describe('metrics', () => {
    const scrape = async (bff: RunningBff) => {
      const res = await request(`${bff.managementUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text;
    };

    it('counts requests by route template, method and status as they are made', async () => {
      const ok = { app: 'web-bff', route: '/api/products/:id', method: 'GET', status: '200' };
      const denied = { app: 'web-bff', route: '/api/dashboard', method: 'GET', status: '401' };
      const before = await scrape(web);
      for (const id of ['p21', 'p22', 'p23']) expect((await request(`${web.url}/api/products/${id}`)).status).toBe(200);
      expect((await request(`${web.url}/api/dashboard`)).status).toBe(401);
      const after = await scrape(web);
      const name = 'gateway_http_request_duration_seconds_count';
      expect(metricValue(after, name, ok) - metricValue(before, name, ok)).toBe(3);
      expect(metricValue(after, name, denied) - metricValue(before, name, denied)).toBe(1);
      expect(after).not.toMatch(/route="\/api\/products\/p2\d"/);
    });

    it('serves upstream timings, aggregation completeness, process metrics and the other stages\u2019 metrics from the same registry', async () => {
      await simControl(sims.urls.reviews).setFaults({ mode: 'down' });
      expect((await request(`${web.url}/api/products/p31`)).status).toBe(200);
      const text = await scrape(web);
      expect(metricValue(text, 'gateway_upstream_request_duration_seconds_count', { app: 'web-bff', upstream: 'catalog', outcome: 'ok' })).toBeGreaterThan(0);
      expect(metricValue(text, 'gateway_aggregation_total', { app: 'web-bff', plan: 'product-page', complete: 'false' })).toBeGreaterThan(0);
      expect(metricValue(text, 'gateway_aggregation_total', { app: 'web-bff', plan: 'product-page', complete: 'true' })).toBeGreaterThan(0);
      expect(text).toMatch(/^process_cpu_seconds_total\{app="web-bff"\} /m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{app="web-bff"\} /m);
      expect(text).toMatch(/^# TYPE gateway_breaker_state gauge$/m);
    });

    it('is served on the management port only, never throttled there; the clients\u2019 port answers 404', async () => {
      const statuses = await Promise.all(Array.from({ length: 30 }, () => request(`${partner.managementUrl}/metrics`).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
      for (const bff of [web, partner]) {
        const res = await request(`${bff.url}/metrics`);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain('gateway_');
      }
    });

    it('labels upstream series by upstream name and instance index, never by address', async () => {
      const text = await scrape(web);
      expect(text).toMatch(/^gateway_breaker_state\{upstream="catalog",upstream_instance="0"/m);
      const values = [...text.matchAll(/\w+="((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
      expect(values.filter((v) => /(\d{1,3}\.){3}\d{1,3}|[\w.-]+:\d{2,5}\b|\w+:\/\/|localhost/i.test(v))).toEqual([]);
    });
  });

  describe('trace context without OpenTelemetry', () => {
    it('sends the client\u2019s trace id and the request id to every upstream of the request', async () => {
      const catalog = simControl(sims.urls.catalog);
      await catalog.clearStats();
      const traceId = 'aaaabbbbccccddddeeeeffff00001111';
      await request(`${web.url}/api/products/p41`, { headers: { traceparent: traceparent(traceId), 'x-request-id': 'e2e-trace-off-0005' } });
      const seen = (await catalog.stats()).lastRequests.filter((r) => r.headers['x-request-id'] === 'e2e-trace-off-0005');
      expect(seen.length).toBeGreaterThan(0);
      for (const r of seen) {
        expect(r.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
        expect(r.headers.traceparent).not.toContain('00f067aa0ba902b7');
      }
    });
  });

  describe('API docs', () => {
    /** `{/api/products/:id, GET}` from Nest's "Mapped ... route" start-up lines. */
    const mappedRoutes = (bff: RunningBff) =>
      jsonLogLines(bff.process)
        .map((l) => /^Mapped \{(\S+), (\w+)\} route$/.exec(l.msg ?? ''))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ path: m[1], method: m[2].toLowerCase() }));

    /** Nest's `:id` is OpenAPI's `{id}`; a wildcard is some `{param}` at the end. */
    const openApiPattern = (path: string) =>
      new RegExp(
        `^${path
          .replace(/[.+?^$()|[\]\\]/g, '\\$&')
          .replace(/:(\w+)/g, '\\{$1\\}')
          .replace(/\{?\*(\w*)\}?$/, '\\{[^}]+\\}')}$`,
      );

    it.each(['web-bff', 'mobile-bff', 'partner-bff'] as const)('%s lists every route it serves in /docs/json', async (name) => {
      const bff = { 'web-bff': web, 'mobile-bff': mobile, 'partner-bff': partner }[name];
      const res = await request(`${bff.url}/docs/json`);
      expect(res.status).toBe(200);
      const routes = mappedRoutes(bff);
      expect(routes.length).toBeGreaterThan(3);
      const documented = Object.entries<Record<string, unknown>>(res.body.paths);
      const missing = routes.filter(({ path, method }) => !documented.some(([p, item]) => openApiPattern(path).test(p) && item[method]));
      expect(missing).toEqual([]);
    });

    it('describes each app\u2019s own credential scheme and the shared problem+json schema', async () => {
      const [webDoc, partnerDoc] = await Promise.all([request(`${web.url}/docs/json`), request(`${partner.url}/docs/json`)]);
      expect(webDoc.body.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }) });
      expect(partnerDoc.body.components.securitySchemes).toEqual({ apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }) });
      expect(webDoc.body.paths['/api/dashboard'].get.security).toEqual([{ bearer: [] }]);
      expect(webDoc.body.paths['/api/products/{id}'].get.security).toBeUndefined();
      expect(partnerDoc.body.paths['/v1/orders'].post.responses['429'].headers['Retry-After']).toBeDefined();
      expect(partnerDoc.body.components.schemas.ProblemDetails).toBeDefined();
      expect(partnerDoc.body.components.schemas.CreateOrderDto.properties.customer_id).toBeDefined();
    });

    it('serves the UI and the document to anyone, never throttled', async () => {
      const ui = await request(`${partner.url}/docs`);
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toMatch(/text\/html/);
      const statuses = await Promise.all(Array.from({ length: 30 }, () => request(`${partner.url}/docs/json`).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    });
  });
});
