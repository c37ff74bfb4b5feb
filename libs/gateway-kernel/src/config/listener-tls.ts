import { readFileSync } from 'node:fs';
import type { GatewayConfig, TlsConfig } from './gateway-config';
import { readPemFile } from './pem-files';

/** The listener's certificate and key as read when the config was checked, so start-up reads each file once. */
const READ = new WeakMap<TlsConfig, { cert: Buffer; key: Buffer }>();

/**
 * What is wrong with the app's own HTTPS files (`tls.certFile`,
 * `tls.keyFile`), one line per problem naming the key, checked at start
 * like the upstreams' (see upstream-tls): a missing file or a key where the
 * certificate should be stops the app with that line.
 *
 * @example listenerTlsProblems(config, where) // ['tls.keyFile (from TLS_KEY_FILE): cannot read /k.pem (ENOENT)']
 */
export function listenerTlsProblems(config: GatewayConfig, where: (key: string) => string): string[] {
  const tls = config.tls;
  if (!tls) return [];
  const problems: string[] = [];
  const cert = readPemFile('tls.certFile', tls.certFile, 'certificate', where, problems);
  const key = readPemFile('tls.keyFile', tls.keyFile, 'private key', where, problems);
  if (cert && key) READ.set(tls, { cert, key });
  return problems;
}

/**
 * The listener's PEM files: as checked by loadGatewayConfig, or read now for
 * a config that was not loaded by it (specs).
 *
 * @example const { cert, key } = listenerTlsFiles(config.tls);
 */
export function listenerTlsFiles(tls: TlsConfig): { cert: Buffer; key: Buffer } {
  return READ.get(tls) ?? { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) };
}
