export const FAULT_MODES = ['ok', 'down', 'hang', 'garbage', 'reset'] as const;

/**
 * - `ok`: answer normally, except an `errorRate` share gets `status` with a
 *   body full of internal details (which a gateway must never pass on);
 * - `down`: destroy the socket before any byte is written;
 * - `reset`: write half a status line and headers, then reset the connection;
 * - `hang`: never answer; the socket stays open until the client gives up;
 * - `garbage`: 200 `application/json` whose body is not JSON.
 */
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultConfig {
  /** Delay before the outcome, for every matched request. */
  latencyMs: number;
  /** Extra delay, uniform in [0, jitterMs). */
  jitterMs: number;
  /**
   * Share of matched requests (0..1) that get the fault: the error `status`
   * when mode is `ok`, otherwise the mode. Defaults to 0 for `ok` and 1 for
   * any other mode.
   */
  errorRate: number;
  /** Status of injected errors (400..599), default 500. */
  status: number;
  mode: FaultMode;
  /** URL prefixes the faults apply to; empty means every non-control route. */
  routes: string[];
}

export type FaultConfigInput = Partial<FaultConfig>;

export const NO_FAULTS: Readonly<FaultConfig> = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  status: 500,
  mode: 'ok',
  routes: [],
});

const MAX_DELAY_MS = 600_000;
const FIELDS = new Set(Object.keys(NO_FAULTS));

export class FaultConfigError extends Error {
  override name = 'FaultConfigError';
}

/**
 * Checks a `PUT /__sim/faults` body (or `startService`'s `faults` option) and
 * fills in defaults. Unknown fields are rejected, so a typo never passes as
 * "no faults".
 *
 * @example parseFaultConfig({ mode: 'down', errorRate: 0.3 })
 */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new FaultConfigError('faults must be a JSON object');
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key)) throw new FaultConfigError(`unknown field "${key}"; expected ${[...FIELDS].join(', ')}`);
  }
  const mode = body['mode'] ?? 'ok';
  if (!(FAULT_MODES as readonly unknown[]).includes(mode)) {
    throw new FaultConfigError(`mode must be one of ${FAULT_MODES.join(', ')}`);
  }
  return {
    latencyMs: readNumber(body, 'latencyMs', 0, MAX_DELAY_MS, 0),
    jitterMs: readNumber(body, 'jitterMs', 0, MAX_DELAY_MS, 0),
    errorRate: readNumber(body, 'errorRate', 0, 1, mode === 'ok' ? 0 : 1),
    status: readStatus(body),
    mode: mode as FaultMode,
    routes: readRoutes(body),
  };
}

/** False when the config changes nothing, so the request hook can skip it. */
export function hasFaults(config: FaultConfig): boolean {
  return config.latencyMs > 0 || config.jitterMs > 0 || config.errorRate > 0;
}

function readNumber(body: Record<string, unknown>, key: string, min: number, max: number, fallback: number): number {
  const value = body[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new FaultConfigError(`${key} must be a number from ${min} to ${max}`);
  }
  return value;
}

function readStatus(body: Record<string, unknown>): number {
  const status = readNumber(body, 'status', 400, 599, 500);
  if (!Number.isInteger(status)) throw new FaultConfigError('status must be an integer from 400 to 599');
  return status;
}

function readRoutes(body: Record<string, unknown>): string[] {
  const routes = body['routes'];
  if (routes === undefined) return [];
  if (!Array.isArray(routes) || !routes.every((r) => typeof r === 'string' && r.startsWith('/'))) {
    throw new FaultConfigError('routes must be an array of URL prefixes starting with "/"');
  }
  return [...routes];
}
