import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { GatewayConfig, GatewayConfigInput, UpstreamConfig } from './gateway-config';
import { envOverrides, KNOWN_ENV_NAMES } from './env-overrides';
import { duplicateKeys } from './api-key-set';
import { misspeltEnvironment, unknownSettings } from './unknown-settings';
import { listenerTlsProblems } from './listener-tls';
import { upstreamTlsProblems } from './upstream-tls';

/**
 * Thrown at start when the configuration is unusable. Each problem is one line
 * naming the key, where its value came from and what is wrong:
 * `http.port (from PORT): must be an integer number`.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid gateway configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Builds the validated config: the app's defaults, then `CONFIG_FILE` (JSON), then env.
 * Refuses unknown keys and misspelt gateway variables as well as bad values.
 *
 * @example const config = loadGatewayConfig({ app: 'web-bff', http: { port: 3001 } });
 */
export function loadGatewayConfig(defaults: GatewayConfigInput, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE) : {};
  const { values, sources, problems: envProblems } = envOverrides(env);
  const where = sourceNames(sources, env.CONFIG_FILE, fromFile);
  const merged = deepMerge(deepMerge(structuredClone(defaults), fromFile), values) as GatewayConfigInput;

  // Unknown keys first: a misspelt key leaves its setting at the default, so its value problems would mislead.
  const unknown = [...misspeltEnvironment(env, KNOWN_ENV_NAMES), ...unknownSettings(merged, GatewayConfig, where)];
  if (unknown.length || envProblems.length) throw new ConfigError([...unknown, ...envProblems]);

  const config = plainToInstance(GatewayConfig, merged, { exposeDefaultValues: true });
  config.upstreams = Object.fromEntries(
    Object.entries(merged.upstreams ?? {}).map(([name, u]) => [
      name,
      plainToInstance(UpstreamConfig, u, { exposeDefaultValues: true }),
    ]),
  );

  const problems = [
    ...describe(validateSync(config, { forbidUnknownValues: true }), '', where),
    ...Object.entries(config.upstreams).flatMap(([name, u]) => describe(validateSync(u), `upstreams.${name}.`, where)),
    ...crossChecks(config),
  ];
  if (problems.length) throw new ConfigError(problems);
  // Files last: only a config that is otherwise sound is worth reading them for.
  const fileProblems = [...listenerTlsProblems(config, where), ...Object.entries(config.upstreams).flatMap(([name, u]) => upstreamTlsProblems(name, u, where))];
  if (fileProblems.length) throw new ConfigError(fileProblems);
  return config;
}

function crossChecks(config: GatewayConfig): string[] {
  const problems: string[] = [];
  if (config.auth.mode === 'jwt' && !config.auth.jwt) problems.push('auth.jwt: required when auth.mode is "jwt"');
  const { keySource } = config.auth;
  if (config.auth.mode === 'api-key' && keySource.from === 'config' && config.auth.apiKeys.length === 0)
    problems.push('auth.apiKeys: at least one key is required when auth.mode is "api-key" (API_KEYS)');
  if (keySource.from === 'file' && !keySource.file)
    problems.push('auth.keySource.file: required when auth.keySource.from is "file" (API_KEYS_FILE)');
  if (keySource.from === 'redis' && !config.redis)
    problems.push('auth.keySource.from: "redis" needs redis.url (REDIS_URL)');
  problems.push(...duplicateKeys(config.auth.apiKeys).map((problem) => `auth.apiKeys: ${problem}`));
  if (config.shutdown.drainDelayMs >= config.shutdown.gracePeriodMs)
    problems.push('shutdown.drainDelayMs: must be below shutdown.gracePeriodMs');
  for (const name of Object.keys(config.upstreams)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) problems.push(`upstreams.${name}: name must be lower-case letters, digits, dashes`);
  }
  return problems;
}

function describe(errors: ValidationError[], prefix: string, where: (key: string) => string): string[] {
  return errors.flatMap((error) => {
    const key = `${prefix}${error.property}`;
    const own = reasonsOf(error).map((reason) => {
      const text = reason.startsWith(`${error.property} `) ? reason.slice(error.property.length + 1) : reason;
      return `${key}${where(key)}: ${text}`;
    });
    return [...own, ...describe(error.children ?? [], `${key}.`, where)];
  });
}

/** A value of the wrong kind fails every range check too; its kind is the one reason worth a line. */
const KIND_CHECKS = ['isInt', 'isNumber', 'isBoolean', 'isString', 'isArray', 'isUrl', 'isIn'];

function reasonsOf(error: ValidationError): string[] {
  const constraints = error.constraints ?? {};
  const kind = KIND_CHECKS.find((name) => name in constraints);
  return kind ? [constraints[kind]] : Object.values(constraints);
}

/**
 * Where a key's value came from, for messages: ` (from PORT)` for env (the
 * variable that set it or a parent: API_KEYS sets auth.apiKeys.0.sha256),
 * ` (from CONFIG_FILE /etc/bff.json)` for the file, nothing for the app's defaults.
 */
function sourceNames(envSources: Map<string, string>, file: string | undefined, fromFile: unknown): (key: string) => string {
  const fileKeys = new Set<string>();
  const collect = (value: unknown, prefix: string) => {
    if (typeof value !== 'object' || value === null) return;
    for (const [name, child] of Object.entries(value)) {
      fileKeys.add(`${prefix}${name}`);
      collect(child, `${prefix}${name}.`);
    }
  };
  collect(fromFile, '');
  return (key) => {
    for (let at = key.length; at > 0; at = key.lastIndexOf('.', at - 1)) {
      const env = envSources.get(key.slice(0, at));
      if (env) return ` (from ${env})`;
    }
    return fileKeys.has(key) ? ` (from CONFIG_FILE ${file})` : '';
  };
}

function readConfigFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // A parser's message may quote the file (which can hold a Redis password): say only what failed.
    const reason = error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message;
    throw new ConfigError([`CONFIG_FILE (${file}): ${reason}`]);
  }
  if (!isPlainObject(parsed)) throw new ConfigError([`CONFIG_FILE (${file}): must hold a JSON object of settings`]);
  return parsed;
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
