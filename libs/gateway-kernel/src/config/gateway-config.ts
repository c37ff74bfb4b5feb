import { plainToInstance, Transform } from 'class-transformer';
import { APP_VERSION } from './app-version';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  NotEquals,
  ValidateBy,
  ValidateIf,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { EntriesOf, ListOf, Section, Setting } from './setting.decorator';

/**
 * The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days):
 * a longer one fires after 1 ms instead. Every duration setting stops here.
 */
export const MAX_TIMER_MS = 2_147_483_647;

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Listener limits: every client connection is bounded in size and time. */
export class HttpConfig {
  @Setting('Port the BFF listens on (each app sets its own: 3001, 3002, 3003).', { env: 'PORT' })
  @IsInt() @Min(0) @Max(65535) port = 3000;
  @Setting('Address the BFF listens on.', { env: 'HOST' })
  @IsString() host = '0.0.0.0';
  @Setting(
    "Port of the management listener, the only place `GET /metrics` is served (never on `port`); 0: metrics are not served. Each app sets its own: 9101, 9102, 9103.",
    { env: 'MANAGEMENT_PORT' },
  )
  @IsInt() @Min(0) @Max(65535) managementPort = 0;
  @Setting('Largest request body accepted; larger ones get 413.', { env: 'BODY_LIMIT_BYTES' })
  @IsInt() @Min(1024) bodyLimitBytes = 1_048_576;
  @Setting('The whole request (headers and body) must arrive within this.', { env: 'REQUEST_TIMEOUT_MS' })
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) requestTimeoutMs = 30_000;
  @Setting("The request's headers must arrive within this (slow-header clients are cut here).", { env: 'HEADERS_TIMEOUT_MS' })
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) headersTimeoutMs = 10_000;
  @Setting('Open connections one client address may hold; more are closed at once. 0: no cap.', { env: 'MAX_CONNECTIONS_PER_ADDRESS' })
  @IsInt() @Min(0) maxConnectionsPerAddress = 256;
  @Setting('JSON bodies nested deeper than this are refused with 400 before they are parsed.', { env: 'MAX_JSON_DEPTH' })
  @IsInt() @Min(1) @Max(1_000) maxJsonDepth = 32;
  @Setting("Idle keep-alive sockets close after this; keep it above the load balancer's idle timeout.", { env: 'KEEP_ALIVE_TIMEOUT_MS' })
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) keepAliveTimeoutMs = 72_000;
  @Setting('A new connection must send its first request within this.')
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) connectionTimeoutMs = 10_000;
  @Setting(
    'Proxies to trust for the client address: a hop count (`1`) or comma-separated addresses/CIDRs (`10.0.0.0/8,127.0.0.1`); never `true`. Unset: trust none (the socket address).',
    { env: 'TRUST_PROXY' },
  )
  @IsOptional() @IsString() @Matches(/^(\d{1,2}|[0-9a-fA-F:./]+(\s*,\s*[0-9a-fA-F:./]+)*)$/, {
    message: 'must be a hop count or a comma-separated list of addresses/CIDRs (never "true")',
  })
  trustProxy?: string;
  @Setting('Deadline of a route that declares none: every upstream call it makes must finish within it (504 otherwise).', { env: 'DEFAULT_DEADLINE_MS' })
  @IsInt() @Min(50) @Max(MAX_TIMER_MS) defaultDeadlineMs = 5_000;
  @Setting('Comma-separated origins allowed by CORS (`https://app.example.com,https://admin.example.com`). Unset: CORS off, no `Access-Control-*` headers.', { env: 'CORS_ORIGINS' })
  @IsOptional() @IsString() corsOrigins?: string;
}

/**
 * Load shedding (@fastify/under-pressure): past these, requests get 503 with
 * Retry-After at once instead of queueing; `/health/live` (and `/metrics`,
 * on the management port) still answer. 0 switches a check off.
 */
