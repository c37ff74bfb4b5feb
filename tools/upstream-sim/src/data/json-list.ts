/**
 * Joins pre-serialised items into `{"items":[...], ...extra}` without
 * re-serialising them: the list endpoints stay cheap under benchmark load.
 *
 * @example jsonList(['{"id":"p1"}'], { total: 1 }) // '{"items":[{"id":"p1"}],"total":1}'
 */
export function jsonList(items: readonly string[], extra?: Record<string, unknown>): string {
  let out = `{"items":[${items.join(',')}]`;
  if (extra) {
    for (const [key, value] of Object.entries(extra)) {
      if (value !== undefined) out += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    }
  }
  return `${out}}`;
}
