import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ServerCredentials } from '@grpc/grpc-js';
import type { GatewayError } from '../../errors';
import { makeTestCertificates, type TestCertificates } from '../../testing/test-certificates';
import { answer, TestGrpcUpstream, testGrpcUpstreamConfig } from '../../testing/test-grpc-upstream';
import { testUpstreamConfig } from '../../testing/test-upstream';
import { UpstreamClient } from '../upstream-client';

const P1 = { sku: 'p1', stock: 3, available: true, revision: 0, updatedAt: '' };
const noResilience = { retry: { maxAttempts: 0 }, breaker: { enabled: false } };
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);

/**
 * An upstream's `tls` settings reach both transports: the private CA is
 * trusted, the client certificate presented (the servers here require one),
 * the server name checked. Certificates are made at test time with openssl.
 */
describe('upstream TLS settings (private CA, client certificate, server name)', () => {
  let certs: TestCertificates;
  let client: UpstreamClient | undefined;
  const read = (file: string) => readFileSync(file);

  beforeAll(() => {
    certs = makeTestCertificates();
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  const fullTls = () => ({ caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile, serverName: certs.serverName });

  describe('gRPC (node:http2)', () => {
    let upstream: TestGrpcUpstream;

    beforeAll(async () => {
      const credentials = ServerCredentials.createSsl(read(certs.caFile), [{ cert_chain: read(certs.serverCertFile), private_key: read(certs.serverKeyFile) }], true);
      upstream = await TestGrpcUpstream.start(0, credentials);
      upstream.unary('GetAvailability', answer(P1));
    });
    afterAll(() => upstream.close());

    const connect = (tls: Record<string, string> | undefined) =>
      (client = new UpstreamClient('inventory', testGrpcUpstreamConfig([upstream.url], { ...noResilience, ...(tls ? { tls } : {}) })));

    it('calls over TLS with the private CA, the client certificate and the server name, and the instance is ready', async () => {
      const inventory = connect(fullTls());
      expect(await inventory.callRpc('GetAvailability', { sku: 'p1' })).toEqual(P1);
      expect(await inventory.instances[0].transport.probe('', 1_000)).toBe(true);
    });

    it.each<[string, () => Record<string, string> | undefined]>([
      ['no tls settings (the system CAs do not know the private CA)', () => undefined],
      ['another CA', () => ({ ...fullTls(), caFile: certs.otherCaFile })],
      ['no client certificate', () => ({ caFile: certs.caFile, serverName: certs.serverName })],
      ['a server name the certificate does not hold', () => ({ ...fullTls(), serverName: 'elsewhere.test' })],
    ])('fails as unavailable (503) with %s, and the instance is not ready', async (_case, tls) => {
      const inventory = connect(tls());
      const error = await failure(inventory.callRpc('GetAvailability', { sku: 'p1' }));
      expect(error?.status).toBe(503);
      expect(JSON.stringify({ ...error, message: error?.message })).not.toMatch(/certificate|self.signed|alert|127\.0\.0\.1/i);
      expect(await inventory.instances[0].transport.probe('', 1_000)).toBe(false);
    });
  });

  describe('HTTP (undici)', () => {
    let server: Server;
    let url: string;
    const clientsSeen: string[] = [];

    beforeAll(async () => {
      server = createServer({ ca: read(certs.caFile), cert: read(certs.serverCertFile), key: read(certs.serverKeyFile), requestCert: true, rejectUnauthorized: true }, (req, res) => {
        clientsSeen.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('presents the client certificate to an upstream that requires one', async () => {
      client = new UpstreamClient('svc', testUpstreamConfig([url], { ...noResilience, tls: fullTls() }));
      expect(await client.callJson({ url: '/x' })).toEqual({ ok: true });
      expect(clientsSeen).toEqual(['gateway']);
    });

    it('is refused without the private CA', async () => {
      client = new UpstreamClient('svc', testUpstreamConfig([url], { ...noResilience, tls: { certFile: certs.clientCertFile, keyFile: certs.clientKeyFile, serverName: certs.serverName } }));
      const error = await failure(client.callJson({ url: '/x' }));
      expect(error?.status).toBeGreaterThanOrEqual(502);
      expect(error?.status).toBeLessThanOrEqual(503);
    });
  });
});
