import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCertificates } from '../testing/test-certificates';
import { ConfigError, loadGatewayConfig } from './load-config';
import { upstreamTlsOptions } from './upstream-tls';

const defaults = {
  app: 'test-bff',
  upstreams: { catalog: { urls: ['http://127.0.0.1:4002'] } },
  auth: { mode: 'jwt' as const, jwt: { jwksUrl: 'http://127.0.0.1:4000/jwks', issuer: 'iss', audience: 'aud' } },
};

/** The problems loadGatewayConfig refuses `env` with (none: it loaded). */
function problemsLoading(env: NodeJS.ProcessEnv, input: Parameters<typeof loadGatewayConfig>[0] = defaults): string[] {
  try {
    loadGatewayConfig(input, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

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
    [{ UPSTREAM_CATALOG_PROTOCOL: 'grpc' }, 'upstreams.catalog.grpc'],
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

describe('loadGatewayConfig refuses what it does not know', () => {
  const problemsOf = problemsLoading;
  const fileWith = (content: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'bff.json');
    writeFileSync(file, JSON.stringify(content));
    return file;
  };

  it('names an unknown key of CONFIG_FILE with its path, its file and the nearest valid name', () => {
    const file = fileWith({ http: { prot: 9000 }, throttle: { enabled: false } });
    expect(problemsOf({ CONFIG_FILE: file })).toEqual([
      `http.prot (from CONFIG_FILE ${file}): unknown setting (did you mean "http.port"?)`,
      `throttle (from CONFIG_FILE ${file}): unknown setting (did you mean "throttling"?)`,
    ]);
  });

  it('walks named entries and lists: upstreams, tiers, API keys', () => {
    const file = fileWith({
      upstreams: { catalog: { timeoutMS: 50, retry: { maxAtempts: 1 } } },
      throttling: { tiers: { gold: { dailyQuotaa: 5 } } },
      auth: { apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free', scope: ['x'] }] },
    });
    expect(problemsOf({ CONFIG_FILE: file }).map((p) => p.replace(/ \(from [^)]+\)/, ''))).toEqual([
      'upstreams.catalog.timeoutMS: unknown setting (did you mean "upstreams.catalog.timeoutMs"?)',
      'upstreams.catalog.retry.maxAtempts: unknown setting (did you mean "upstreams.catalog.retry.maxAttempts"?)',
      'auth.apiKeys.0.scope: unknown setting (did you mean "auth.apiKeys.0.scopes"?)',
      'throttling.tiers.gold.dailyQuotaa: unknown setting (did you mean "throttling.tiers.gold.dailyQuota"?)',
    ]);
  });

  it('names an unknown key from env JSON with its variable, and one with no near name plainly', () => {
    expect(problemsOf({ API_KEYS: '[{"id":"k","sha256":"' + 'a'.repeat(64) + '","tier":"free","colour":"red"}]' })).toEqual([
      'auth.apiKeys.0.colour (from API_KEYS): unknown setting',
    ]);
  });

  it.each([
    ['THROTTLE_LIMTI', 'THROTTLE_LIMITS'],
    ['REDIS_URLS', 'REDIS_URL'],
    ['UPSTREAM_CATALOG_URL', 'UPSTREAM_CATALOG_URLS'],
    ['UPSTREAM_NEW_THING_TIMEOUT', 'UPSTREAM_NEW_THING_TIMEOUT_MS'],
    ['OVERLOAD_ENABLE', 'OVERLOAD_ENABLED'],
  ])('refuses the misspelt variable %s, naming %s', (name, meant) => {
    expect(problemsOf({ [name]: '1' })).toEqual([`${name}: unknown variable (did you mean ${meant}?)`]);
  });

  it.each([
    ['a Kubernetes service link', { REDIS_PORT: 'tcp://10.0.0.9:6379', REDIS_SERVICE_HOST: '10.0.0.9', REDIS_PORT_6379_TCP_ADDR: '10.0.0.9' }],
    ["another tool's variable under a shared prefix", { REDIS_PASSWORD_FILE: '/run/secret', THROTTLE_FOR_SIDECAR: 'x' }],
    ['a variable with no gateway prefix', { PORTS: '1', HOSTNAME: 'pod-1', NODE_OPTIONS: '' }],
  ])('lets %s through', (_what, env) => {
    expect(problemsOf(env)).toEqual([]);
  });

  it('names a bad value from CONFIG_FILE with the file', () => {
    const file = fileWith({ http: { port: 'eighty' } });
    expect(problemsOf({ CONFIG_FILE: file })).toEqual([`http.port (from CONFIG_FILE ${file}): must be an integer number`]);
  });

  it('says a variable holds broken JSON without quoting it', () => {
    expect(problemsOf({ THROTTLE_TIERS: '{"gold": {"dailyQuota": 5,}' })).toEqual(['throttling.tiers (from THROTTLE_TIERS): not valid JSON']);
  });

  it('says CONFIG_FILE is not JSON without quoting it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'bff.json');
    writeFileSync(file, '{"redis": {"url": "redis://:s3cret@h:6379"},}');
    const problems = problemsOf({ CONFIG_FILE: file });
    expect(problems).toEqual([`CONFIG_FILE (${file}): not valid JSON`]);
  });
});

describe("an upstream's tls files are checked at start", () => {
  const certs = makeTestCertificates();
  const tlsDefaults = { ...defaults, upstreams: { inventory: { urls: ['https://10.0.0.7:4005'] } } };
  const problemsOf = (env: NodeJS.ProcessEnv) => problemsLoading(env, tlsDefaults);

  it('reads them once, into what the transports pass to TLS', () => {
    const config = loadGatewayConfig(tlsDefaults, {
      UPSTREAM_INVENTORY_TLS_CA_FILE: certs.caFile,
      UPSTREAM_INVENTORY_TLS_CERT_FILE: certs.clientCertFile,
      UPSTREAM_INVENTORY_TLS_KEY_FILE: certs.clientKeyFile,
      UPSTREAM_INVENTORY_TLS_SERVER_NAME: 'inventory.internal',
    });
    const options = upstreamTlsOptions(config.upstreams.inventory);
    expect(options?.ca?.toString()).toContain('BEGIN CERTIFICATE');
    expect(options?.key?.toString()).toContain('PRIVATE KEY');
    expect(options?.servername).toBe('inventory.internal');
    expect(upstreamTlsOptions(config.upstreams.inventory)).toBe(options);
    expect(upstreamTlsOptions(loadGatewayConfig(defaults, {}).upstreams.catalog)).toBeUndefined();
  });

  it.each([
    [{ UPSTREAM_INVENTORY_TLS_CA_FILE: '/nowhere/ca.pem' }, 'upstreams.inventory.tls.caFile (from UPSTREAM_INVENTORY_TLS_CA_FILE): cannot read /nowhere/ca.pem (ENOENT)'],
    [{ UPSTREAM_INVENTORY_TLS_CA_FILE: 'KEY' }, 'upstreams.inventory.tls.caFile (from UPSTREAM_INVENTORY_TLS_CA_FILE): KEY holds no PEM certificate'],
    [{ UPSTREAM_INVENTORY_TLS_CERT_FILE: 'CERT', UPSTREAM_INVENTORY_TLS_KEY_FILE: 'CERT' }, 'upstreams.inventory.tls.keyFile (from UPSTREAM_INVENTORY_TLS_KEY_FILE): CERT holds no PEM private key'],
    [{ UPSTREAM_INVENTORY_TLS_CERT_FILE: 'CERT' }, 'upstreams.inventory.tls.keyFile: required with certFile'],
    [{ UPSTREAM_INVENTORY_TLS_CA_FILE: 'CA', UPSTREAM_INVENTORY_URLS: 'http://10.0.0.7:4005' }, 'upstreams.inventory.tls: applies to https:// URLs only, and http://10.0.0.7:4005 is not one'],
    [{ UPSTREAM_INVENTORY_TLS_SERVER_NAME: 'not a name' }, 'upstreams.inventory.tls.serverName (from UPSTREAM_INVENTORY_TLS_SERVER_NAME): must be a host name'],
  ])('one line naming the key: %j', (env, line) => {
    const files: Record<string, string> = { KEY: certs.clientKeyFile, CERT: certs.clientCertFile, CA: certs.caFile };
    const named = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, files[value] ?? value]));
    const expected = Object.entries(files).reduce((text, [alias, file]) => text.replace(` ${alias} `, ` ${file} `), line);
    expect(problemsOf(named)).toEqual([expected]);
  });
});

