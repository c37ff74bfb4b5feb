import { freePort } from './free-port';
import { ManagedProcess, waitUntilAnswering } from './managed-process';
import type { SimUrls } from './sims';

export type BffName = 'web-bff' | 'mobile-bff' | 'partner-bff';

export interface RunningBff {
  name: BffName;
  url: string;
  port: number;
  /** The management listener (`GET /metrics`), apart from the clients' port. */
  managementUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** The env that points a BFF at a set of sims. */
export function simEnv(sims: Partial<SimUrls>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, url] of Object.entries(sims)) {
    if (name !== 'identity') env[`UPSTREAM_${name.toUpperCase()}_URLS`] = url as string;
  }
  if (sims.identity) {
    env.JWKS_URL = `${sims.identity}/.well-known/jwks.json`;
    env.JWT_ISSUER = sims.identity;
  }
  return env;
}

/** Starts a built BFF (`dist/apps/<name>/main.js`) on free ports (clients', management) and waits until it is live. */
export async function startBff(name: BffName, sims: Partial<SimUrls>, env: Record<string, string> = {}): Promise<RunningBff> {
  const [port, managementPort] = [await freePort(), await freePort()];
  const process = ManagedProcess.start(name, `dist/apps/${name}/main.js`, {
    HOST: '127.0.0.1',
    PORT: String(port),
    MANAGEMENT_PORT: String(managementPort),
    LOG_LEVEL: 'warn',
    DRAIN_DELAY_MS: '0',
    SHUTDOWN_GRACE_MS: '5000',
    // Load shedding is the kernel specs' subject; here a busy machine's event-loop delay would only shed the suites' requests.
    OVERLOAD_ENABLED: 'false',
    ...simEnv(sims),
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${url}/health/live`, process);
  return { name, url, port, managementUrl: `http://127.0.0.1:${managementPort}`, process, stop: () => process.stop() };
}
