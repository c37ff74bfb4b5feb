import { editDistance, nearestName, typoDistance } from './nearest-name';
import { settingsOf, type SettingsClass } from './setting.decorator';

/**
 * Keys of `input` that the schema does not declare, each with its path and the
 * nearest declared name: `http.prot: unknown setting (did you mean "http.port"?)`.
 * `where(path)` says where a key came from (`from CONFIG_FILE /etc/bff.json`).
 */
export function unknownSettings(input: unknown, root: SettingsClass, where: (path: string) => string): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, type: SettingsClass, prefix: string) => {
    if (!isPlainObject(value)) return; // a wrong type is the validator's to report
    const declared = new Map(settingsOf(type).map((meta) => [meta.property, meta]));
    for (const [name, child] of Object.entries(value)) {
      const path = `${prefix}${name}`;
      const meta = declared.get(name);
      if (!meta) {
        const near = nearestName(name, declared.keys());
        problems.push(`${path}${where(path)}: unknown setting${near ? ` (did you mean "${prefix}${near}"?)` : ''}`);
        continue;
      }
      if (!meta.nested) continue;
      const entryType = meta.nested.type();
      if (meta.nested.kind === 'section') visit(child, entryType, `${path}.`);
      else if (meta.nested.kind === 'list' && Array.isArray(child)) child.forEach((entry, i) => visit(entry, entryType, `${path}.${i}.`));
      else if (meta.nested.kind === 'entries' && isPlainObject(child))
        for (const [entry, entryValue] of Object.entries(child)) visit(entryValue, entryType, `${path}.${entry}.`);
    }
  };
  visit(input, root, '');
  return problems;
}

/**
 * Kubernetes gives every pod `<SERVICE>_SERVICE_HOST`, `<SERVICE>_PORT...` for
 * each Service in its namespace (a Service named `redis` makes `REDIS_PORT`),
 * so these are never taken for misspellings of the gateway's variables.
 */
const SERVICE_LINK = /_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT|PORT_\d+_(TCP|UDP|SCTP)(_ADDR|_PORT|_PROTO)?)$/;

/**
 * Environment variables that look like a misspelling of one the gateway reads
 * (`THROTTLE_LIMTI` for `THROTTLE_LIMITS`). To keep other software's variables
 * out, a name is refused only when it starts with a prefix that at least two
 * of the gateway's own variables share (`THROTTLE_`, `REDIS_`, `UPSTREAM_`,
 * ...), is not a Kubernetes service link, and is within a typo's distance
 * (`typoDistance`) of a known name. A far-off name under a shared prefix
 * (`REDIS_PASSWORD_FILE` of a sidecar) passes.
 *
 * @example misspeltEnvironment({ THROTTLE_LIMTI: '[]' }, ['THROTTLE_LIMITS']) // ['THROTTLE_LIMTI: unknown variable (did you mean THROTTLE_LIMITS?)']
 */
export function misspeltEnvironment(env: NodeJS.ProcessEnv, known: readonly string[]): string[] {
  const exact = new Set(known.filter((name) => !name.includes('<NAME>')));
  const templates = known.filter((name) => name.includes('<NAME>')).map((name) => name.split('<NAME>') as [string, string]);
  const prefixes = sharedPrefixes(known);
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if (exact.has(name) || SERVICE_LINK.test(name) || !prefixes.some((prefix) => name.startsWith(prefix))) continue;
    if (templates.some(([before, after]) => name.length > before.length + after.length && name.startsWith(before) && name.endsWith(after)))
      continue;
    const meant = nearestKnown(name, exact, templates);
    if (meant) problems.push(`${name}: unknown variable (did you mean ${meant}?)`);
  }
  return problems;
}

/** Prefixes (up to the first `_`) that two or more known names start with. */
function sharedPrefixes(known: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const name of known) {
    const at = name.indexOf('_');
    if (at > 0) counts.set(name.slice(0, at + 1), (counts.get(name.slice(0, at + 1)) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count >= 2).map(([prefix]) => prefix);
}

/** The known name (a template filled with the name's own middle part) nearest to `name`, within a typo's distance. */
function nearestKnown(name: string, exact: Set<string>, templates: Array<[string, string]>): string | undefined {
  const candidates = [...exact];
  for (const [before, after] of templates) {
    if (!name.startsWith(before)) continue;
    // UPSTREAM_CATALOG_URL: try every split of CATALOG_URL into an entry name and a misspelt suffix.
    const rest = name.slice(before.length);
    for (let at = rest.indexOf('_'); at > 0; at = rest.indexOf('_', at + 1)) candidates.push(`${before}${rest.slice(0, at)}${after}`);
  }
  let best: string | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= typoDistance(candidate) && (best === undefined || distance < editDistance(name, best))) best = candidate;
  }
  return best;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
