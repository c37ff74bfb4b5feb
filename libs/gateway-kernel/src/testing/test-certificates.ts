import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a throwaway private CA and two certificates it signed, in a fresh temp folder. */
export interface TestCertificates {
  dir: string;
  caFile: string;
  /** The server's certificate, for `serverName` only (no IP in it: a client must send the name). */
  serverCertFile: string;
  serverKeyFile: string;
  serverName: string;
  /** A client certificate (mutual TLS), CN `gateway`. */
  clientCertFile: string;
  clientKeyFile: string;
  /** A second CA, which signed nothing here: trusting it alone must fail. */
  otherCaFile: string;
}

/**
 * Makes a private CA, a server certificate for `serverName` and a client
 * certificate with the `openssl` CLI (made at test time: no key is ever
 * committed). Throws with a clear message when openssl is not installed.
 *
 * @example const certs = makeTestCertificates(); new Pool(url, { connect: { ca: readFileSync(certs.caFile) } });
 */
export function makeTestCertificates(serverName = 'upstream.test'): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'certs-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(missing ? 'the openssl CLI is needed to make test certificates (apt-get install openssl)' : `openssl ${args[0]} failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`, { cause: error });
    }
  };
  const ca = (name: string) =>
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', at(`${name}.key`), '-out', at(`${name}.pem`));
  const signed = (name: string, subject: string, extensions: string) => {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`));
    writeFileSync(at(`${name}.ext`), extensions);
    openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('test-ca.pem'), '-CAkey', at('test-ca.key'), '-CAcreateserial', '-days', '2', '-extfile', at(`${name}.ext`), '-out', at(`${name}.pem`));
  };
  ca('test-ca');
  ca('other-ca');
  signed('server', `/CN=${serverName}`, `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth\n`);
  signed('client', '/CN=gateway', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caFile: at('test-ca.pem'),
    serverCertFile: at('server.pem'),
    serverKeyFile: at('server.key'),
    serverName,
    clientCertFile: at('client.pem'),
    clientKeyFile: at('client.key'),
    otherCaFile: at('other-ca.pem'),
  };
}
