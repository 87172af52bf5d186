/**
 * k-center greedy (Sener & Savarese's core-set selection, the greedy 2-approximation
 * of Gonzalez): repeatedly take the point farthest from everything chosen so
 * far — the already labelled points count as chosen. The picked set covers the
 * feature space: every point ends close to some picked or labelled one.
 *
 * `weight` turns it into a weighted variant: the next pick maximises
 * weight(i) × distance(i, chosen), so uncertain or rare-class points win ties
 * in coverage. Weights may depend on what was picked so far (class balance).
 */

/** Row-major N × D features, compared by Euclidean distance. */
export interface Points {
  data: Float32Array;
  dim: number;
}

export function numPoints(p: Points): number {
  return p.data.length / p.dim;
}

export function squaredDistance(p: Points, i: number, j: number): number {
  const { data, dim } = p;
  let s = 0;
  for (let d = 0, a = i * dim, b = j * dim; d < dim; d++) {
    const v = data[a + d]! - data[b + d]!;
    s += v * v;
  }
  return s;
}

export interface KCenterOptions {
  /** Indices already labelled: centres from the start, never picked. */
  centres?: readonly number[];
  /** Indices that may not be picked (already answered, not a face…). */
  exclude?: ReadonlySet<number>;
  /** Multiplies each candidate's distance; called again after every pick with the picks so far. */
  weight?: (i: number, picked: readonly number[]) => number;
  /** First pick when there is no centre yet (default: the candidate with the largest weight, else index order's first). */
  first?: number;
}

/** Picks up to k indices, in pick order. */
export function kCenterGreedy(points: Points, k: number, o: KCenterOptions = {}): number[] {
  const n = numPoints(points);
  const minDist = new Float64Array(n).fill(Infinity);
  const taken = new Uint8Array(n);
  for (const i of o.exclude ?? []) taken[i] = 1;
  const addCentre = (c: number): void => {
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const d = squaredDistance(points, i, c);
      if (d < minDist[i]!) minDist[i] = d;
    }
  };
  for (const c of o.centres ?? []) {
    taken[c] = 1;
    addCentre(c);
  }
  const picked: number[] = [];
  const weightOf = (i: number): number => (o.weight ? o.weight(i, picked) : 1);
  while (picked.length < k) {
    let best = -1, bestScore = -Infinity;
    const noCentre = picked.length === 0 && (o.centres?.length ?? 0) === 0;
    if (noCentre && o.first !== undefined && !taken[o.first]) best = o.first;
    else {
      for (let i = 0; i < n; i++) {
        if (taken[i]) continue;
        // With no centre every distance is infinite: the weight alone decides.
        const score = noCentre ? weightOf(i) : Math.sqrt(minDist[i]!) * weightOf(i);
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    picked.push(best);
    addCentre(best);
  }
  return picked;
}

/** Each row scaled to unit length (cosine geometry for backbone features). */
export function normaliseRows(p: Points): Points {
  const out = new Float32Array(p.data.length);
  const n = numPoints(p);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < p.dim; d++) s += p.data[i * p.dim + d]! ** 2;
    const k = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < p.dim; d++) out[i * p.dim + d] = p.data[i * p.dim + d]! * k;
  }
  return { data: out, dim: p.dim };
}
