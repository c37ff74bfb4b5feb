/**
 * The shape of a JSON body: every leaf's path with its type, one line each,
 * sorted. Array elements share the path `name[]` (a list of ten reviews has
 * one shape, not ten), and an empty array or object is a leaf of its own
 * (`[]`, `{}`), so a missing list shows. Two bodies with the same lines carry
 * the same fields: what the bench asks of a baseline before comparing a
 * gateway's work with it.
 *
 * @example jsonShape({ a: [{ b: 1 }], c: null }) // ['a[].b: number', 'c: null']
 */
export function jsonShape(value: unknown): string[] {
  const lines = new Set<string>();
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      if (v.length === 0) lines.add(`${path}: []`);
      for (const item of v) walk(item, `${path}[]`);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) lines.add(`${path}: {}`);
      for (const [key, child] of entries) walk(child, path ? `${path}.${key}` : key);
    } else {
      lines.add(`${path || '(root)'}: ${v === null ? 'null' : typeof v}`);
    }
  };
  walk(value, '');
  return [...lines].sort();
}

/** The shape lines one body has and the other lacks, each prefixed with the name of the side that has it; empty when the shapes match. */
export function shapeDifferences(a: unknown, b: unknown, names: [string, string]): string[] {
  const [left, right] = [new Set(jsonShape(a)), new Set(jsonShape(b))];
  return [...[...left].filter((l) => !right.has(l)).map((l) => `${names[0]} only: ${l}`), ...[...right].filter((l) => !left.has(l)).map((l) => `${names[1]} only: ${l}`)];
}
