import { simControl } from '../../src/support/sims';
import { httpGet } from './processes';
import { commandsPerRequest, monitorRedis, parseMonitor, redisCommandCalls } from './redis-info';
import { shapeDifferences } from './payload-shape';
import { AGGREGATED_PATH, PRODUCT_PATH, PROXY_PATH } from './scenarios';
import type { Server, Stack } from './stack';

export interface Findings {
  /** What was found, for the report. */
  features: Record<string, string>;
  /** Problems that void a comparison, by target id. */
  blockers: Record<string, string[]>;
  /** Things that change what a figure means, by target id. */
  caveats: Record<string, string[]>;
  notes: string[];
  /** Redis command names the Redis-limiter BFF sent itself (not those its Lua scripts ran), when MONITOR could tell. */
  redisCommandsSent?: string[];
}

const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit', 'x-ratelimit-limit', 'ratelimit-policy'];
const hasRateLimitHeaders = (headers: Record<string, unknown>) => RATE_LIMIT_HEADERS.some((h) => headers[h] !== undefined);

/**
 * Finds out, by asking the running processes, what the gateway under test
 * actually has (limiter, Redis use, metrics, access logs, token checks) rather
 * than assuming it: other teams change the kernel while this bench exists.
 */
export async function probe(stack: Stack, servers: Record<string, Server | undefined>, token: string, rotatingSample: string[]): Promise<Findings> {
  const f: Findings = { features: {}, blockers: {}, caveats: {}, notes: [] };
  const block = (id: string, why: string) => (f.blockers[id] ??= []).push(why);
  const caveat = (id: string, why: string) => (f.caveats[id] ??= []).push(why);
  const auth = { authorization: `Bearer ${token}` };
  const { bare, limiter, redis, full, nginx } = {
    bare: servers['bff-bare'],
    limiter: servers['bff-limiter'],
    redis: servers['bff-redis'],
    full: servers['bff-full'],
    nginx: servers.nginx,
  };

  // Every pass-through variant must hand back the same payload.
  const direct = await httpGet(`${stack.sims!.urls.catalog}${PRODUCT_PATH}`);
  const sizes: string[] = [`direct ${direct.body.length} B`];
  for (const [name, server] of Object.entries({ nginx, 'reply-from': servers['reply-from'], 'bff-bare': bare })) {
    if (!server) continue;
    const res = await httpGet(`${server.url}${PROXY_PATH}`);
    sizes.push(`${name} ${res.status} ${res.body.length} B`);
    if (res.status !== 200 || res.body !== direct.body) f.notes.push(`${name} did not return the upstream's body unchanged (status ${res.status}, ${res.body.length} B).`);
  }
  f.features['pass-through payload'] = sizes.join(', ');

  if (bare) {
    const res = await httpGet(`${bare.url}${PROXY_PATH}`, auth);
    const last = (await simControl(stack.sims!.urls.catalog).stats()).lastRequests.at(-1);
    const userId = last?.headers['x-user-id'];
    f.features['JWT on the public proxy route'] = userId
      ? `verified when sent (upstream got x-user-id: ${userId})`
      : `status ${res.status}; the upstream got no x-user-id, so the token may not have been verified`;
    if (!userId) caveat('proxy-rps', 'the token sent to the proxy route did not reach the upstream as x-user-id: JWT verification may not run there');
    if (hasRateLimitHeaders(res.headers)) f.notes.push('THROTTLE_ENABLED=false still answered with RateLimit headers: the "bare" BFF is not limiter-free.');
    const agg = await httpGet(`${bare.url}${AGGREGATED_PATH}`);
    f.features['aggregated endpoint'] = `GET ${AGGREGATED_PATH}: ${agg.status}, ${agg.body.length} B, x-aggregation-complete: ${agg.headers['x-aggregation-complete'] ?? 'absent'}`;
    if (servers.fanout) await compareAggregations(f, servers.fanout, agg, block, caveat);
  }

  const checker = limiter ?? full ?? bare;
  if (checker) {
    const res = await httpGet(`${checker.url}/api/dashboard`, auth);
    f.features['bench token'] = `GET /api/dashboard (authenticated) with it: ${res.status}`;
    if (res.status !== 200) f.notes.push(`The bench's token was refused by an authenticated route (${res.status}): JWT figures are suspect.`);
    const refused = [];
    for (const t of rotatingSample) {
      const r = await httpGet(`${checker.url}/api/dashboard`, { authorization: `Bearer ${t}` });
      if (r.status !== 200) refused.push(r.status);
    }
    if (rotatingSample.length) {
      f.features['rotating tokens'] = refused.length ? `${refused.length}/${rotatingSample.length} sampled refused (${refused.join(', ')})` : `${rotatingSample.length} sampled, all accepted`;
      if (refused.length) block('auth', 'rotating tokens were refused');
    }
  }

  if (limiter) {
    const res = await httpGet(`${limiter.url}${PROXY_PATH}`, auth);
    const shown = RATE_LIMIT_HEADERS.filter((h) => res.headers[h] !== undefined).map((h) => `${h}: ${res.headers[h]}`);
    f.features['in-memory limiter'] = shown.length ? `active (${shown.join(', ')})` : 'NOT active: no RateLimit headers with THROTTLE_ENABLED=true';
    if (!shown.length) {
      caveat('proxy-rps', 'the limiter is not active in this build, so the "limiter" stage is not in the figure');
      caveat('proxy-p99', 'limiter not active in this build');
      block('redis-limiter', 'the limiter is not active in this build (no RateLimit headers), so there is nothing to compare');
    }
  }

  if (redis && stack.redisPort) {
    const port = stack.redisPort;
    const before = await redisCommandCalls(port);
    const monitor = await monitorRedis(port).catch((error: Error) => error);
    for (let i = 0; i < 5; i++) await httpGet(`${redis.url}${PROXY_PATH}`, auth);
    const seen = monitor instanceof Error ? undefined : parseMonitor(await monitor.stop());
    const all = commandsPerRequest(before, await redisCommandCalls(port), 5);
    const total = all.reduce((a, c) => a + c.perRequest, 0);
    const list = (counts: Record<string, number>) => Object.entries(counts).map(([c, n]) => `${c} ${(n / 5).toFixed(1)}`).join(', ') || 'none';
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, n) => a + n, 0) / 5;
    if (total <= 0) {
      f.features['Redis limiter'] = 'NOT in use: no Redis commands while serving';
      for (const id of ['redis-limiter', 'proxy-redis', 'redis-commands']) block(id, 'the REDIS_URL build sent no commands to Redis while serving');
    } else if (seen) {
      // What a request costs in Redis, the gateway's round trips apart from what its scripts run there.
      f.redisCommandsSent = Object.keys(seen.sent);
      f.features['Redis limiter'] =
        `in use: per request (over 5) the gateway sent ${sum(seen.sent).toFixed(1)} commands (${list(seen.sent)}) and its Lua scripts ran ${sum(seen.scripted).toFixed(1)} more (${list(seen.scripted)}); ` +
        `Redis counts both, ${total.toFixed(1)} per request, and the bench counts only the names the gateway sent`;
      const both = f.redisCommandsSent.filter((c) => seen.scripted[c]);
      if (both.length) caveat('redis-commands', `${both.join(', ')} is sent by the gateway and run by its scripts too, so the count of sent commands includes the scripts' ones`);
    } else {
      f.features['Redis limiter'] = `in use (${total.toFixed(1)} commands per request: ${all.map((c) => `${c.command} ${c.perRequest.toFixed(1)}`).join(', ')})`;
      caveat('redis-commands', `MONITOR failed (${(monitor as Error).message}), so commands run inside Lua scripts are counted as sent`);
    }
  }

  const metricsOf = full ?? bare;
  if (metricsOf) {
    const res = await httpGet(metricsOf.metricsUrl ?? `${metricsOf.url}/metrics`);
    f.features['metrics'] = res.status === 200 ? `GET /metrics 200 (${res.body.split('\n').filter((l) => l && !l.startsWith('#')).length} series)` : `GET /metrics ${res.status}: no metrics in this build`;
    if (res.status !== 200) {
      caveat('proxy-rps', 'no /metrics in this build, so the metrics stage is not in the figure');
      caveat('proxy-p99', 'no metrics in this build');
    } else {
      f.notes.push('Metrics cannot be turned off by configuration, so every BFF variant, "bare" included, carries them.');
    }
  }

  if (full?.proc) {
    const before = full.proc.logBytes();
    for (let i = 0; i < 5; i++) await httpGet(`${full.url}${PROXY_PATH}`, auth);
    // Lines leave in batches, at the latest 250 ms after they were logged.
    await new Promise((r) => setTimeout(r, 600));
    const perRequest = (full.proc.logBytes() - before) / 5;
    f.features['access logs (LOG_LEVEL=info, ACCESS_LOG=true)'] = perRequest > 0 ? `${perRequest.toFixed(0)} bytes logged per request` : 'nothing logged per request: no access log in this build';
    if (perRequest <= 0) {
      caveat('proxy-rps', 'no access log is written in this build');
      f.notes.push('Access logs: the production configuration logged nothing per request, so the observability module (access logs) is not in this build; the "full" variant runs without them.');
    }
  }
  return f;
}