describe("the app's own HTTPS files are checked at start", () => {
  const certs = makeTestCertificates();
  const problemsOf = (env: NodeJS.ProcessEnv) => problemsLoading(env);

  it('takes a certificate and its key', () => {
    expect(problemsOf({ TLS_CERT_FILE: certs.clientCertFile, TLS_KEY_FILE: certs.clientKeyFile })).toEqual([]);
  });

  it('names the key of a file that is missing or holds the wrong thing, one line each, never the file', () => {
    expect(problemsOf({ TLS_CERT_FILE: certs.clientKeyFile, TLS_KEY_FILE: '/nowhere/key.pem' })).toEqual([
      `tls.certFile (from TLS_CERT_FILE): ${certs.clientKeyFile} holds no PEM certificate`,
      'tls.keyFile (from TLS_KEY_FILE): cannot read /nowhere/key.pem (ENOENT)',
    ]);
  });
});

describe('durations stop where Node timers do', () => {
  it('refuses a duration past 2^31 - 1 ms (a timer would fire after 1 ms), naming the key', () => {
    expect(() => loadGatewayConfig(defaults, { LIVE_HEARTBEAT_MS: '2147483648' })).toThrow(/live\.heartbeatMs \(from LIVE_HEARTBEAT_MS\): .*2147483647/);
    expect(loadGatewayConfig(defaults, { LIVE_HEARTBEAT_MS: '2147483647' }).live.heartbeatMs).toBe(2_147_483_647);
  });
});
