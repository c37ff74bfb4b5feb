import { GatewayConfig } from './gateway-config';
import { describeSettings, type SettingInfo } from './settings-schema';

/** The command that rewrites docs/configuration.md; the drift test names it. */
export const SETTINGS_REFERENCE_COMMAND = 'npm run docs:settings';

/**
 * docs/configuration.md: every setting of `GatewayConfig`, from the schema's
 * `@Setting` declarations (never edited by hand).
 *
 * @example writeFileSync('docs/configuration.md', renderSettingsReference());
 */
export function renderSettingsReference(settings: readonly SettingInfo[] = describeSettings(GatewayConfig)): string {
  // Top-level scalars share one table; each top-level section, list or entries object gets its own.
  const general: SettingInfo[] = [];
  const sections = new Map<string, SettingInfo[]>();
  for (const setting of settings) {
    const top = setting.key.split(/[.[]/)[0];
    if (setting.key === top && !setting.nested) general.push(setting);
    else sections.set(top, [...(sections.get(top) ?? []), setting]);
  }
  const lines = [
    '# Configuration reference',
    '',
    `<!-- Generated from libs/gateway-kernel/src/config/gateway-config.ts by \`${SETTINGS_REFERENCE_COMMAND}\`; do not edit. -->`,
    '',
    'Every BFF reads the same settings, in this order: the app\'s defaults',
    '(`apps/*/src/app/*.config.ts`, which set e.g. `http.port`, `upstreams` and',
    '`auth.mode`), then the JSON file named by `CONFIG_FILE`, then the environment',
    'variables below. A key, in the file or the defaults, that is not in this list',
    'stops the app at start with its path and the nearest valid name; so does a',
    'misspelt variable that shares a prefix with the gateway\'s own (`THROTTLE_LIMTI`).',
    'A bad value stops it with one line naming the key, where it came from and why.',
    '',
    '`<name>` stands for an entry\'s name (`upstreams.catalog.urls`); in a variable it is',
    'upper-cased with `_` for `-` (`UPSTREAM_NEW_THING_URLS` sets `upstreams.new-thing.urls`).',
    '`[]` stands for each entry of a list. Durations are milliseconds unless named otherwise.',
    '',
  ];
  lines.push('## General', '', ...table(general));
  for (const [top, rows] of sections) {
    const [head, ...below] = rows;
    const optional = head.nested === 'section' && head.optional ? ' Optional: absent unless set, and then its required keys must be.' : '';
    lines.push(`## \`${top}\``, '', `${head.description}${optional}`, '', ...table(head.nested === 'section' ? below : rows));
  }
  return lines.join('\n');
}

function table(rows: readonly SettingInfo[]): string[] {
  return [
    '| key | variable | type | default | what it does |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) => `| \`${row.key}\` | ${row.env ? `\`${row.env}\`` : ''} | ${cell(row.type)} | ${defaultOf(row)} | ${cell(row.description)} |`,
    ),
    '',
  ];
}

function defaultOf(row: SettingInfo): string {
  if (row.nested === 'section') return '';
  if (row.required) return 'required';
  return row.defaultValue === undefined ? 'unset' : `\`${cell(row.defaultValue)}\``;
}

/** Table cells: a `|` would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
