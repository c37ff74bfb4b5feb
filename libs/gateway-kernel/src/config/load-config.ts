import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { GatewayConfig, GatewayConfigInput, UpstreamConfig } from './gateway-config';
import { envOverrides } from './env-overrides';

/** Thrown at start when the configuration is unusable; the message names each bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid gateway configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Builds the validated config: the app's defaults, then `CONFIG_FILE` (JSON), then env.
 *
 * @example const config = loadGatewayConfig({ app: 'web-bff', http: { port: 3001 } });
 */
export function loadGatewayConfig(defaults: GatewayConfigInput, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : {};
  const { values, sources } = envOverrides(env);
  const merged = deepMerge(deepMerge(structuredClone(defaults), fromFile), values) as GatewayConfigInput;

  const config = plainToInstance(GatewayConfig, merged, { exposeDefaultValues: true });
  config.upstreams = Object.fromEntries(
    Object.entries(merged.upstreams ?? {}).map(([name, u]) => [
      name,
      plainToInstance(UpstreamConfig, u, { exposeDefaultValues: true }),
    ]),
  );

  const problems = [
    ...describe(validateSync(config, { forbidUnknownValues: true }), '', sources),
    ...Object.entries(config.upstreams).flatMap(([name, u]) =>
      describe(validateSync(u), `upstreams.${name}.`, sources),
    ),
    ...crossChecks(config),
  ];
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function crossChecks(config: GatewayConfig): string[] {
  const problems: string[] = [];
  if (config.auth.mode === 'jwt' && !config.auth.jwt) problems.push('auth.jwt: required when auth.mode is "jwt"');
  if (config.auth.mode === 'api-key' && config.auth.apiKeys.length === 0)
    problems.push('auth.apiKeys: at least one key is required when auth.mode is "api-key" (API_KEYS)');
  if (config.shutdown.drainDelayMs >= config.shutdown.gracePeriodMs)
    problems.push('shutdown.drainDelayMs: must be below shutdown.gracePeriodMs');
  for (const name of Object.keys(config.upstreams)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) problems.push(`upstreams.${name}: name must be lower-case letters, digits, dashes`);
  }
  return problems;
}

function describe(errors: ValidationError[], prefix: string, sources: Map<string, string>): string[] {
  return errors.flatMap((error) => {
    const key = `${prefix}${error.property}`;
    const env = sourceOf(key, sources);
    const own = Object.values(error.constraints ?? {}).map((reason) => {
      const text = reason.startsWith(`${error.property} `) ? reason.slice(error.property.length + 1) : reason;
      return `${key}${env ? ` (from ${env})` : ''}: ${text}`;
    });
    return [...own, ...describe(error.children ?? [], `${key}.`, sources)];
  });
}

/** The env variable that set this key or one of its parents (API_KEYS sets auth.apiKeys.0.sha256). */
function sourceOf(key: string, sources: Map<string, string>): string | undefined {
  for (let at = key.length; at > 0; at = key.lastIndexOf('.', at - 1)) {
    const env = sources.get(key.slice(0, at));
    if (env) return env;
  }
  return undefined;
}

function readConfigFile(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError([`CONFIG_FILE: cannot read ${file} as JSON (${(error as Error).message})`]);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars from `over` replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}
