import { readFileSync } from 'node:fs';
import type { UpstreamConfig, UpstreamTlsConfig } from './gateway-config';
import { readPemFile, type PemKind } from './pem-files';

/** What both transports pass to TLS (node:tls options: undici's `connect`, node:http2's `connect`). */
export interface UpstreamTlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
}

/**
 * The files are read once per upstream, when the config is checked at
 * start; every connection after that (redials included) reuses what was
 * read then, so a file changed or removed later changes nothing until a
 * restart.
 */
const READ = new WeakMap<UpstreamTlsConfig, UpstreamTlsOptions>();

/**
 * An upstream's TLS options as node:tls takes them, from its `tls` section
 * (undefined when it has none): the PEM files as read at start (read here
 * for a config that was not loaded by loadGatewayConfig, as in specs).
 *
 * @example new Pool(origin, { connect: upstreamTlsOptions(config) });
 */
export function upstreamTlsOptions(config: UpstreamConfig): UpstreamTlsOptions | undefined {
  const tls = config.tls;
  if (!tls) return undefined;
  let options = READ.get(tls);
  if (!options) {
    options = {
      ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
      cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
      key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
      servername: tls.serverName,
    };
    READ.set(tls, options);
  }
  return options;
}

/**
 * What is wrong with an upstream's `tls` section, one line per problem
 * naming the key (`upstreams.inventory.tls.caFile (from ...): cannot read
 * /etc/ca.pem (ENOENT)`), so a bad path stops the app at start rather than
 * failing every call. A file that reads is parsed too: a key in place of
 * a certificate is caught here, not at the first handshake.
 */
export function upstreamTlsProblems(name: string, config: UpstreamConfig, where: (key: string) => string): string[] {
  const tls = config.tls;
  if (!tls) return [];
  const prefix = `upstreams.${name}.tls`;
  const problems: string[] = [];
  const plain = config.urls.filter((url) => !url.startsWith('https://'));
  if (plain.length > 0) problems.push(`${prefix}${where(prefix)}: applies to https:// URLs only, and ${plain.join(', ')} is not one`);
  if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
    const missing = tls.certFile ? 'keyFile' : 'certFile';
    problems.push(`${prefix}.${missing}${where(`${prefix}.${missing}`)}: required with ${missing === 'keyFile' ? 'certFile' : 'keyFile'}`);
  }
  const check = (field: 'caFile' | 'certFile' | 'keyFile', kind: PemKind): Buffer | undefined => {
    const file = tls[field];
    return file ? readPemFile(`${prefix}.${field}`, file, kind, where, problems) : undefined;
  };
  const options = { ca: check('caFile', 'certificate'), cert: check('certFile', 'certificate'), key: check('keyFile', 'private key'), servername: tls.serverName };
  if (problems.length === 0) READ.set(tls, options);
  return problems;
}
