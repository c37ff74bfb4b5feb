import { BFF_CONFIGS, PROXY_PREFIX, type Server } from './stack';

/** One thing to load: which server, which URL, with what. */
export interface VariantSpec {
  id: string;
  label: string;
  description: string;
  server: Server;
  path: string;
  headers?: Record<string, string>;
  /** Rotate through the tokens of this file (one per request). */
  tokenFile?: string;
  /** Rotate through the paths of this file (one per request); `path` is then the first, for probes. */
  pathFile?: string;
  /** Measure Redis commands per request (the Redis limiter). */
  redis?: boolean;
  notes?: string[];
}

export interface ScenarioSpec {
  id: string;
  title: string;
  baselineId: string;
  /** Sim faults (latency) set on the catalog, reviews and inventory upstreams for the whole scenario. */
  upstreamLatencyMs?: number;
  variants: VariantSpec[];
  notes: string[];
}

export const PRODUCT_PATH = '/products/p1';
export const PROXY_PATH = `${PROXY_PREFIX}${PRODUCT_PATH}`;
export const AGGREGATED_PATH = '/api/products/p1';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function proxyScenario(s: Record<string, Server>, token: string): ScenarioSpec {
  return {
    id: 'proxy',
    title: 'Pass-through proxy: GET /products/p1 of the catalog sim (484-byte JSON)',
    baselineId: 'reply-from',
    variants: [
      { id: 'direct', label: 'direct to the upstream', description: 'wrk straight at the catalog sim: the ceiling (CPU column is the sim\'s)', server: s.sim, path: PRODUCT_PATH },
      { id: 'nginx', label: 'nginx proxy_pass', description: 'nginx, 1 worker, upstream keepalive 128, no access log', server: s.nginx, path: PROXY_PATH },
      { id: 'reply-from', label: 'Fastify + reply-from', description: 'bare Fastify 5 with @fastify/reply-from (undici pool), no logging (test/bench/baselines/reply-from-proxy.mjs)', server: s['reply-from'], path: PROXY_PATH },
      { id: 'bff-bare', label: 'BFF proxy, bare', description: `web-bff /api/catalog/* (public route), no token; ${BFF_CONFIGS.bare.description}`, server: s['bff-bare'], path: PROXY_PATH },
      { id: 'bff-jwt', label: 'BFF + JWT', description: 'as bare, with a bearer JWT (verified once, then from the verified-token cache)', server: s['bff-bare'], path: PROXY_PATH, headers: bearer(token) },
      { id: 'bff-limiter', label: 'BFF + JWT + memory limiter', description: `JWT; ${BFF_CONFIGS.limiter.description}`, server: s['bff-limiter'], path: PROXY_PATH, headers: bearer(token) },
      { id: 'bff-redis-only', label: 'BFF + Redis limiter', description: `no token (the limiter keys on the client address); ${BFF_CONFIGS.redis.description}`, server: s['bff-redis'], path: PROXY_PATH, redis: true },
      { id: 'bff-redis', label: 'BFF + JWT + Redis limiter', description: `JWT; ${BFF_CONFIGS.redis.description}`, server: s['bff-redis'], path: PROXY_PATH, headers: bearer(token), redis: true },
      { id: 'bff-full', label: 'BFF + JWT + limiter + metrics + access logs', description: `JWT; ${BFF_CONFIGS.full.description}`, server: s['bff-full'], path: PROXY_PATH, headers: bearer(token) },
    ],
    notes: [
      'web-bff has one proxy route, /api/catalog/*, and it is public: a bearer token there is verified when sent (optional authentication) and the caller identified, but never required. No app declares an authenticated proxy route, so "with JWT" is that route with a valid token.',
    ],
  };
}

export function authScenario(s: Record<string, Server>, token: string, tokenFile: string, tokens: number, cacheSize: number): ScenarioSpec {
  return {
    id: 'auth',
    title: 'Auth: a JWT verified on every request vs one seen before',
    baselineId: 'jwt-cached',
    variants: [
      { id: 'jwt-cached', label: 'same token every request', description: 'bare web-bff proxy route, one bearer token (a verified-token cache hit after the first)', server: s['bff-bare'], path: PROXY_PATH, headers: bearer(token) },
      {
        id: 'jwt-verify',
        label: 'new token every request',
        description: `same route, each request the next of ${tokens} distinct tokens (wrk/rotate-tokens.lua, one wrk thread, each run going on where the last stopped): a token comes back only after ${tokens - 1} others, more than the ${cacheSize}-entry LRU cache holds, so every request is a full ES256 verification`,
        server: s['bff-bare'],
        path: PROXY_PATH,
        tokenFile,
      },
    ],
    notes: ['The verified-token cache size is not configurable (AuthModule.forRoot takes it, the config does not), so the cache is defeated by rotating more tokens than it holds rather than turned off.'],
  };
}

/** The product pages the aggregation scenarios walk through, one per request. */
export const AGGREGATED_PRODUCTS = 100;
export const aggregatedPaths = () => Array.from({ length: AGGREGATED_PRODUCTS }, (_, i) => `/api/products/p${i + 1}`);

export function aggregationScenario(s: Record<string, Server>, token: string, latencyMs: number, pathFile: string): ScenarioSpec {
  const suffix = latencyMs ? `-${latencyMs}ms` : '';
  const common = { path: AGGREGATED_PATH, pathFile };
  return {
    id: `aggregation${suffix}`,
    title: `Aggregation: web-bff GET /api/products/:id (product + stock over gRPC + reviews + related), upstreams +${latencyMs} ms`,
    baselineId: `fanout${suffix}`,
    upstreamLatencyMs: latencyMs,
    variants: [
      { id: `fanout${suffix}`, label: 'hand-written fan-out', description: 'Fastify + undici pools + a grpc-js client, the same four calls (three HTTP, one gRPC) and body (test/bench/baselines/fanout.mjs)', server: s.fanout, ...common },
      { id: `bff-bare${suffix}`, label: 'BFF, bare', description: `web-bff product page, no token; ${BFF_CONFIGS.bare.description}`, server: s['bff-bare'], ...common },
      { id: `bff-full${suffix}`, label: 'BFF, production settings', description: `web-bff product page with a bearer token; ${BFF_CONFIGS.full.description}`, server: s['bff-full'], headers: bearer(token), ...common },
    ],
    notes: [
      `Each request asks for the next of products p1..p${AGGREGATED_PRODUCTS} (wrk/rotate-paths.lua), so concurrent requests rarely share a product: the BFF's coalescing of identical in-flight calls (which the hand-written fan-out lacks) then saves little, and both do the same upstream work. With one hot product the BFF would make far fewer upstream calls than the fan-out.`,
      ...(latencyMs
        ? [`Sim faults { latencyMs: ${latencyMs} } on catalog, reviews and inventory for the whole scenario: related products wait for the product, so a request takes at least ${2 * latencyMs} ms.`]
        : []),
    ],
  };
}