/**
 * The hand-written fan-out must answer the product page the BFF answers:
 * the same fields (so the same sources, gRPC stock included) and, from the
 * same sims, the same values. A different shape voids the aggregation
 * targets, as it would compare different work.
 */
async function compareAggregations(
  f: Findings,
  fanout: Server,
  bff: { status: number; headers: Record<string, unknown>; body: string },
  block: (id: string, why: string) => void,
  caveat: (id: string, why: string) => void,
): Promise<void> {
  const base = await httpGet(`${fanout.url}${AGGREGATED_PATH}`);
  const parse = (text: string) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };
  const [a, b] = [parse(base.body), parse(bff.body)];
  if (base.status !== 200 || bff.status !== 200 || a === undefined || b === undefined) {
    f.features['product page payload'] = `fan-out ${base.status} ${base.body.length} B, BFF ${bff.status} ${bff.body.length} B: not both JSON 200s`;
    block('aggregation', 'the fan-out baseline and the BFF did not both answer the product page with JSON 200');
    return;
  }
  const differences = shapeDifferences(a, b, ['fan-out', 'BFF']);
  const complete = [base.headers['x-aggregation-complete'], bff.headers['x-aggregation-complete']];
  f.features['product page payload'] =
    `fan-out ${base.body.length} B, BFF ${bff.body.length} B: ` +
    (differences.length ? `DIFFERENT SHAPES (${differences.slice(0, 4).join('; ')}${differences.length > 4 ? '; …' : ''})` : JSON.stringify(a) === JSON.stringify(b) ? 'the same body' : 'the same shape, different values') +
    `; x-aggregation-complete ${complete.map(String).join(' / ')}`;
  if (differences.length) block('aggregation', `the fan-out baseline answers the product page in another shape than the BFF (${differences.slice(0, 2).join('; ')}), so it does other work`);
  if (complete.some((c) => c !== 'true')) caveat('aggregation', 'a source was missing from the fan-out\'s or the BFF\'s product page when probed');
}
