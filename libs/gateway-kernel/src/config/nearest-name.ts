/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string
 * alignment: `LIMTI` is one edit from `LIMIT`). Written here, not
 * taken from a package: it runs only at start, on names under 50 characters
 * against at most a few hundred candidates, and a dozen lines cost less than a
 * dependency in the lock file every helper edits.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
    }
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/** How far a misspelling may be from the name meant: one edit for short names, two, three from 24 characters. */
export function typoDistance(name: string): number {
  return name.length <= 4 ? 1 : Math.max(2, Math.floor(name.length / 8));
}

/**
 * The candidate closest to `name` (case-insensitive), if it is close enough to be a typo of it
 * or a cut-short form.
 *
 * @example nearestName('prot', ['port', 'host']) // 'port'
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const distance = editDistance(lower, other);
    // A cut-short or run-on name (`throttle` for `throttling`) is meant too.
    const [short, long] = lower.length <= other.length ? [lower, other] : [other, lower];
    const truncated = short.length >= 4 && editDistance(short, long.slice(0, short.length)) <= 1;
    if (distance < bestDistance && (distance <= typoDistance(candidate) || truncated)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
