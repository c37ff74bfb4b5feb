/**
 * The environment variables a BFF reads, each mapped to one config key. Anything
 * else is set through CONFIG_FILE. `UPSTREAM_<NAME>_URLS`, `_TIMEOUT_MS`,
 * `_PROTOCOL` and `_CRITICAL` work for any upstream name (`UPSTREAM_CATALOG_URLS=http://a:4002,http://b:4002`).
 */
const ENV_KEYS: Record<string, { key: string; type: 'string' | 'int' | 'bool' | 'list' | 'json' }> = {
  PORT: { key: 'http.port', type: 'int' },
  HOST: { key: 'http.host', type: 'string' },
  BODY_LIMIT_BYTES: { key: 'http.bodyLimitBytes', type: 'int' },
  REQUEST_TIMEOUT_MS: { key: 'http.requestTimeoutMs', type: 'int' },
  HEADERS_TIMEOUT_MS: { key: 'http.headersTimeoutMs', type: 'int' },
  OVERLOAD_ENABLED: { key: 'overload.enabled', type: 'bool' },
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: { key: 'overload.maxEventLoopDelayMs', type: 'int' },
  OVERLOAD_MAX_HEAP_USED_BYTES: { key: 'overload.maxHeapUsedBytes', type: 'int' },
  MAX_CONNECTIONS_PER_ADDRESS: { key: 'http.maxConnectionsPerAddress', type: 'int' },
  MAX_JSON_DEPTH: { key: 'http.maxJsonDepth', type: 'int' },
  KEEP_ALIVE_TIMEOUT_MS: { key: 'http.keepAliveTimeoutMs', type: 'int' },
  TRUST_PROXY: { key: 'http.trustProxy', type: 'string' },
  DEFAULT_DEADLINE_MS: { key: 'http.defaultDeadlineMs', type: 'int' },
  CORS_ORIGINS: { key: 'http.corsOrigins', type: 'string' },
  TLS_CERT_FILE: { key: 'tls.certFile', type: 'string' },
  TLS_KEY_FILE: { key: 'tls.keyFile', type: 'string' },
  JWKS_URL: { key: 'auth.jwt.jwksUrl', type: 'string' },
  JWT_ISSUER: { key: 'auth.jwt.issuer', type: 'string' },
  JWT_AUDIENCE: { key: 'auth.jwt.audience', type: 'string' },
  API_KEYS: { key: 'auth.apiKeys', type: 'json' },
  REDIS_URL: { key: 'redis.url', type: 'string' },
  REDIS_COMMAND_TIMEOUT_MS: { key: 'redis.commandTimeoutMs', type: 'int' },
  REDIS_KEY_PREFIX: { key: 'redis.keyPrefix', type: 'string' },
  THROTTLE_ENABLED: { key: 'throttling.enabled', type: 'bool' },
  THROTTLE_LIMITS: { key: 'throttling.limits', type: 'json' },
  THROTTLE_TIERS: { key: 'throttling.tiers', type: 'json' },
  THROTTLE_DEFAULT_TIER: { key: 'throttling.defaultTier', type: 'string' },
  THROTTLE_ON_REDIS_ERROR: { key: 'throttling.onRedisError', type: 'string' },
  IDEMPOTENCY_ON_STORE_ERROR: { key: 'idempotency.onStoreError', type: 'string' },
  THROTTLE_AUTH_FAILURES_ENABLED: { key: 'throttling.authFailures.enabled', type: 'bool' },
  THROTTLE_AUTH_FAILURES_LIMIT: { key: 'throttling.authFailures.limit', type: 'int' },
  THROTTLE_AUTH_FAILURES_TTL_MS: { key: 'throttling.authFailures.ttlMs', type: 'int' },
  THROTTLE_AUTH_FAILURES_BLOCK_MS: { key: 'throttling.authFailures.blockMs', type: 'int' },
  DRAIN_DELAY_MS: { key: 'shutdown.drainDelayMs', type: 'int' },
  SHUTDOWN_GRACE_MS: { key: 'shutdown.gracePeriodMs', type: 'int' },
  LOG_LEVEL: { key: 'observability.logLevel', type: 'string' },
  LOG_PRETTY: { key: 'observability.prettyLogs', type: 'bool' },
  ACCESS_LOG: { key: 'observability.accessLog', type: 'bool' },
};

const UPSTREAM_ENV = /^UPSTREAM_([A-Z0-9_]+)_(URLS|TIMEOUT_MS|PROTOCOL|CRITICAL)$/;

export interface EnvOverrides {
  values: Record<string, unknown>;
  /** config key -> the env variable it came from, so errors can name it. */
  sources: Map<string, string>;
}

export function envOverrides(env: NodeJS.ProcessEnv): EnvOverrides {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const set = (name: string, key: string, value: unknown) => {
    const parts = key.split('.');
    let node = values;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = value;
    sources.set(key, name);
  };

  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || raw === '') continue;
    const known = ENV_KEYS[name];
    if (known) {
      set(name, known.key, parse(name, raw, known.type));
      continue;
    }
    const upstream = UPSTREAM_ENV.exec(name);
    if (upstream) {
      const key = `upstreams.${upstream[1].toLowerCase().replace(/_/g, '-')}`;
      if (upstream[2] === 'URLS') set(name, `${key}.urls`, parse(name, raw, 'list'));
      else if (upstream[2] === 'PROTOCOL') set(name, `${key}.protocol`, raw.trim());
      else if (upstream[2] === 'CRITICAL') set(name, `${key}.critical`, parse(name, raw, 'bool'));
      else set(name, `${key}.timeoutMs`, parse(name, raw, 'int'));
    }
  }
  return { values, sources };
}

function parse(name: string, raw: string, type: 'string' | 'int' | 'bool' | 'list' | 'json'): unknown {
  switch (type) {
    case 'int':
      // Left as the raw string when not an integer, so validation names the key.
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'bool':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        return `${name} is not valid JSON`;
      }
    default:
      return raw;
  }
}
