import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, freePort, simEnv, startBff, startSims, waitUntilAnswering, type RunningSims } from '../support';

describe('starting a BFF', () => {
  let sims: RunningSims;

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews']);
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

  it('serves HTTPS with HTTP/2 by ALPN (and HTTP/1.1) when a certificate is configured', async () => {
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
      const h2 = await new Promise<{ status: number; alpn: string | false; body: string }>((resolve, reject) => {
        const session = connect(`https://127.0.0.1:${port}`, { ca });
        session.on('error', reject);
        const stream = session.request({ ':path': '/api/products/p1' });
        let body = '';
        let status = 0;
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (c) => (body += c));
        stream.on('end', () => {
          const alpn = (session.socket as unknown as { alpnProtocol: string | false }).alpnProtocol;
          session.close();
          resolve({ status, alpn, body });
        });
      });
      expect(h2.alpn).toBe('h2');
      expect(h2.status).toBe(200);
      expect(JSON.parse(h2.body).product.id).toBe('p1');
      const h1 = await new Promise<number>((resolve, reject) => {
        httpsRequest({ host: '127.0.0.1', port, path: '/health/live', ca }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject).end();
      });
      expect(h1).toBe(200);
    } finally {
      await bff.stop();
    }
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
