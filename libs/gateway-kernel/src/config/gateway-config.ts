import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Listener limits: every client connection is bounded in size and time. */
export class HttpConfig {
  @IsInt() @Min(0) @Max(65535) port = 3000;
  @IsString() host = '0.0.0.0';
  @IsInt() @Min(1024) bodyLimitBytes = 1_048_576;
  /** Whole request (headers and body) must arrive within this. */
  @IsInt() @Min(100) requestTimeoutMs = 30_000;
  /** The request's headers must arrive within this (slow-header clients are cut here). */
  @IsInt() @Min(100) headersTimeoutMs = 10_000;
  /** Open connections one client address may hold; more are closed at once. 0: no cap. */
  @IsInt() @Min(0) maxConnectionsPerAddress = 256;
  /** JSON bodies nested deeper than this are refused with 400 before they are parsed. */
  @IsInt() @Min(1) @Max(1_000) maxJsonDepth = 32;
  /** Idle keep-alive sockets close after this; above the load balancer's idle timeout. */
  @IsInt() @Min(100) keepAliveTimeoutMs = 72_000;
  @IsInt() @Min(100) connectionTimeoutMs = 10_000;
  /**
   * Proxies to trust for client IP: a hop count (`1`) or comma-separated
   * addresses/CIDRs (`10.0.0.0/8,127.0.0.1`). Empty: trust none (the socket address).
   */
  @IsOptional() @IsString() @Matches(/^(\d{1,2}|[0-9a-fA-F:./]+(\s*,\s*[0-9a-fA-F:./]+)*)$/, {
    message: 'must be a hop count or a comma-separated list of addresses/CIDRs (never "true")',
  })
  trustProxy?: string;
  /** Route deadline used when a route declares none. */
  @IsInt() @Min(50) defaultDeadlineMs = 5_000;
  @IsOptional() @IsString() corsOrigins?: string;
}

/**
 * Load shedding (@fastify/under-pressure): past these, requests get 503 with
 * Retry-After at once instead of queueing; `/health/live` and `/metrics`
 * still answer. 0 switches a check off.
 */
export class OverloadConfig {
  @IsBoolean() enabled = true;
  @IsInt() @Min(0) maxEventLoopDelayMs = 1_000;
  @IsInt() @Min(0) maxHeapUsedBytes = 0;
  @IsInt() @Min(10) @Max(10_000) sampleIntervalMs = 1_000;
  @IsInt() @Min(1) @Max(3_600) retryAfterSeconds = 5;
}

/** @Idempotent writes when their store (Redis) fails: refuse them with 503 (no double writes), or run them unprotected. */
export class IdempotencyConfig {
  @IsIn(['fail-open', 'fail-closed']) onStoreError: 'fail-open' | 'fail-closed' = 'fail-closed';
}

/** HTTPS with HTTP/2 by ALPN when both files are set. */
export class TlsConfig {
  @IsString() certFile: string;
  @IsString() keyFile: string;
  @IsBoolean() http2 = true;
}

/** Resilience settings of one upstream. */
export class RetryConfig {
  /** Retries after the first attempt (0: never retry; the stage is dropped). */
  @IsInt() @Min(0) @Max(5) maxAttempts = 2;
  @IsInt() @Min(1) baseDelayMs = 25;
  @IsInt() @Min(1) maxDelayMs = 250;
  /** Retries may be at most this fraction of recent requests (a retry budget). */
  @IsNumber() @Min(0) @Max(1) budgetRatio = 0.2;
  /** Retries always allowed per second regardless of the ratio, so low traffic can retry. */
  @IsInt() @Min(0) minRetriesPerSecond = 5;
  /**
   * Each attempt's own timeout inside the deadline, so a hung attempt leaves
   * time for another (0: an attempt may use all that is left).
   */
  @IsInt() @Min(0) perTryTimeoutMs = 0;
}

