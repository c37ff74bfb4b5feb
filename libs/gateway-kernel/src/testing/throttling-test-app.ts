import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { Public } from '../auth';
import { hashApiKey } from '../auth/hash-api-key';
import { createBffApp } from '../bootstrap';
import { deepMerge } from '../config/load-config';
import type { GatewayConfigInput } from '../config';

/** Partner keys of the throttling test app, by API key id. */
export const PARTNER_KEYS = {
  'free-a': { key: 'test-free-a-key', tier: 'free' },
  'free-b': { key: 'test-free-b-key', tier: 'free' },
  'free-c': { key: 'test-free-c-key', tier: 'free' },
  'free-d': { key: 'test-free-d-key', tier: 'free' },
  gold: { key: 'test-gold-key', tier: 'gold' },
  odd: { key: 'test-odd-tier-key', tier: 'platinum' },
} as const;

export type PartnerId = keyof typeof PARTNER_KEYS;

/** Limits chosen so no window rolls during a test: anonymous 4/min, free 3/min + 5/day, gold 10/min. */
export const TEST_THROTTLING = {
  limits: [
    { name: 'burst', ttlMs: 60_000, limit: 4 },
    { name: 'sustained', ttlMs: 3_600_000, limit: 50 },
  ],
  tiers: {
    free: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 3 }], dailyQuota: 5 },
    gold: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 10 }], dailyQuota: 1_000 },
  },
  defaultTier: 'free',
};

@Controller()
class ThrottledController {
  @Public() @Get('open') open() {
    return { ok: true };
  }

  @Get('items') items() {
    return { items: [] };
  }

  @Public() @Throttle({ burst: { limit: 2 } }) @Get('tight') tight() {
    return { ok: true };
  }

  @Public() @Throttle({ expensive: { limit: 1, ttl: 60_000 } }) @Get('expensive') expensive() {
    return { ok: true };
  }

  @Public() @Throttle({ burst: { limit: () => 1 } }) @Get('dynamic') dynamic() {
    return { ok: true };
  }

  @SkipThrottle({ burst: true }) @Get('quota-only') quotaOnly() {
    return { ok: true };
  }

  @SkipThrottle({ burst: true, quota: true }) @Get('usage') usage() {
    return { ok: true };
  }

  @Public() @SkipThrottle() @Get('unthrottled') unthrottled() {
    return { ok: true };
  }

  // No @SkipThrottle: these are left alone by path (the kernel's own /docs owns the bare path; /metrics is on the management port).
  @Public() @Get('metrics/probe') metricsProbe() {
    return { ok: true };
  }

  @Public() @Get('docs/probe') docsProbe() {
    return { ok: true };
  }

  @Public() @Get('metricsx') notMetrics() {
    return { ok: true };
  }
}

@Module({ controllers: [ThrottledController] })
class ThrottlingTestAppModule {}

export interface ThrottlingTestApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * A BFF built like the real ones (createBffApp: auth, throttling, health, errors)
 * with throttled test routes, listening on 127.0.0.1 on a free port.
 *
 * @example const { url, close } = await startThrottlingTestApp({ redis: { url, keyPrefix } });
 */
export async function startThrottlingTestApp(overrides: Partial<GatewayConfigInput> = {}): Promise<ThrottlingTestApp> {
  const defaults = deepMerge(
    {
      app: 'test-bff',
      http: { port: 0, host: '127.0.0.1' },
      auth: {
        mode: 'api-key',
        apiKeys: Object.entries(PARTNER_KEYS).map(([id, { key, tier }]) => ({ id, sha256: hashApiKey(key), tier, scopes: [] })),
      },
      throttling: TEST_THROTTLING,
      observability: { logLevel: 'silent', accessLog: false },
      // A busy machine's event-loop delay would read as overload and shed the spec's requests.
      overload: { enabled: false },
    },
    overrides,
  ) as GatewayConfigInput;
  const { app } = await createBffApp(ThrottlingTestAppModule, { defaults, env: {} });
  app.useLogger(false);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Headers to call as a partner. */
export function asPartner(id: PartnerId): Record<string, string> {
  return { 'x-api-key': PARTNER_KEYS[id].key };
}
