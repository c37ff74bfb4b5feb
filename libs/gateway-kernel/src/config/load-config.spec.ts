import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadGatewayConfig } from './load-config';

const defaults = {
  app: 'test-bff',
  upstreams: { catalog: { urls: ['http://127.0.0.1:4002'] } },
  auth: { mode: 'jwt' as const, jwt: { jwksUrl: 'http://127.0.0.1:4000/jwks', issuer: 'iss', audience: 'aud' } },
};

describe('loadGatewayConfig', () => {
  it('fills defaults and applies env over them', () => {
    const config = loadGatewayConfig(defaults, {
      PORT: '8080',
      UPSTREAM_CATALOG_URLS: 'http://a:1, http://b:2',
      UPSTREAM_NEW_THING_URLS: 'http://c:3',
      UPSTREAM_NEW_THING_PROTOCOL: 'http',
      TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
    });
    expect(config.http.port).toBe(8080);
    expect(config.http.bodyLimitBytes).toBe(1_048_576);
    expect(config.upstreams.catalog.urls).toEqual(['http://a:1', 'http://b:2']);
    expect(config.upstreams.catalog.timeoutMs).toBe(3_000);
    expect(config.upstreams.catalog.protocol).toBe('http');
    expect(config.upstreams['new-thing'].protocol).toBe('http');
    expect(config.upstreams['new-thing'].urls).toEqual(['http://c:3']);
    expect(config.http.trustProxy).toBe('10.0.0.0/8,127.0.0.1');
  });

  it('reads CONFIG_FILE between defaults and env', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'config.json');
    writeFileSync(file, JSON.stringify({ http: { port: 9000, bodyLimitBytes: 2048 }, upstreams: { catalog: { timeoutMs: 50 } } }));
    const config = loadGatewayConfig(defaults, { CONFIG_FILE: file, PORT: '9001' });
    expect(config.http.port).toBe(9001);
    expect(config.http.bodyLimitBytes).toBe(2048);
    expect(config.upstreams.catalog.timeoutMs).toBe(50);
    expect(config.upstreams.catalog.urls).toEqual(['http://127.0.0.1:4002']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'http.port (from PORT)'],
    [{ TRUST_PROXY: 'true' }, 'http.trustProxy (from TRUST_PROXY)'],
    [{ UPSTREAM_CATALOG_URLS: 'ftp://x' }, 'upstreams.catalog.urls (from UPSTREAM_CATALOG_URLS)'],
    [{ UPSTREAM_CATALOG_TIMEOUT_MS: '1' }, 'upstreams.catalog.timeoutMs (from UPSTREAM_CATALOG_TIMEOUT_MS)'],
    [{ UPSTREAM_CATALOG_PROTOCOL: 'carrier-pigeon' }, 'upstreams.catalog.protocol (from UPSTREAM_CATALOG_PROTOCOL)'],
    [{ API_KEYS: '[{"id":"k","sha256":"short","tier":"free"}]' }, 'auth.apiKeys.0.sha256 (from API_KEYS)'],
    [{ API_KEYS: '{not json' }, 'API_KEYS'],
    [{ LOG_LEVEL: 'loud' }, 'observability.logLevel (from LOG_LEVEL)'],
  ])('names the key of a bad value: %j', (env, key) => {
    let error: unknown;
    try {
      loadGatewayConfig(defaults, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(key);
  });

  it('requires JWT settings in jwt mode and keys in api-key mode', () => {
    expect(() => loadGatewayConfig({ app: 'x-bff', auth: { mode: 'jwt' } }, {})).toThrow(/auth\.jwt/);
    expect(() => loadGatewayConfig({ app: 'x-bff', auth: { mode: 'api-key' } }, {})).toThrow(/auth\.apiKeys/);
  });
});
