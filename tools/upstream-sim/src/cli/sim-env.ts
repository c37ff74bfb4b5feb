import { readFileSync } from 'node:fs';
import { DEFAULT_HOST, isServiceName, SERVICE_NAMES, type ServiceName } from '../app/service-names';
import type { StartSimsOptions } from '../start-sims';

export interface SimCliOptions extends StartSimsOptions {
  /** Where to write `{ "<service>": "<url>" }` once every service listens. */
  readyFile?: string;
}

/** Names every environment variable the sim reads. */
export const SIM_ENV_KEYS = [
  'SIM_SERVICES',
  'SIM_HOST',
  'HOST',
  ...SERVICE_NAMES.map(portKey),
  'SIM_READY_FILE',
  'SIM_ISSUER',
  'SIM_AUDIENCE',
  'SIM_TOKEN_TTL_S',
  'TOKEN_TTL_S',
  'SIM_LOG',
  'SIM_INVENTORY_TLS_CERT',
  'SIM_INVENTORY_TLS_KEY',
] as const;

function portKey(name: ServiceName): string {
  return `SIM_${name.toUpperCase()}_PORT`;
}

/**
 * Reads the sim's settings from the environment; a bad value throws an error
 * naming the variable, so the process stops at start instead of misbehaving.
 */
export function simOptionsFromEnv(env: NodeJS.ProcessEnv): SimCliOptions {
  const ports: Partial<Record<ServiceName, number>> = {};
  for (const name of SERVICE_NAMES) {
    const raw = env[portKey(name)];
    if (raw !== undefined && raw !== '') ports[name] = readInt(portKey(name), raw, 0, 65_535);
  }
  const ttl = env['SIM_TOKEN_TTL_S'] || env['TOKEN_TTL_S'];
  const inventoryTls = readInventoryTls(env);
  return {
    ...(inventoryTls ? { inventoryTls } : {}),
    services: readServices(env['SIM_SERVICES']),
    ports,
    host: env['SIM_HOST'] || env['HOST'] || DEFAULT_HOST,
    logger: env['SIM_LOG'] === '1' || env['SIM_LOG'] === 'true',
    readyFile: env['SIM_READY_FILE'] || undefined,
    identity: {
      issuer: env['SIM_ISSUER'] || undefined,
      audience: env['SIM_AUDIENCE'] || undefined,
      tokenTtlS: ttl ? readInt(env['SIM_TOKEN_TTL_S'] ? 'SIM_TOKEN_TTL_S' : 'TOKEN_TTL_S', ttl, 1, 86_400 * 365) : undefined,
    },
  };
}

function readInt(key: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new Error(`${key} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** PEM files for inventory's gRPC over TLS; both or neither. */
function readInventoryTls(env: NodeJS.ProcessEnv): StartSimsOptions['inventoryTls'] {
  const certFile = env['SIM_INVENTORY_TLS_CERT'] || undefined;
  const keyFile = env['SIM_INVENTORY_TLS_KEY'] || undefined;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error('SIM_INVENTORY_TLS_CERT and SIM_INVENTORY_TLS_KEY must be set together');
  const read = (key: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`${key} cannot be read: ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, { cause: error });
    }
  };
  return { cert: read('SIM_INVENTORY_TLS_CERT', certFile), key: read('SIM_INVENTORY_TLS_KEY', keyFile) };
}

function readServices(raw: string | undefined): ServiceName[] {
  if (raw === undefined || raw.trim() === '') return [...SERVICE_NAMES];
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isServiceName(n));
  if (unknown.length > 0) {
    throw new Error(`SIM_SERVICES has unknown services: ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`);
  }
  return names as ServiceName[];
}
