import { getMetadataStorage } from 'class-validator';
import { settingsOf, type SettingMeta, type SettingsClass } from './setting.decorator';

/** How an environment variable's text becomes the setting's value. */
export type EnvFormat = 'string' | 'int' | 'number' | 'bool' | 'list' | 'json';

/** One setting as the reference, the env table and the unknown-key check see it. */
export interface SettingInfo {
  /** Dotted path; `<name>` for a named entry, `[]` for each entry of a list (`auth.apiKeys[].sha256`). */
  key: string;
  env?: string;
  description: string;
  /** What values it takes, in words (`integer, 0 to 65535`). */
  type: string;
  /** The kernel's default as JSON text; `undefined` when there is none. */
  defaultValue?: string;
  required: boolean;
  /** Declared `@IsOptional()`: may be left out (a section then is off). */
  optional: boolean;
  envFormat: EnvFormat;
  nested?: NonNullable<SettingMeta['nested']>['kind'];
}

/**
 * Every setting under `root`, depth first in declaration order.
 *
 * @example describeSettings(GatewayConfig).find((s) => s.env === 'PORT')?.key // 'http.port'
 */
export function describeSettings(root: SettingsClass): SettingInfo[] {
  return walk(root, '');
}

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

function walk(type: SettingsClass, prefix: string): SettingInfo[] {
  const validations = validationsOf(type);
  const defaults = new (type as new () => Record<string, unknown>)();
  return settingsOf(type).flatMap((meta) => {
    const key = `${prefix}${meta.property}`;
    const rules = validations.filter((v) => v.propertyName === meta.property);
    const optional = rules.some((v) => v.type === 'conditionalValidation');
    const value = defaults[meta.property];
    const info: SettingInfo = {
      key,
      env: meta.env,
      description: meta.description,
      type: typeOf(meta, rules),
      defaultValue: meta.nested?.kind === 'section' || value === undefined ? undefined : JSON.stringify(inDeclaredOrder(value)),
      required: !optional && value === undefined,
      optional,
      envFormat: envFormatOf(meta, rules),
      nested: meta.nested?.kind,
    };
    if (!meta.nested) return [info];
    const below = { section: `${key}.`, list: `${key}[].`, entries: `${key}.<name>.` }[meta.nested.kind];
    return [info, ...walk(meta.nested.type(), below)];
  });
}

/** Keys of settings objects in declaration order, whichever order the compiler assigned fields in. */
function inDeclaredOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inDeclaredOrder);
  if (typeof value !== 'object' || value === null) return value;
  const declared = settingsOf(value.constructor as SettingsClass).map((meta) => meta.property);
  const keys = [...declared.filter((key) => key in value), ...Object.keys(value).filter((key) => !declared.includes(key))];
  return Object.fromEntries(keys.map((key) => [key, inDeclaredOrder((value as Record<string, unknown>)[key])]));
}

function validationsOf(type: SettingsClass): ValidationMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
}

function named(rules: ValidationMetadata[], name: string, each = false): ValidationMetadata | undefined {
  return rules.find((v) => v.name === name && Boolean(v.each) === each);
}

function envFormatOf(meta: SettingMeta, rules: ValidationMetadata[]): EnvFormat {
  if (meta.nested) return 'json';
  if (named(rules, 'isInt')) return 'int';
  if (named(rules, 'isNumber')) return 'number';
  if (named(rules, 'isBoolean')) return 'bool';
  if (named(rules, 'isArray')) return 'list';
  return 'string';
}

function typeOf(meta: SettingMeta, rules: ValidationMetadata[]): string {
  if (meta.nested) {
    const name = meta.nested.type().name.replace(/Config$|Record$/, '');
    return { section: 'section', list: `list of ${name} (JSON)`, entries: `named ${name} entries (JSON object)` }[meta.nested.kind];
  }
  if (named(rules, 'isArray')) return `list of ${scalarOf(rules, true)} (comma-separated)`;
  return scalarOf(rules, false);
}

function scalarOf(rules: ValidationMetadata[], each: boolean): string {
  const rule = (name: string) => named(rules, name, each);
  const words: string[] = [];
  const isIn = rule('isIn');
  if (isIn) words.push(`one of ${(isIn.constraints[0] as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`);
  else if (rule('isInt')) words.push('integer');
  else if (rule('isNumber')) words.push('number');
  else if (rule('isBoolean')) words.push('boolean');
  else if (rule('isUrl')) {
    const protocols = (rule('isUrl')?.constraints[0] as { protocols?: string[] } | undefined)?.protocols ?? [];
    words.push(`URL (${protocols.join(', ')})`);
  } else words.push('string');
  const min = rule('min')?.constraints[0] as number | undefined;
  const max = rule('max')?.constraints[0] as number | undefined;
  if (min !== undefined && max !== undefined) words.push(`${min} to ${max}`);
  else if (min !== undefined) words.push(`at least ${min}`);
  else if (max !== undefined) words.push(`at most ${max}`);
  const matches = rule('matches')?.constraints[0] as RegExp | string | undefined;
  if (matches !== undefined) words.push(`matching \`${String(matches)}\``);
  return words.join(', ');
}
