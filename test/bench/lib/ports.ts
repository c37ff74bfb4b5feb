import { createServer } from 'node:net';
import type { SimUrls } from '../../src/support/sims';

/** A port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The env that points a BFF at the sims (as the e2e harness's simEnv does;
 * kept here so the bench process does not load the kernel's test helpers).
 */
export function simEnv(sims: SimUrls): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, url] of Object.entries(sims)) {
    if (name !== 'identity') env[`UPSTREAM_${name.toUpperCase()}_URLS`] = url;
  }
  env.JWKS_URL = `${sims.identity}/.well-known/jwks.json`;
  env.JWT_ISSUER = sims.identity;
  return env;
}
