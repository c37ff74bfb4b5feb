import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What a PEM file must hold. */
export type PemKind = 'certificate' | 'private key';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads a PEM file named by a setting and parses it as `kind`, at start:
 * the file's bytes, or undefined with one line added to `problems` naming
 * the setting (`tls.keyFile (from TLS_KEY_FILE): cannot read /k.pem
 * (ENOENT)`), so a bad path or a key in place of a certificate stops the app
 * with that line instead of failing later with a stack trace.
 *
 * @example const ca = readPemFile('upstreams.inventory.tls.caFile', tls.caFile, 'certificate', where, problems);
 */
export function readPemFile(key: string, file: string, kind: PemKind, where: (key: string) => string, problems: string[]): Buffer | undefined {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    problems.push(`${key}${where(key)}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    return undefined;
  }
  try {
    if (kind === 'private key') createPrivateKey(pem);
    else certificates(pem);
    return pem;
  } catch {
    // The parser's message says nothing the key name does not; the file's text (a key) must not reach a log.
    problems.push(`${key}${where(key)}: ${file} holds no PEM ${kind}`);
    return undefined;
  }
}

function certificates(pem: Buffer): void {
  const blocks = pem.toString('utf8').match(PEM_CERTIFICATE);
  if (!blocks) throw new Error('no certificate');
  for (const block of blocks) new X509Certificate(block);
}
