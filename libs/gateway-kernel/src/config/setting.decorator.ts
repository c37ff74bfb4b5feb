import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, ValidateNested } from 'class-validator';

/** A class of settings (a section, an entry of a list, an entry of named entries). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type SettingsClass = Function & { prototype: object };

export interface SettingOptions {
  /**
   * The environment variable that sets it. Under named entries, `<NAME>`
   * stands for the entry's name, upper-cased with `_` for `-`
   * (`UPSTREAM_<NAME>_URLS` sets `upstreams.<name>.urls`).
   */
  env?: string;
}

export interface SettingMeta {
  property: string;
  description: string;
  env?: string;
  /** Settings below this one: one object, a list of objects, or an object of named entries. */
  nested?: { kind: 'section' | 'list' | 'entries'; type: () => SettingsClass };
}

const SETTINGS = Symbol('gateway:settings');

function record(target: object, meta: SettingMeta): void {
  const own: SettingMeta[] = Reflect.getOwnMetadata(SETTINGS, target) ?? [];
  Reflect.defineMetadata(SETTINGS, [...own, meta], target);
}

/**
 * One setting's facts in one place: what it does and the variable that sets
 * it. The settings reference (docs/configuration.md), the env table and the
 * unknown-key check are all read from these.
 *
 * @example @Setting('Port the BFF listens on.', { env: 'PORT' }) @IsInt() port = 3000;
 */
export function Setting(description: string, options: SettingOptions = {}): PropertyDecorator {
  return (target, property) => record(target, { property: String(property), description, env: options.env });
}

/**
 * A group of settings held in one object of the given class, validated as a whole.
 *
 * @example @Section(() => HttpConfig, 'Listener limits.') http = new HttpConfig();
 */
export function Section(type: () => SettingsClass, description: string, options: SettingOptions = {}): PropertyDecorator {
  const validate = ValidateNested();
  const transform = Type(type as never);
  return (target, property) => {
    validate(target, property);
    transform(target, property);
    record(target, { property: String(property), description, env: options.env, nested: { kind: 'section', type } });
  };
}

/**
 * A list of objects of the given class, each validated.
 *
 * @example @ListOf(() => ApiKeyRecord, 'Partner API keys.', { env: 'API_KEYS' }) apiKeys: ApiKeyRecord[] = [];
 */
export function ListOf(type: () => SettingsClass, description: string, options: SettingOptions = {}): PropertyDecorator {
  const decorators = [IsArray(), ValidateNested({ each: true }), Type(type as never)];
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
    record(target, { property: String(property), description, env: options.env, nested: { kind: 'list', type } });
  };
}

/**
 * An object of named entries of the given class (`upstreams.catalog`). Only
 * declares them: class-validator cannot walk such an object, so the owner
 * validates its entries (load-config for upstreams, a custom validator for tiers).
 *
 * @example @EntriesOf(() => UpstreamConfig, 'Named upstreams.') upstreams: Record<string, UpstreamConfig> = {};
 */
export function EntriesOf(type: () => SettingsClass, description: string, options: SettingOptions = {}): PropertyDecorator {
  return (target, property) =>
    record(target, { property: String(property), description, env: options.env, nested: { kind: 'entries', type } });
}

/** The settings a class declares, in declaration order. */
export function settingsOf(type: SettingsClass): readonly SettingMeta[] {
  return Reflect.getOwnMetadata(SETTINGS, type.prototype) ?? [];
}