export class OverloadConfig {
  @Setting('Shed load (503 with `Retry-After`) past the limits below.', { env: 'OVERLOAD_ENABLED' })
  @IsBoolean() enabled = true;
  @Setting('Event-loop delay past which requests are shed. 0: not checked.', { env: 'OVERLOAD_MAX_EVENT_LOOP_DELAY_MS' })
  @IsInt() @Min(0) @Max(MAX_TIMER_MS) maxEventLoopDelayMs = 1_000;
  @Setting('Heap in use past which requests are shed. 0: not checked.', { env: 'OVERLOAD_MAX_HEAP_USED_BYTES' })
  @IsInt() @Min(0) maxHeapUsedBytes = 0;
  @Setting('How often the event loop and heap are sampled.')
  @IsInt() @Min(10) @Max(10_000) sampleIntervalMs = 1_000;
  @Setting('`Retry-After` of a shed request.')
  @IsInt() @Min(1) @Max(3_600) retryAfterSeconds = 5;
}

/** @Idempotent writes when their store (Redis) fails: refuse them with 503 (no double writes), or run them unprotected. */
export class IdempotencyConfig {
  @Setting('When the idempotency store (Redis) fails: `fail-closed` refuses `@Idempotent` writes with 503 (no double writes), `fail-open` runs them unprotected.', { env: 'IDEMPOTENCY_ON_STORE_ERROR' })
  @IsIn(['fail-open', 'fail-closed']) onStoreError: 'fail-open' | 'fail-closed' = 'fail-closed';
}

/** HTTPS with HTTP/2 by ALPN when both files are set. */
export class TlsConfig {
  @Setting('PEM certificate (chain) file.', { env: 'TLS_CERT_FILE' })
  @IsString() certFile: string;
  @Setting('PEM private key file.', { env: 'TLS_KEY_FILE' })
  @IsString() keyFile: string;
  @Setting('Offer HTTP/2 by ALPN (HTTP/1.1 clients are still served).')
  @IsBoolean() http2 = true;
}

/** Resilience settings of one upstream. */
export class RetryConfig {
  @Setting('Retries after the first attempt (0: never retry; the stage is dropped).')
  @IsInt() @Min(0) @Max(5) maxAttempts = 2;
  @Setting('First backoff delay (exponential, with jitter).')
  @IsInt() @Min(1) @Max(MAX_TIMER_MS) baseDelayMs = 25;
  @Setting('Longest backoff delay.')
  @IsInt() @Min(1) @Max(MAX_TIMER_MS) maxDelayMs = 250;
  @Setting('Retries may be at most this fraction of recent requests (a retry budget).')
  @IsNumber() @Min(0) @Max(1) budgetRatio = 0.2;
  @Setting('Retries always allowed per second regardless of the ratio, so low traffic can retry.')
  @IsInt() @Min(0) minRetriesPerSecond = 5;
  @Setting("Each attempt's own timeout inside the deadline, so a hung attempt leaves time for another (0: an attempt may use all that is left).")
  @IsInt() @Min(0) @Max(MAX_TIMER_MS) perTryTimeoutMs = 0;
}

/**
 * One breaker per instance, set per upstream (`upstreams.<name>.breaker`):
 * while open, calls to that instance fail at once with 503. It counts each
 * attempt's upstream outcome (5xx, reset, timeout; never a local error or a
 * cancelled call) and opens on the failure rate over `windowMs` once
 * `minimumCalls` attempts were seen there.
 */
export class BreakerConfig {
  @Setting('False drops the breaker stage.')
  @IsBoolean() enabled = true;
  @Setting(
    'Also opens after this many consecutive failed attempts; 0 (the default): off, since a few failing requests with their retries would open it for every route.',
  )
  @IsInt() @Min(0) consecutiveFailures = 0;
  @Setting('Opens when more than this fraction of attempts failed in the window (with at least `minimumCalls`); 1: rate check off.')
  @IsNumber() @Min(0.01) @Max(1) failureRateThreshold = 0.5;
  @Setting('Window over which the failure rate is counted.')
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) windowMs = 10_000;
  @Setting('Calls in the window before the failure rate can open it.')
  @IsInt() @Min(1) minimumCalls = 20;
  @Setting('How long it stays open before letting one probe through.')
  @IsInt() @Min(50) @Max(MAX_TIMER_MS) halfOpenAfterMs = 5_000;
}

