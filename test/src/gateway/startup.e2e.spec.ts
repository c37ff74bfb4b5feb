import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, configFileEnv, freePort, simEnv, startBff, startSims, waitUntilAnswering, type RunningSims } from '../support';

describe('starting a BFF', () => {
  let sims: RunningSims;

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews', 'inventory']);
  });
  afterAll(() => sims?.stop());

  it.each([
    [{ UPSTREAM_CATALOG_URLS: 'not a url' }, /upstreams\.catalog\.urls \(from UPSTREAM_CATALOG_URLS\)/],
    [{ TRUST_PROXY: 'true' }, /http\.trustProxy \(from TRUST_PROXY\).*never "true"/],
    [{ PORT: 'eighty' }, /http\.port \(from PORT\)/],
    [{ JWKS_URL: 'ftp://x' }, /auth\.jwt\.jwksUrl \(from JWKS_URL\)/],
  ])('refuses to start on a bad value (%j), naming the key', async (env, message) => {
    const bff = ManagedProcess.start('web-bff', 'dist/apps/web-bff/main.js', { ...simEnv(sims.urls), PORT: String(await freePort()), ...env });
    expect(await bff.waitForExit(15_000)).not.toBe(0);
    expect(bff.logs()).toMatch(message);
  });

  it.each([
    ['a misspelt variable', { THROTTLE_LIMTI: '[]' }, 'THROTTLE_LIMTI: unknown variable (did you mean THROTTLE_LIMITS?)'],
    ['an unknown key in CONFIG_FILE', configFileEnv({ http: { prot: 9 } }), 'http.prot (from CONFIG_FILE '],
    ['a bad value', { REDIS_URL: 'http://redis:6379' }, 'redis.url (from REDIS_URL): '],
    ['a broken key file', { API_KEYS_SOURCE: 'file', API_KEYS_FILE: brokenFile('[{"id": "acme",') }, 'auth.keySource: update from file '],
  ])('stops on %s with one line naming it, and no stack trace', async (_what, env, line) => {
    const upstreams = simEnv({ catalog: sims.urls.catalog, orders: sims.urls.orders });
    const bff = ManagedProcess.start('partner-bff', 'dist/apps/partner-bff/main.js', { ...upstreams, PORT: String(await freePort()), ...env });
    expect(await bff.waitForExit(15_000)).toBe(1);
    expect(bff.output.filter((l) => l.includes(line))).toEqual([expect.stringMatching(/^partner-bff failed to start: invalid configuration: /)]);
    expect(bff.logs()).not.toMatch(/^\s+at /m);
  });

  it('serves HTTPS with HTTP/2 by ALPN (and HTTP/1.1) when a certificate is configured', async () => {
    await withTlsBff(sims, async (port, ca) => {
      const h2 = await h2Get(port, ca, ['/api/products/p1']);
      expect(h2.alpn).toBe('h2');
      expect(h2.responses[0].status).toBe(200);
      expect(JSON.parse(h2.responses[0].body).product.id).toBe('p1');
      expect(await h1Get(port, ca, '/health/live')).toMatchObject({ status: 200 });
    });
  });

  it('passes HTTP/2 clients through on pass-through routes, and their requests never open the upstream breaker for HTTP/1.1 clients', async () => {
    await withTlsBff(sims, async (port, ca) => {
      const paths = Array.from({ length: 12 }, (_, i) => `/api/catalog/products/p${(i % 5) + 1}`);
      const h2 = await h2Get(port, ca, paths);
      expect(h2.alpn).toBe('h2');
      expect(h2.responses.map((r) => r.status)).toEqual(paths.map(() => 200));
      expect(JSON.parse(h2.responses[0].body).id).toBe('p1');
      const h1 = await h1Get(port, ca, '/api/catalog/products/p2');
      expect(h1.status).toBe(200);
      expect(JSON.parse(h1.body).id).toBe('p2');
      const ready = JSON.parse((await h1Get(port, ca, '/health/ready')).body);
      const catalog = ready.details['upstream-instances'].upstreams.catalog as Array<{ breaker: string }>;
      expect(catalog.map((i) => i.breaker)).toEqual(catalog.map(() => 'closed'));
    });
  });

  it('turns ready to 503 on SIGTERM while it drains, then exits 0', async () => {
    const bff = await startBff('web-bff', sims.urls, { DRAIN_DELAY_MS: '1500', SHUTDOWN_GRACE_MS: '8000' });
    await waitUntilAnswering(`${bff.url}/health/ready`, bff.process);
    bff.process.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const ready = await fetch(`${bff.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${bff.url}/health/live`)).status).toBe(200);
    expect(await bff.process.waitForExit(10_000)).toBe(0);
  });
});

function brokenFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'broken-')), 'api-keys.json');
  writeFileSync(file, content);
  return file;
}

async function waitForTls(port: number, ca: Buffer, bff: ManagedProcess): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (!bff.running) throw new Error(`web-bff exited:\n${bff.logs()}`);
    const ok = await new Promise<boolean>((resolve) => {
      httpsRequest({ host: '127.0.0.1', port, path: '/health/live', ca, timeout: 500 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }).on('error', () => resolve(false)).end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`web-bff not answering TLS:\n${bff.logs()}`);
}

/** Starts web-bff with a fresh self-signed certificate (HTTPS, HTTP/2 by ALPN) and runs `fn` against it. */
async function withTlsBff(sims: RunningSims, fn: (port: number, ca: Buffer) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  const port = await freePort();
  const bff = ManagedProcess.start('web-bff', 'dist/apps/web-bff/main.js', {
    ...simEnv(sims.urls), HOST: '127.0.0.1', PORT: String(port), TLS_CERT_FILE: cert, TLS_KEY_FILE: key, LOG_LEVEL: 'warn',
  });
  try {
    const ca = readFileSync(cert);
    await waitForTls(port, ca, bff);
    await fn(port, ca);
  } finally {
    await bff.stop();
  }
}

/** GETs each path, one after another, on one HTTP/2 session. */
async function h2Get(port: number, ca: Buffer, paths: string[]): Promise<{ alpn: string | false; responses: Array<{ status: number; body: string }> }> {
  const session = connect(`https://127.0.0.1:${port}`, { ca });
  let failed: ((error: Error) => void) | undefined;
  session.on('error', (error) => failed?.(error));
  try {
    const responses: Array<{ status: number; body: string }> = [];
    for (const path of paths) {
      responses.push(
        await new Promise((resolve, reject) => {
          failed = reject;
          const stream = session.request({ ':path': path });
          let body = '';
          let status = 0;
          stream.on('response', (headers) => (status = Number(headers[':status'])));
          stream.on('data', (c) => (body += c));
          stream.on('error', reject);
          stream.on('end', () => resolve({ status, body }));
        }),
      );
    }
    return { alpn: (session.socket as unknown as { alpnProtocol: string | false }).alpnProtocol, responses };
  } finally {
    session.close();
  }
}

function h1Get(port: number, ca: Buffer, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsRequest({ host: '127.0.0.1', port, path, ca }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}