/** One breaker per instance: while open, calls to that instance fail at once with 503. */
export class BreakerConfig {
  /** False drops the breaker stage. */
  @IsBoolean() enabled = true;
  /** Opens after this many consecutive failures... */
  @IsInt() @Min(1) consecutiveFailures = 5;
  /** ...or when more than this fraction of calls failed in the window (with at least minimumCalls); 1: rate check off. */
  @IsNumber() @Min(0.01) @Max(1) failureRateThreshold = 0.5;
  @IsInt() @Min(100) windowMs = 10_000;
  @IsInt() @Min(1) minimumCalls = 20;
  /** How long it stays open before letting one probe through. */
  @IsInt() @Min(50) halfOpenAfterMs = 5_000;
}

/** Outlier detection: an instance that keeps failing leaves the balancer's rotation for a while. */
export class OutlierConfig {
  /** Failures in a row (5xx, connection error, timeout) that eject an instance... */
  @IsInt() @Min(1) consecutiveFailures = 5;
  /** ...for this long; then it is brought back with a clean record. */
  @IsInt() @Min(100) ejectionMs = 10_000;
  /** At most this share of an upstream's instances is ejected at once (at least one); 0 turns ejection off. */
  @IsInt() @Min(0) @Max(100) maxEjectedPercent = 50;
}

/** Caching of one upstream's GET answers (buffered calls only; the proxy streams). */
export class UpstreamCacheConfig {
  /** False drops the cache stage: nothing is stored or looked up. */
  @IsBoolean() enabled = true;
  /** A stale entry may answer for this long past its freshness when the upstream fails (5xx, timeout, open breaker). */
  @IsInt() @Min(0) staleIfErrorMs = 30_000;
  /** Larger bodies are never stored. */
  @IsInt() @Min(0) maxEntryBytes = 262_144;
}

/** How an upstream's instances can be reached; each protocol has its transport (upstream/transports). */
export const UPSTREAM_PROTOCOLS = ['http'] as const;
export type UpstreamProtocol = (typeof UPSTREAM_PROTOCOLS)[number];

export class UpstreamConfig {
  /** What its instances speak, which picks the pipeline's last stage; every other stage is the same for all. */
  @IsIn(UPSTREAM_PROTOCOLS) protocol: UpstreamProtocol = 'http';
  /**
   * Readiness depends on it: false for an upstream the app can serve without
   * (degraded pages), so its outage never takes every replica out of rotation.
   */
  @IsBoolean() critical = true;
  /** One or more instance base URLs; a path in the URL is the upstream's prefix. */
  @IsArray() @ArrayMinSize(1) @IsUrl(URL_OPTIONS, { each: true }) urls: string[];
  /** Per-call ceiling; the route's remaining deadline may shorten it. */
  @IsInt() @Min(10) timeoutMs = 3_000;
  @IsInt() @Min(10) connectTimeoutMs = 1_000;
  @IsInt() @Min(1) @Max(4096) connections = 128;
  @IsInt() @Min(1024) maxResponseBytes = 5_242_880;
  @IsInt() @Min(100) keepAliveTimeoutMs = 4_000;
  @IsIn(['round-robin', 'least-outstanding']) balancing: 'round-robin' | 'least-outstanding' = 'round-robin';
  @ValidateNested() @Type(() => RetryConfig) retry = new RetryConfig();
  @ValidateNested() @Type(() => BreakerConfig) breaker = new BreakerConfig();
  /** Readiness probes GET this path on every instance; empty: check the connection only. */
  @IsString() healthPath = '/health';
  /** Cache TTL for GETs when the upstream says nothing (0: only when Cache-Control allows). */
  @IsInt() @Min(0) cacheTtlMs = 0;
  @ValidateNested() @Type(() => UpstreamCacheConfig) cache = new UpstreamCacheConfig();
  @ValidateNested() @Type(() => OutlierConfig) outlier = new OutlierConfig();
  /** Identical GETs in flight at once share one upstream call (buffered calls only). */
  @IsBoolean() coalesce = true;
}