/** Outlier detection: an instance that keeps failing leaves the balancer's rotation for a while. */
export class OutlierConfig {
  @Setting('Failures in a row (5xx, connection error, timeout) that eject an instance...')
  @IsInt() @Min(1) consecutiveFailures = 5;
  @Setting('...for this long; then it is brought back with a clean record.')
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) ejectionMs = 10_000;
  @Setting("At most this share (percent) of an upstream's instances is ejected at once (at least one); 0 turns ejection off.")
  @IsInt() @Min(0) @Max(100) maxEjectedPercent = 50;
}

/** Caching of one upstream's GET answers (buffered calls only; the proxy streams). */
export class UpstreamCacheConfig {
  @Setting('False drops the cache stage: nothing is stored or looked up.')
  @IsBoolean() enabled = true;
  @Setting('A stale entry may answer for this long past its freshness when the upstream fails (5xx, timeout, open breaker).')
  @IsInt() @Min(0) @Max(MAX_TIMER_MS) staleIfErrorMs = 30_000;
  @Setting('Larger bodies are never stored.')
  @IsInt() @Min(0) maxEntryBytes = 262_144;
}

/**
 * How the gateway trusts an upstream it reaches over TLS (`https://` URLs,
 * HTTP and gRPC alike) and proves itself to it. The files are PEM, read and
 * checked once at start (config/upstream-tls); without `caFile` the
 * system's CAs are trusted.
 */
export class UpstreamTlsConfig {
  @Setting("CA certificate(s) the upstream's certificate must chain to, in place of the system's (a private CA).", { env: 'UPSTREAM_<NAME>_TLS_CA_FILE' })
  @IsOptional() @IsString() caFile?: string;
  @Setting('Client certificate (chain) presented to the upstream (mutual TLS); needs `keyFile`.', { env: 'UPSTREAM_<NAME>_TLS_CERT_FILE' })
  @IsOptional() @IsString() certFile?: string;
  @Setting("The client certificate's private key; needs `certFile`.", { env: 'UPSTREAM_<NAME>_TLS_KEY_FILE' })
  @IsOptional() @IsString() keyFile?: string;
  @Setting("Name sent as SNI and checked against the upstream's certificate; default the URL's host.", { env: 'UPSTREAM_<NAME>_TLS_SERVER_NAME' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, { message: 'must be a host name' }) serverName?: string;
}

/** How an upstream's instances can be reached; each protocol has its transport (upstream/transports). */
export const UPSTREAM_PROTOCOLS = ['http', 'grpc'] as const;
export type UpstreamProtocol = (typeof UPSTREAM_PROTOCOLS)[number];

/**
 * The contract of a gRPC upstream: a `.proto` file under the proto root and
 * the service in it, loaded once at start. Instances are dialled at their
 * URL's host and port, with TLS for `https://` and without for `http://`.
 */
export class GrpcUpstreamConfig {
  @Setting('The `.proto` file, relative to the proto root: `inventory/v1/inventory.proto`.')
  @IsString() @Matches(/^(?!\/)(?!.*\.\.)[\w./-]+\.proto$/, { message: 'must be a relative path to a .proto file' }) protoFile: string;
  @Setting('The service in it, fully qualified: `inventory.v1.Inventory`.')
  @IsString() @Matches(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/) service: string;
  @Setting("Where `protoFile` is looked up; default the `proto/` folder beside the app's main script, else the nearest above the working directory.")
  @IsOptional() @IsString() protoRoot?: string;
}

export class UpstreamConfig {
  @Setting("What its instances speak, which picks the pipeline's last stage; every other stage is the same for all.", { env: 'UPSTREAM_<NAME>_PROTOCOL' })
  @IsIn(UPSTREAM_PROTOCOLS) protocol: UpstreamProtocol = 'http';
  @ValidateIf((upstream: UpstreamConfig) => upstream.protocol === 'grpc' || upstream.grpc !== undefined)
  @IsDefined({ message: 'is required when protocol is grpc' })
  @Section(() => GrpcUpstreamConfig, 'The contract of a gRPC upstream; required when `protocol` is `grpc`.')
  grpc?: GrpcUpstreamConfig;
  @Setting('Readiness depends on it: false for an upstream the app can serve without (degraded pages), so its outage never takes every replica out of rotation.', { env: 'UPSTREAM_<NAME>_CRITICAL' })
  @IsBoolean() critical = true;
  @Setting("One or more instance base URLs; a path in the URL is the upstream's prefix.", { env: 'UPSTREAM_<NAME>_URLS' })
  @IsArray() @ArrayMinSize(1) @IsUrl(URL_OPTIONS, { each: true }) urls: string[];
  @IsOptional()
  @Section(() => UpstreamTlsConfig, "A private CA, a client certificate and the name to check, for `https://` URLs; unset: the system's CAs, no client certificate.")
  tls?: UpstreamTlsConfig;
  @Setting("Per-call ceiling; the route's remaining deadline may shorten it.", { env: 'UPSTREAM_<NAME>_TIMEOUT_MS' })
  @IsInt() @Min(10) @Max(MAX_TIMER_MS) timeoutMs = 3_000;
  @Setting('A connection to an instance must open within this.')
  @IsInt() @Min(10) @Max(MAX_TIMER_MS) connectTimeoutMs = 1_000;
  @Setting('Connections kept per instance (undici pool size).')
  @IsInt() @Min(1) @Max(4096) connections = 128;
  @Setting('Larger upstream answers are refused (502).')
  @IsInt() @Min(1024) maxResponseBytes = 5_242_880;
  @Setting("Idle upstream sockets close after this; keep it below the upstream's own idle timeout.")
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) keepAliveTimeoutMs = 4_000;
  @Setting('How calls are spread over the instances.')
  @IsIn(['round-robin', 'least-outstanding']) balancing: 'round-robin' | 'least-outstanding' = 'round-robin';
  @Section(() => RetryConfig, 'Retries of safe calls, within the deadline and a retry budget.') retry = new RetryConfig();
  @Section(() => BreakerConfig, 'One breaker per instance: while open, calls to that instance fail at once with 503.') breaker = new BreakerConfig();
  @Setting('Readiness probes GET this path on every instance; empty: check the connection only.')
  @IsString() healthPath = '/health';
  @Setting('Cache TTL for GETs when the upstream says nothing (0: only when `Cache-Control` allows).')
  @IsInt() @Min(0) @Max(MAX_TIMER_MS) cacheTtlMs = 0;
  @Section(() => UpstreamCacheConfig, "Caching of the upstream's GET answers (buffered calls only; the proxy streams).") cache = new UpstreamCacheConfig();
  @Section(() => OutlierConfig, "Outlier detection: an instance that keeps failing leaves the balancer's rotation for a while.") outlier = new OutlierConfig();
  @Setting('Identical GETs in flight at once share one upstream call (buffered calls only).')
  @IsBoolean() coalesce = true;
}

