import { GatewayConfig } from './gateway-config';
import { describeSettings, type EnvFormat } from './settings-schema';

/** A variable that sets one key, or (with `<NAME>`) the same key of any named entry. */
interface EnvBinding {
  key: string;
  format: EnvFormat;
}

interface EnvTemplate extends EnvBinding {
  pattern: RegExp;
  /** Longer suffixes are tried first, so `_CONNECT_TIMEOUT_MS` is never read as a name ending in `_CONNECT`. */
  suffixLength: number;
}

/**
 * The variables a BFF reads, taken from the schema's `@Setting({ env })` once
 * at load: `PORT` sets `http.port`; `UPSTREAM_<NAME>_URLS` sets
 * `upstreams.<name>.urls` for any name (`UPSTREAM_NEW_THING_URLS` is `new-thing`).
 */
const SETTINGS = describeSettings(GatewayConfig).flatMap((s) => (s.env ? [{ ...s, env: s.env }] : []));
const EXACT = new Map<string, EnvBinding>(
  SETTINGS.filter((s) => !s.env.includes('<NAME>')).map((s) => [s.env, { key: s.key, format: s.envFormat }]),
);
const TEMPLATES: EnvTemplate[] = SETTINGS.filter((s) => s.env.includes('<NAME>'))
  .map((s) => {
    const [before, after] = s.env.split('<NAME>');
    return {
      key: s.key,
      format: s.envFormat,
      pattern: new RegExp(`^${before}([A-Z0-9_]+)${after}$`),
      suffixLength: after.length,
    };
  })
  .sort((a, b) => b.suffixLength - a.suffixLength);

/** Every variable name the gateway reads (templates with `<NAME>`), plus CONFIG_FILE. */
export const KNOWN_ENV_NAMES: readonly string[] = ['CONFIG_FILE', ...SETTINGS.map((s) => s.env)];

export interface EnvOverrides {
  values: Record<string, unknown>;
  /** config key -> the env variable it came from, so errors can name it. */
  sources: Map<string, string>;
  /** Variables whose text could not be read (JSON that does not parse). */
  problems: string[];
}

export function envOverrides(env: NodeJS.ProcessEnv): EnvOverrides {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const problems: string[] = [];
  const set = (name: string, key: string, raw: string, format: EnvFormat) => {
    const value = parse(raw, format);
    if (value === UNREADABLE) {
      problems.push(`${key} (from ${name}): not valid JSON`);
      return;
    }
    const parts = key.split('.');
    let node = values;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = value;
    sources.set(key, name);
  };

  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || raw === '') continue;
    const known = EXACT.get(name);
    if (known) {
      set(name, known.key, raw, known.format);
      continue;
    }
    for (const template of TEMPLATES) {
      const match = template.pattern.exec(name);
      if (!match) continue;
      set(name, template.key.replace('<name>', match[1].toLowerCase().replace(/_/g, '-')), raw, template.format);
      break;
    }
  }
  return { values, sources, problems };
}

const UNREADABLE = Symbol('unreadable');

function parse(raw: string, format: EnvFormat): unknown {
  switch (format) {
    case 'int':
      // Left as the raw string when not an integer, so validation names the key.
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'bool':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        // The parser's message would quote the value, which may hold hashes or more.
        return UNREADABLE;
      }
    default:
      return raw.trim();
  }
}
