/**
 * "Did you mean …?" for mistyped option names, config keys, commands and enum
 * values: the closest candidate by edit distance (adjacent swaps count as one
 * edit, the commonest typo), if it is close enough to be a plausible typo.
 */

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Lower-case kebab form, so `labelsPerClass`, `labels_per_class` and `Labels-Per-Class` compare equal. */
export function normalizeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

/** The best candidate for a mistyped `input`, or undefined when nothing is close. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const norm = normalizeName(input);
  if (norm.length === 0) return undefined;
  // Allow more edits for longer names: 1 for ≤ 4 letters, 2 up to 8, then 3.
  const allowed = norm.length <= 4 ? 1 : norm.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(norm, normalizeName(c));
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  if (best !== undefined && bestDistance <= allowed) return best;
  // A unique prefix is a plausible abbreviation (`--label` → `--label-fraction`).
  if (norm.length >= 3) {
    const prefixed = candidates.filter((c) => normalizeName(c).startsWith(norm));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}

/** "; did you mean X?" or "" — to append to an error message. */
export function didYouMean(input: string, candidates: readonly string[], render: (c: string) => string = (c) => c): string {
  const s = suggest(input, candidates);
  return s === undefined ? '' : `; did you mean ${render(s)}?`;
}
