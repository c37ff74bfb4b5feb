import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { GatewayConfig } from './gateway-config';
import { settingsOf, type SettingsClass } from './setting.decorator';
import { describeSettings } from './settings-schema';
import { renderSettingsReference, SETTINGS_REFERENCE_COMMAND } from './settings-reference';

const REFERENCE = join(__dirname, '..', '..', '..', '..', 'docs', 'configuration.md');

/** Every class reachable from GatewayConfig through its sections, lists and entries. */
function settingsClasses(root: SettingsClass, seen = new Set<SettingsClass>()): Set<SettingsClass> {
  seen.add(root);
  for (const meta of settingsOf(root)) {
    const below = meta.nested?.type();
    if (below && !seen.has(below)) settingsClasses(below, seen);
  }
  return seen;
}

describe('the settings reference (docs/configuration.md)', () => {
  it('is what the schema says', () => {
    const committed = readFileSync(REFERENCE, 'utf8');
    const fresh = renderSettingsReference();
    if (committed !== fresh) {
      throw new Error(
        `docs/configuration.md is out of date with libs/gateway-kernel/src/config: run \`${SETTINGS_REFERENCE_COMMAND}\` and commit the result.`,
      );
    }
  });

  it('describes every validated property: a new setting needs @Setting (or @Section, @ListOf, @EntriesOf)', () => {
    const undocumented = [...settingsClasses(GatewayConfig)].flatMap((type) => {
      const documented = new Set(settingsOf(type).map((meta) => meta.property));
      const validated = new Set(getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).map((v) => v.propertyName));
      return [...validated].filter((property) => !documented.has(property)).map((property) => `${type.name}.${property}`);
    });
    expect(undocumented).toEqual([]);
  });

  it('gives each setting a description and each variable one setting', () => {
    const settings = describeSettings(GatewayConfig);
    expect(settings.filter((s) => s.description.trim().length < 10).map((s) => s.key)).toEqual([]);
    const envs = settings.flatMap((s) => (s.env ? [s.env] : []));
    expect(envs.filter((env, i) => envs.indexOf(env) !== i)).toEqual([]);
  });

  it.each([
    ['CORS_ORIGINS', 'http.corsOrigins'],
    ['THROTTLE_LIMITS', 'throttling.limits'],
    ['THROTTLE_TIERS', 'throttling.tiers'],
    ['THROTTLE_AUTH_FAILURES_LIMIT', 'throttling.authFailures.limit'],
    ['REDIS_URL', 'redis.url'],
    ['REDIS_COMMAND_TIMEOUT_MS', 'redis.commandTimeoutMs'],
    ['REDIS_KEY_PREFIX', 'redis.keyPrefix'],
    ['UPSTREAM_<NAME>_URLS', 'upstreams.<name>.urls'],
  ])('lists %s as the variable of %s, with its type and default', (env, key) => {
    const row = renderSettingsReference()
      .split('\n')
      .find((line) => line.startsWith(`| \`${key}\` | \`${env}\` |`));
    expect(row).toBeDefined();
    expect(row!.split(' | ').slice(2, 5).every((cell) => cell.trim() !== '')).toBe(true);
  });
});
