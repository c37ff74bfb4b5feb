import type { GatewayConfig } from './gateway-config';
import { readPemFile } from './pem-files';

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
  readPemFile('tls.certFile', tls.certFile, 'certificate', where, problems);
  readPemFile('tls.keyFile', tls.keyFile, 'private key', where, problems);
  return problems;
}
