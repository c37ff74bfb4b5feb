import 'reflect-metadata';
import { ConfigError, loadGatewayConfig, ThrottlingTierConfig, type GatewayConfigInput } from '../config';

const DEFAULTS: GatewayConfigInput = {
  app: 'test-bff',
  auth: { mode: 'api-key', apiKeys: [{ id: 'acme', sha256: 'a'.repeat(64), tier: 'free', scopes: [] }] },
};

describe('throttling config', () => {
  it('defaults to a burst and a sustained limit, free and gold tiers, fail-open', () => {
    const { throttling } = loadGatewayConfig(DEFAULTS, {});
    expect(throttling.enabled).toBe(true);
    expect(throttling.limits.map(({ name, ttlMs, limit }) => [name, ttlMs, limit])).toEqual([
      ['burst', 1_000, 20],
      ['sustained', 60_000, 600],
    ]);
    expect(Object.keys(throttling.tiers)).toEqual(['free', 'gold']);
    expect(throttling.tiers.free.dailyQuota).toBe(1_000);
    expect(throttling.tiers.gold.dailyQuota).toBe(100_000);
    expect(throttling.defaultTier).toBe('free');
    expect(throttling.onRedisError).toBe('fail-open');
  });

  it('reads the policy, limits and tiers from env', () => {
    const { throttling, redis } = loadGatewayConfig(
      DEFAULTS,
      {
        THROTTLE_ON_REDIS_ERROR: 'fail-closed',
        THROTTLE_LIMITS: '[{"name":"burst","ttlMs":1000,"limit":3}]',
        THROTTLE_TIERS: '{"platinum":{"dailyQuota":7}}',
        THROTTLE_DEFAULT_TIER: 'platinum',
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: 'run-1:',
        REDIS_COMMAND_TIMEOUT_MS: '50',
      },
    );
    expect(throttling.onRedisError).toBe('fail-closed');
    expect(throttling.limits).toEqual([{ name: 'burst', ttlMs: 1000, limit: 3, blockMs: 0 }]);
    expect(throttling.tiers.platinum).toBeInstanceOf(ThrottlingTierConfig);
    expect(throttling.tiers.platinum.dailyQuota).toBe(7);
    expect(redis).toMatchObject({ keyPrefix: 'run-1:', commandTimeoutMs: 50 });
  });

  it('stops the app at start naming each bad key', () => {
    const load = () =>
      loadGatewayConfig(
        DEFAULTS,
        {
          THROTTLE_ON_REDIS_ERROR: 'maybe',
          THROTTLE_LIMITS: '[{"name":"burst","ttlMs":1000,"limit":1},{"name":"burst","ttlMs":5,"limit":1},{"name":"quota","ttlMs":1000,"limit":1}]',
          THROTTLE_TIERS: '{"free":{"dailyQuota":0},"odd":3}',
          THROTTLE_DEFAULT_TIER: 'bronze',
        },
      );
    expect(load).toThrow(ConfigError);
    const message = (() => {
      try {
        load();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('throttling.onRedisError (from THROTTLE_ON_REDIS_ERROR)');
    expect(message).toMatch(/throttling\.limits.*names must be unique \(burst repeated\)/);
    expect(message).toMatch(/throttling\.limits\.1\.ttlMs.*not be less than 100/);
    expect(message).toMatch(/throttling\.limits\.2\.name.*should not be equal to quota/);
    expect(message).toMatch(/throttling\.tiers.*free\.dailyQuota must not be less than 1/);
    expect(message).toMatch(/throttling\.tiers.*odd: must be an object/);
    expect(message).toMatch(/throttling\.defaultTier.*must be one of throttling\.tiers \(free, odd\)/);
  });
});