/** Bearer JWTs verified against an identity provider's JWKS. */
export class JwtConfig {
  @Setting("The identity provider's JWKS (public keys).", { env: 'JWKS_URL' })
  @IsUrl(URL_OPTIONS) jwksUrl: string;
  @Setting('Tokens must carry this `iss`.', { env: 'JWT_ISSUER' })
  @IsString() issuer: string;
  @Setting('Tokens must carry this `aud`.', { env: 'JWT_AUDIENCE' })
  @IsString() audience: string;
  @Setting('Signature algorithms accepted (never `none` or HMAC).')
  @IsArray() @IsIn(['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'EdDSA'], { each: true })
  algorithms: string[] = ['ES256', 'RS256'];
  @Setting('Clock skew allowed on `exp` and `nbf`.')
  @IsInt() @Min(0) @Max(300) clockToleranceSec = 30;
  @Setting('An unknown `kid` refetches the JWKS at most once per this interval (a rotated key is usable this soon).')
  @IsInt() @Min(1000) @Max(MAX_TIMER_MS) jwksCooldownMs = 2_000;
  @Setting("Keys (and tokens verified with them) are held per the JWKS's max-age, never longer than this.")
  @IsInt() @Min(1000) @Max(MAX_TIMER_MS) jwksCacheMaxAgeMs = 300_000;
}

/** One partner API key: only its SHA-256 hash is held, never the key. */
export class ApiKeyRecord {
  @Setting('Names the key in logs and metrics (never the key itself).')
  @IsString() @Matches(/^[\w.-]{1,64}$/) id: string;
  @Setting('Hex SHA-256 of the key: the only form a key is held in.')
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be the hex SHA-256 of the key' }) sha256: string;
  @Setting('Its tier in `throttling.tiers` (limits and daily quota).')
  @IsString() tier: string;
  @Setting('Scopes it grants (`products:read`, `orders:write`).')
  @IsArray() @IsString({ each: true }) scopes: string[] = [];
  @Setting("The customers this key may act for (`@Body(OwnCustomer('customer_id'))` routes answer 403 for any other); empty: none, so a new key can place no orders until declared.")
  @IsArray() @ArrayMaxSize(100_000) @IsString({ each: true }) @MaxLength(128, { each: true }) customers: string[] = [];
}

/** Where partner keys come from, and how often every replica checks it again. */
export const API_KEY_SOURCES = ['config', 'file', 'redis'] as const;
export type ApiKeySourceName = (typeof API_KEY_SOURCES)[number];

/** Partner keys that change without a restart: from a watched file or from Redis. */
export class ApiKeySourceConfig {
  @Setting(
    'Where partner keys come from: `config` (`auth.apiKeys`, fixed at start), `file` (the JSON list in `file`, watched) or `redis` (the hash `<redis.keyPrefix>api-keys`, one field per key id; changes announced on the channel of the same name). With `file` or `redis` that source is the only one: `auth.apiKeys` is not used.',
    { env: 'API_KEYS_SOURCE' },
  )
  @IsIn(API_KEY_SOURCES) from: ApiKeySourceName = 'config';
  @Setting('The JSON file of keys when `from` is `file`, shaped as `API_KEYS`; re-read when it changes (a ConfigMap update included).', { env: 'API_KEYS_FILE' })
  @IsOptional() @IsString() file?: string;
  @Setting('Every replica also re-reads its source this often, so a missed change notice costs at most this long.', { env: 'API_KEYS_RECONCILE_MS' })
  @IsInt() @Min(1_000) @Max(3_600_000) reconcileMs = 30_000;
}

export class AuthConfig {
  @Setting('Which credential this app takes by default: user JWTs or partner API keys.')
  @IsIn(['jwt', 'api-key']) mode: 'jwt' | 'api-key' = 'jwt';
  @IsOptional() @Section(() => JwtConfig, 'Bearer JWTs verified against the identity provider\'s JWKS; required when `mode` is `jwt`.') jwt?: JwtConfig;
  @ListOf(() => ApiKeyRecord, 'Partner API keys (JSON: `[{"id","sha256","tier","scopes","customers"}]`).', { env: 'API_KEYS' }) apiKeys: ApiKeyRecord[] = [];
  @Section(() => ApiKeySourceConfig, 'Partner keys that change without a restart.') keySource = new ApiKeySourceConfig();
  @Setting('Request header that carries the API key.')
  @IsString() apiKeyHeader = 'x-api-key';
}

export class RedisConfig {
  @Setting('Redis (or Redis Cluster node) for limits, caches and idempotency shared by every replica (`rediss://` for TLS). Unset: everything in memory, per process.', { env: 'REDIS_URL' })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['redis', 'rediss'] }) url: string;
  @Setting('A Redis call that takes longer is a failure (what then follows `throttling.onRedisError` and `idempotency.onStoreError`).', { env: 'REDIS_COMMAND_TIMEOUT_MS' })
  @IsInt() @Min(5) @Max(MAX_TIMER_MS) commandTimeoutMs = 100;
  @Setting('Prefix of every key the gateway writes, so apps and environments can share one Redis.', { env: 'REDIS_KEY_PREFIX' })
  @IsString() keyPrefix = 'gw:';
}

