import { ConfigError, loadGatewayConfig } from '../config';

const base = {
  app: 'test-bff',
  auth: { mode: 'api-key' as const, apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] },
};
const load = (catalog: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  loadGatewayConfig({ ...base, ...rest, upstreams: { catalog: { urls: ['http://127.0.0.1:4002'], ...catalog } } }, {});
const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('resilience and caching configuration', () => {
  it('fills every resilience and caching default', () => {
    const config = load({});
    const catalog = config.upstreams.catalog;
    expect(catalog.retry).toMatchObject({ maxAttempts: 2, budgetRatio: 0.2, minRetriesPerSecond: 5, perTryTimeoutMs: 0 });
    expect(catalog.breaker).toMatchObject({ enabled: true, consecutiveFailures: 0, failureRateThreshold: 0.5, windowMs: 10_000, minimumCalls: 20, halfOpenAfterMs: 5_000 });
    expect(catalog.outlier).toEqual(expect.objectContaining({ consecutiveFailures: 5, ejectionMs: 10_000, maxEjectedPercent: 50 }));
    expect(catalog.cache).toEqual(expect.objectContaining({ enabled: true, staleIfErrorMs: 30_000, maxEntryBytes: 262_144 }));
    expect(catalog.coalesce).toBe(true);
    expect(config.cache).toEqual(expect.objectContaining({ store: 'auto', maxBytes: 33_554_432 }));
  });

  it('names each bad key', () => {
    expect(
      problems(() =>
        load(
          {
            breaker: { failureRateThreshold: 0 },
            outlier: { maxEjectedPercent: 120 },
            retry: { perTryTimeoutMs: -1 },
            cache: { staleIfErrorMs: 'long' },
          },
          { cache: { store: 'disk' } },
        ),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cache\.store: /),
        expect.stringMatching(/^upstreams\.catalog\.breaker\.failureRateThreshold: /),
        expect.stringMatching(/^upstreams\.catalog\.outlier\.maxEjectedPercent: /),
        expect.stringMatching(/^upstreams\.catalog\.retry\.perTryTimeoutMs: /),
        expect.stringMatching(/^upstreams\.catalog\.cache\.staleIfErrorMs: /),
      ]),
    );
  });
});