/** Bearer JWTs verified against an identity provider's JWKS. */
export class JwtConfig {
  @IsUrl(URL_OPTIONS) jwksUrl: string;
  @IsString() issuer: string;
  @IsString() audience: string;
  @IsArray() @IsIn(['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'EdDSA'], { each: true })
  algorithms: string[] = ['ES256', 'RS256'];
  @IsInt() @Min(0) @Max(300) clockToleranceSec = 30;
  /** An unknown `kid` refetches the JWKS at most once per this interval (a rotated key is usable this soon). */
  @IsInt() @Min(1000) jwksCooldownMs = 2_000;
  /** Keys (and tokens verified with them) are held per the JWKS's max-age, never longer than this. */
  @IsInt() @Min(1000) jwksCacheMaxAgeMs = 300_000;
}

/** One partner API key: only its SHA-256 hash is held, never the key. */
export class ApiKeyRecord {
  @IsString() @Matches(/^[\w.-]{1,64}$/) id: string;
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be the hex SHA-256 of the key' }) sha256: string;
  @IsString() tier: string;
  @IsArray() @IsString({ each: true }) scopes: string[] = [];
  /**
   * The customers this key may act for (`@Body(OwnCustomer('customer_id'))` routes
   * answer 403 for any other); empty: none, so a new key can place no orders until declared.
   */
  @IsArray() @ArrayMaxSize(100_000) @IsString({ each: true }) @MaxLength(128, { each: true }) customers: string[] = [];
}

export class AuthConfig {
  /** Which credential this app takes by default: user JWTs or partner API keys. */
  @IsIn(['jwt', 'api-key']) mode: 'jwt' | 'api-key' = 'jwt';
  @IsOptional() @ValidateNested() @Type(() => JwtConfig) jwt?: JwtConfig;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ApiKeyRecord) apiKeys: ApiKeyRecord[] = [];
  @IsString() apiKeyHeader = 'x-api-key';
}

export class RedisConfig {
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['redis', 'rediss'] }) url: string;
  /** A Redis call that takes longer is a failure (decided by the throttling policy). */
  @IsInt() @Min(5) commandTimeoutMs = 100;
  @IsString() keyPrefix = 'gw:';
}

/** One named rate limit: at most `limit` requests per `ttlMs` window, per caller. */
export class RateLimitConfig {
  /** `quota` names the tiers' daily quota (`@SkipThrottle({ quota: true })`), so no limit may take it. */
  @Matches(/^[a-z][a-z0-9-]{0,31}$/) @NotEquals('quota') name: string;
  @IsInt() @Min(100) @Max(86_400_000) ttlMs: number;
  @IsInt() @Min(1) limit: number;
  /** Once over the limit, refuse for this long; 0: only until the window lets requests through again. */
  @IsInt() @Min(0) blockMs = 0;
}

/**
 * Failed authentication per client address, counted before any caller is
 * known: past `limit` failures in `ttlMs`, every credentialed request from
 * that address gets 429 for `blockMs` (valid credentials too), so guessing
 * keys or tokens stops paying. Successes cost nothing.
 */
export class AuthFailureLimitConfig {
  @IsBoolean() enabled = true;
  @IsInt() @Min(1_000) @Max(86_400_000) ttlMs = 60_000;
  @IsInt() @Min(1) limit = 20;
  @IsInt() @Min(0) @Max(86_400_000) blockMs = 60_000;
}

/** What a partner tier gets: its own limits (the app's when absent) and a daily quota. */
export class ThrottlingTierConfig {
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => RateLimitConfig) @UniqueNames()
  limits?: RateLimitConfig[];
  /** Requests per UTC day; absent: no quota. */
  @IsOptional() @IsInt() @Min(1) dailyQuota?: number;
}