/** One named rate limit: at most `limit` requests per `ttlMs` window, per caller. */
export class RateLimitConfig {
  @Setting("Names the limit (`@Throttle({ burst: ... })`); `quota` is the tiers' daily quota, so no limit may take it.")
  @Matches(/^[a-z][a-z0-9-]{0,31}$/) @NotEquals('quota') name: string;
  @Setting('Window length.')
  @IsInt() @Min(100) @Max(86_400_000) ttlMs: number;
  @Setting('Requests allowed per window, per caller.')
  @IsInt() @Min(1) limit: number;
  @Setting('Once over the limit, refuse for this long; 0: only until the window lets requests through again.')
  @IsInt() @Min(0) @Max(MAX_TIMER_MS) blockMs = 0;
}

/**
 * Failed authentication per client address, counted before any caller is
 * known: past `limit` failures in `ttlMs`, every credentialed request from
 * that address gets 429 for `blockMs` (valid credentials too), so guessing
 * keys or tokens stops paying. Successes cost nothing.
 */
export class AuthFailureLimitConfig {
  @Setting('Count failed authentication per client address.', { env: 'THROTTLE_AUTH_FAILURES_ENABLED' })
  @IsBoolean() enabled = true;
  @Setting('Window in which failures are counted.', { env: 'THROTTLE_AUTH_FAILURES_TTL_MS' })
  @IsInt() @Min(1_000) @Max(86_400_000) ttlMs = 60_000;
  @Setting('Failures allowed per window before the address is blocked.', { env: 'THROTTLE_AUTH_FAILURES_LIMIT' })
  @IsInt() @Min(1) limit = 20;
  @Setting('How long a blocked address gets 429 on every credentialed request.', { env: 'THROTTLE_AUTH_FAILURES_BLOCK_MS' })
  @IsInt() @Min(0) @Max(86_400_000) blockMs = 60_000;
}

