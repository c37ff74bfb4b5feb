import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess } from './managed-process';

/** inventory speaks gRPC at its URL's host:port; its `/__sim/*` answer over HTTP at the same URL. */
export type SimName = 'identity' | 'users' | 'catalog' | 'orders' | 'reviews' | 'inventory';
export type SimUrls = Record<SimName, string>;

export interface RunningSims {
  urls: SimUrls;
  process: ManagedProcess;
  stop(): Promise<void>;
}

const SIM_SCRIPT = 'dist/tools/upstream-sim/main.js';

/** Starts the simulated upstreams (built by `nx build upstream-sim`) on free ports. */
export async function startSims(services?: SimName[], env: Record<string, string> = {}): Promise<RunningSims> {
  const readyFile = join(mkdtempSync(join(tmpdir(), 'sims-')), 'ready.json');
  const process = ManagedProcess.start('upstream-sim', SIM_SCRIPT, {
    HOST: '127.0.0.1',
    SIM_IDENTITY_PORT: '0',
    SIM_USERS_PORT: '0',
    SIM_CATALOG_PORT: '0',
    SIM_ORDERS_PORT: '0',
    SIM_REVIEWS_PORT: '0',
    SIM_INVENTORY_PORT: '0',
    SIM_READY_FILE: readyFile,
    ...(services ? { SIM_SERVICES: services.join(',') } : {}),
    ...env,
  });
  const until = Date.now() + 15_000;
  while (!existsSync(readyFile)) {
    if (!process.running || Date.now() > until) throw new Error(`upstream-sim did not start:\n${process.logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const urls = JSON.parse(readFileSync(readyFile, 'utf8')) as SimUrls;
  return { urls, process, stop: () => process.stop() };
}

/** The fault and stats API every sim serves. */
export function simControl(url: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    setFaults: (faults: Record<string, unknown>) => call('PUT', '/__sim/faults', faults),
    clearFaults: () => call('DELETE', '/__sim/faults'),
    stats: () =>
      call('GET', '/__sim/stats') as Promise<{
        total: number;
        byRoute: Record<string, number>;
        lastRequests: { method: string; url: string; headers: Record<string, string> }[];
      }>,
    clearStats: () => call('DELETE', '/__sim/stats'),
  };
}