/**
 * Rate limits: `limits` apply to users and anonymous callers, a partner's tier
 * picks its own. Kept in Redis when `redis` is set (shared by replicas), else in memory.
 */
export class ThrottlingConfig {
  @IsBoolean() enabled = true;
  @IsArray() @ValidateNested({ each: true }) @Type(() => RateLimitConfig) @UniqueNames()
  limits: RateLimitConfig[] = [rateLimit('burst', 1_000, 20), rateLimit('sustained', 60_000, 600)];
  @Transform(({ value }) => toTierConfigs(value)) @ValidateEachEntry()
  tiers: Record<string, ThrottlingTierConfig> = {
    free: tier([rateLimit('burst', 1_000, 5), rateLimit('sustained', 60_000, 100)], 1_000),
    gold: tier([rateLimit('burst', 1_000, 50), rateLimit('sustained', 60_000, 3_000)], 100_000),
  };
  /** Partners whose tier is missing or not in `tiers` get this one. */
  @IsString() @NamesATier() defaultTier = 'free';
  /** When Redis fails or is slower than `redis.commandTimeoutMs`: let requests through, or refuse them (503). */
  @IsIn(['fail-open', 'fail-closed']) onRedisError: 'fail-open' | 'fail-closed' = 'fail-open';
  @ValidateNested() @Type(() => AuthFailureLimitConfig) authFailures: AuthFailureLimitConfig = new AuthFailureLimitConfig();
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
  /** `auto`: Redis when redis.url is set, else memory. */
  @IsIn(['auto', 'memory', 'redis']) store: 'auto' | 'memory' | 'redis' = 'auto';
  /** Bound of the memory store, in bytes of bodies, headers and keys. */
  @IsInt() @Min(0) maxBytes = 33_554_432;
}

export class ShutdownConfig {
  /** After SIGTERM, ready turns 503 and the app keeps serving this long (load balancers notice). */
  @IsInt() @Min(0) drainDelayMs = 5_000;
  /** Everything must be closed by then, or the process exits anyway. */
  @IsInt() @Min(100) gracePeriodMs = 25_000;
}

export class ObservabilityConfig {
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) logLevel = 'info';
  @IsBoolean() prettyLogs = false;
  @IsBoolean() accessLog = true;
}

/** The whole configuration of one BFF, validated at start. */
export class GatewayConfig {
  @Matches(/^[a-z][a-z0-9-]{1,40}$/) app: string;
  @IsString() version = '0.0.0';
  @ValidateNested() @Type(() => HttpConfig) http = new HttpConfig();
  @ValidateNested() @Type(() => OverloadConfig) overload = new OverloadConfig();
  @IsOptional() @ValidateNested() @Type(() => TlsConfig) tls?: TlsConfig;
  /** Named upstreams; validated entry by entry (see load-config). */
  upstreams: Record<string, UpstreamConfig> = {};
  @ValidateNested() @Type(() => AuthConfig) auth = new AuthConfig();
  @IsOptional() @ValidateNested() @Type(() => RedisConfig) redis?: RedisConfig;
  @ValidateNested() @Type(() => ResponseCacheConfig) cache = new ResponseCacheConfig();
  @ValidateNested() @Type(() => ThrottlingConfig) throttling = new ThrottlingConfig();
  @ValidateNested() @Type(() => IdempotencyConfig) idempotency = new IdempotencyConfig();
  @ValidateNested() @Type(() => ShutdownConfig) shutdown = new ShutdownConfig();
  @ValidateNested() @Type(() => ObservabilityConfig) observability = new ObservabilityConfig();
  /** Problem `type` URIs are this base plus the error code. */
  @IsString() problemTypeBase = 'https://problems.multi-bff.dev/';
}

/** Plain-object form a BFF writes its defaults in (any key may be left out). */
export type GatewayConfigInput = DeepPartial<GatewayConfig> & { app: string };

export type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