/** What a partner tier gets: its own limits (the app's when absent) and a daily quota. */
export class ThrottlingTierConfig {
  @IsOptional() @ListOf(() => RateLimitConfig, "The tier's limits; absent: `throttling.limits`.") @UniqueNames()
  limits?: RateLimitConfig[];
  @Setting('Requests per UTC day; absent: no quota.')
  @IsOptional() @IsInt() @Min(1) dailyQuota?: number;
}

/**
 * Rate limits: `limits` apply to users and anonymous callers, a partner's tier
 * picks its own. Kept in Redis when `redis` is set (shared by replicas), else in memory.
 */
export class ThrottlingConfig {
  @Setting('False: no rate limits or quotas anywhere.', { env: 'THROTTLE_ENABLED' })
  @IsBoolean() enabled = true;
  @ListOf(() => RateLimitConfig, 'Limits of users and anonymous callers, per caller (JSON list).', { env: 'THROTTLE_LIMITS' }) @UniqueNames()
  limits: RateLimitConfig[] = [rateLimit('burst', 1_000, 20), rateLimit('sustained', 60_000, 600)];
  @EntriesOf(() => ThrottlingTierConfig, 'Partner tiers by name, each with its limits and daily quota (JSON object).', { env: 'THROTTLE_TIERS' })
  @Transform(({ value }) => toTierConfigs(value)) @ValidateEachEntry()
  tiers: Record<string, ThrottlingTierConfig> = {
    free: tier([rateLimit('burst', 1_000, 5), rateLimit('sustained', 60_000, 100)], 1_000),
    gold: tier([rateLimit('burst', 1_000, 50), rateLimit('sustained', 60_000, 3_000)], 100_000),
  };
  @Setting('Partners whose tier is missing or not in `tiers` get this one.', { env: 'THROTTLE_DEFAULT_TIER' })
  @IsString() @NamesATier() defaultTier = 'free';
  @Setting('When Redis fails or is slower than `redis.commandTimeoutMs`: let requests through (`fail-open`), or refuse them with 503 (`fail-closed`).', { env: 'THROTTLE_ON_REDIS_ERROR' })
  @IsIn(['fail-open', 'fail-closed']) onRedisError: 'fail-open' | 'fail-closed' = 'fail-open';
  @Section(() => AuthFailureLimitConfig, 'Failed authentication per client address: past `limit` failures in `ttlMs`, every credentialed request from it gets 429 for `blockMs`.')
  authFailures: AuthFailureLimitConfig = new AuthFailureLimitConfig();
}

function rateLimit(name: string, ttlMs: number, limit: number): RateLimitConfig {
  return Object.assign(new RateLimitConfig(), { name, ttlMs, limit });
}

function tier(limits: RateLimitConfig[], dailyQuota: number): ThrottlingTierConfig {
  return Object.assign(new ThrottlingTierConfig(), { limits, dailyQuota });
}

