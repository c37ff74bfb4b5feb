import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ApiKeyRecord } from './gateway-config';
import { unknownSettings } from './unknown-settings';

/**
 * A whole set of partner keys, checked as `auth.apiKeys` is at start: all good
 * (with each record by its entry's JSON text, for the next check), or refused with every reason.
 */
export type ApiKeySetResult =
  | { ok: true; records: ApiKeyRecord[]; checked: ReadonlyMap<string, ApiKeyRecord> }
  | { ok: false; problems: string[] };

/** Most keys one set may hold: a bound on what a reload can make a replica build. */
export const MAX_API_KEYS = 100_000;

/**
 * Validates a set of keys read at run time (a watched file, Redis): the same
 * rules as `auth.apiKeys` (unknown fields included), unique ids and hashes.
 * Entries found unchanged in `checked` (the last good set's) are not validated
 * again, so revoking one key of thousands costs little. Problems name the
 * entry (`2.sha256: must be the hex SHA-256 of the key`) and never quote a value.
 *
 * @example const result = parseApiKeySet(JSON.parse(text)); if (result.ok) table = ApiKeyTable.of(result.records);
 */
export function parseApiKeySet(raw: unknown, checked: ReadonlyMap<string, ApiKeyRecord> = new Map()): ApiKeySetResult {
  if (!Array.isArray(raw)) return { ok: false, problems: ['must be a JSON list of keys'] };
  if (raw.length > MAX_API_KEYS) return { ok: false, problems: [`holds ${raw.length} keys, more than ${MAX_API_KEYS}`] };
  const problems: string[] = [];
  const next = new Map<string, ApiKeyRecord>();
  const records: ApiKeyRecord[] = [];
  raw.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${i}: must be an object`);
      return;
    }
    const text = JSON.stringify(entry);
    const known = checked.get(text);
    if (known) {
      next.set(text, known);
      records.push(known);
      return;
    }
    problems.push(...unknownSettings(entry, ApiKeyRecord, () => '').map((problem) => `${i}.${problem}`));
    const record = plainToInstance(ApiKeyRecord, entry, { exposeDefaultValues: true });
    problems.push(...reasons(validateSync(record, { forbidUnknownValues: true }), `${i}.`));
    next.set(text, record);
    records.push(record);
  });
  if (problems.length === 0) problems.push(...duplicateKeys(records));
  return problems.length ? { ok: false, problems } : { ok: true, records, checked: next };
}

/** Two entries with one id (logs could not tell them apart) or one hash (which tier would the key get?). */
export function duplicateKeys(records: readonly ApiKeyRecord[]): string[] {
  // Sets, not indexOf: a set may hold a hundred thousand keys.
  const repeated = (values: string[]) => {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const value of values) (seen.has(value) ? twice : seen).add(value);
    return [...twice];
  };
  return [
    ...repeated(records.map((r) => r.id)).map((id) => `id "${id}" is used by more than one key`),
    ...(repeated(records.map((r) => r.sha256)).length ? ['two keys have the same sha256'] : []),
  ];
}

function reasons(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((reason) =>
      reason.startsWith(`${error.property} `) ? `${prefix}${error.property}: ${reason.slice(error.property.length + 1)}` : `${prefix}${error.property}: ${reason}`,
    ),
    ...reasons(error.children ?? [], `${prefix}${error.property}.`),
  ]);
}