// class-validator cannot walk a plain object of named entries (GatewayConfig's
// upstreams are checked by load-config for that reason); these helpers do it here.
function toTierConfigs(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, entry]) => [
      name,
      typeof entry === 'object' && entry !== null && !(entry instanceof ThrottlingTierConfig)
        ? plainToInstance(ThrottlingTierConfig, entry, { exposeDefaultValues: true })
        : entry,
    ]),
  );
}

function entryProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['must be an object of named entries'];
  return Object.entries(value).flatMap(([name, entry]) =>
    entry instanceof ThrottlingTierConfig
      ? flattenProblems(validateSync(entry, { forbidUnknownValues: true }), `${name}.`)
      : [`${name}: must be an object`],
  );
}

function flattenProblems(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((reason) => `${prefix}${reason}`),
    ...flattenProblems(error.children ?? [], `${prefix}${error.property}.`),
  ]);
}

function ValidateEachEntry(): PropertyDecorator {
  return ValidateBy({
    name: 'validateEachEntry',
    validator: {
      validate: (value) => entryProblems(value).length === 0,
      defaultMessage: (args) => `${args?.property} ${entryProblems(args?.value).join('; ')}`,
    },
  });
}

function UniqueNames(): PropertyDecorator {
  const duplicates = (value: unknown) =>
    Array.isArray(value)
      ? value.map((entry) => (entry as { name?: unknown })?.name).filter((name, i, all) => all.indexOf(name) !== i)
      : [];
  return ValidateBy({
    name: 'uniqueNames',
    validator: {
      validate: (value) => duplicates(value).length === 0,
      defaultMessage: (args) => `${args?.property} names must be unique (${duplicates(args?.value).join(', ')} repeated)`,
    },
  });
}

function NamesATier(): PropertyDecorator {
  const tiersOf = (object: object | undefined) => Object.keys((object as ThrottlingConfig | undefined)?.tiers ?? {});
  return ValidateBy({
    name: 'namesATier',
    validator: {
      validate: (value, args) => tiersOf(args?.object).length === 0 || tiersOf(args?.object).includes(value as string),
      defaultMessage: (args) => `${args?.property} must be one of throttling.tiers (${tiersOf(args?.object).join(', ')})`,
    },
  });
}

/** Where cached upstream answers are kept, shared by every upstream. */
export class ResponseCacheConfig {
  @Setting('Where cached upstream answers are kept; `auto`: Redis when `redis.url` is set, else memory.')
  @IsIn(['auto', 'memory', 'redis']) store: 'auto' | 'memory' | 'redis' = 'auto';
  @Setting('Bound of the memory store, in bytes of bodies, headers and keys.')
  @IsInt() @Min(0) maxBytes = 33_554_432;
}

export class ShutdownConfig {
  @Setting('After SIGTERM, ready turns 503 and the app keeps serving this long (load balancers notice).', { env: 'DRAIN_DELAY_MS' })
  @IsInt() @Min(0) @Max(MAX_TIMER_MS) drainDelayMs = 5_000;
  @Setting('Everything must be closed by then, or the process exits anyway; above `drainDelayMs`.', { env: 'SHUTDOWN_GRACE_MS' })
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) gracePeriodMs = 25_000;
}

/** Live updates (WebSocket and SSE): limits per client, per user and per replica, heartbeats, the replay window. */
export class LiveConfig {
  @Setting('Open live connections this replica holds at most; more are refused with 503 (reconnect elsewhere).', { env: 'LIVE_MAX_CONNECTIONS' })
  @IsInt() @Min(1) maxConnections = 10_000;
  @Setting('Open live connections one user holds at most, on all replicas together when `redis` is set (else on each); more are refused with 429.', { env: 'LIVE_MAX_CONNECTIONS_PER_USER' })
  @IsInt() @Min(1) @Max(100_000) maxConnectionsPerUser = 5;
  @Setting('Topics one connection may follow.', { env: 'LIVE_MAX_TOPICS' })
  @IsInt() @Min(1) @Max(1_000) maxTopics = 50;
  @Setting('Bytes queued for one client past which it is cut off, so a slow consumer never slows the others.', { env: 'LIVE_BUFFER_BYTES' })
  @IsInt() @Min(1_024) bufferBytes = 262_144;
  @Setting('A ping frame (WebSocket) or comment line (SSE) this often keeps idle connections open through proxies; a WebSocket that misses a pong is dropped.', {
    env: 'LIVE_HEARTBEAT_MS',
  })
  @IsInt() @Min(100) @Max(MAX_TIMER_MS) heartbeatMs = 15_000;
  @Setting('Recent events kept for SSE clients resuming with `Last-Event-ID`; in Redis when `redis` is set, shared by replicas.', { env: 'LIVE_REPLAY_EVENTS' })
  @IsInt() @Min(0) @Max(1_000_000) replayEvents = 1_000;
  @Setting('An upstream feed that drops is opened again after this, doubling up to 10x while it keeps failing.')
  @IsInt() @Min(10) @Max(MAX_TIMER_MS) reconnectMs = 500;
  @Setting('With Redis, one replica holds each upstream feed under a lease of this length, renewed at a third of it.')
  @IsInt() @Min(300) @Max(MAX_TIMER_MS) leaseMs = 5_000;
}

export class ObservabilityConfig {
  @Setting('Lowest level logged.', { env: 'LOG_LEVEL' })
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) logLevel = 'info';
  @Setting('Human-readable logs instead of JSON lines (never with `NODE_ENV=production`).', { env: 'LOG_PRETTY' })
  @IsBoolean() prettyLogs = false;
  @Setting('One access line per request (health and metrics requests left out).', { env: 'ACCESS_LOG' })
  @IsBoolean() accessLog = true;
}

/** The whole configuration of one BFF, validated at start. */
export class GatewayConfig {
  @Setting("The app's name, set by the app: labels logs, metrics and traces.")
  @Matches(/^[a-z][a-z0-9-]{1,40}$/) app: string;
  @Setting("The release: `version` in the repo's package.json, built in; the API docs name it.")
  @IsString() version = APP_VERSION;
  @Section(() => HttpConfig, 'Listener limits: every client connection is bounded in size and time.') http = new HttpConfig();
  @Section(() => OverloadConfig, 'Load shedding: past these, requests get 503 with `Retry-After` at once instead of queueing; `/health/live` and `/metrics` still answer.')
  overload = new OverloadConfig();
  @IsOptional() @Section(() => TlsConfig, 'HTTPS (with HTTP/2 by ALPN) when both files are set.') tls?: TlsConfig;
  // Validated entry by entry in load-config: class-validator cannot walk an object of named entries.
  @EntriesOf(() => UpstreamConfig, 'Named upstreams; `UPSTREAM_<NAME>_URLS` adds or changes one by env.')
  upstreams: Record<string, UpstreamConfig> = {};
  @Section(() => AuthConfig, 'Credentials: user JWTs and partner API keys.') auth = new AuthConfig();
  @IsOptional() @Section(() => RedisConfig, 'Shared state for every replica.') redis?: RedisConfig;
  @Section(() => ResponseCacheConfig, 'Where cached upstream answers are kept, shared by every upstream.') cache = new ResponseCacheConfig();
  @Section(() => ThrottlingConfig, "Rate limits and quotas; in Redis when `redis` is set (shared by replicas), else in memory.")
  throttling = new ThrottlingConfig();
  @Section(() => IdempotencyConfig, '`@Idempotent` writes.') idempotency = new IdempotencyConfig();
  @Section(() => ShutdownConfig, 'Graceful shutdown on SIGTERM.') shutdown = new ShutdownConfig();
  @Section(() => LiveConfig, 'Live updates (WebSocket and SSE): caps, heartbeats, the replay window.') live = new LiveConfig();
  @Section(() => ObservabilityConfig, 'Logs (traces are set by the standard `OTEL_*` variables).') observability = new ObservabilityConfig();
  @Setting('Problem `type` URIs are this base plus the error code.')
  @IsString() problemTypeBase = 'https://problems.multi-bff.dev/';
}

/** Plain-object form a BFF writes its defaults in (any key may be left out). */
export type GatewayConfigInput = DeepPartial<GatewayConfig> & { app: string };

export type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
