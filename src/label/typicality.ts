/**
 * Typical faces of the regions the labels do not cover yet (the idea of
 * Hacohen, Dekel & Weinshall's TypiClust, ICML 2022). With a few labels per
 * class, the face to label is a typical one: uncertainty sampling and k-center
 * greedy both reach for atypical faces (the model's unsure ones, the ones far
 * from everything), whose labels teach a weak model little.
 *
 * The pool is split into |labelled| + k clusters by seeded k-means, so there
 * are at least k clusters without a label. Each pick takes, among the clusters
 * with the fewest labels (labels + picks so far), the largest one, and in it the
 * face with the highest typicality: the inverse of its mean distance to its
 * nearest neighbours within the cluster. Clusters of fewer than
 * MIN_CLUSTER_SIZE faces come after all the others, whatever their labels: an
 * outlier, or a pair, has no typical member. So dense centres come first and
 * outliers last.
 */
import { numPoints, squaredDistance, type Points } from './kCenter.js';
import { rngFor } from '../data/random.js';

/** Neighbours a face's typicality averages over (fewer in a smaller cluster). */
export const TYPICALITY_NEIGHBOURS = 20;
/** Smaller clusters are picked from only once the larger ones have no face left. */
export const MIN_CLUSTER_SIZE = 3;
/** At most this many clusters, however many labels there are (k-means costs N × clusters per pass). */
export const MAX_CLUSTERS = 500;
/** Lloyd passes at most; they stop earlier once no face changes cluster. */
const KMEANS_PASSES = 100;

export interface Clustering {
  /** Cluster of each point. */
  assignment: Int32Array;
  /** Number of clusters (some may end empty only when there are fewer distinct points than clusters). */
  k: number;
}

/**
 * Seeded k-means: k-means++ seeding (each new centre drawn with probability
 * proportional to its squared distance to the nearest centre so far) from
 * rngFor(seed), then Lloyd passes. Deterministic for a given seed. A cluster
 * left empty takes the point farthest from its own centre.
 */
export function kMeans(points: Points, k: number, seed: number): Clustering {
  const n = numPoints(points), { data, dim } = points;
  k = Math.max(0, Math.min(k, n));
  const assignment = new Int32Array(n);
  if (k === 0) return { assignment, k };
  const centres = new Float64Array(k * dim);
  const setCentre = (c: number, i: number): void => {
    for (let d = 0; d < dim; d++) centres[c * dim + d] = data[i * dim + d]!;
  };
  const toCentre = (i: number, c: number): number => {
    let s = 0;
    for (let d = 0, a = i * dim, b = c * dim; d < dim; d++) {
      const v = data[a + d]! - centres[b + d]!;
      s += v * v;
    }
    return s;
  };
  const rng = rngFor(seed, 'label-kmeans');
  const nearest = new Float64Array(n).fill(Infinity);
  for (let c = 0; c < k; c++) {
    let pick = 0;
    if (c === 0) pick = rng.int(n);
    else {
      let total = 0;
      for (let i = 0; i < n; i++) total += nearest[i]!;
      let r = rng.next() * total;
      pick = -1;
      for (let i = 0; i < n; i++) {
        if (nearest[i]! === 0) continue;
        pick = i;
        r -= nearest[i]!;
        if (r < 0) break;
      }
      // Every point already sits on a centre (fewer distinct points than clusters): this cluster stays empty.
      if (pick < 0) pick = 0;
    }
    setCentre(c, pick);
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i]!, toCentre(i, c));
  }
  const sums = new Float64Array(k * dim), sizes = new Int32Array(k);
  for (let pass = 0; pass < KMEANS_PASSES; pass++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = toCentre(i, c);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (pass === 0 || assignment[i] !== best) moved++;
      assignment[i] = best;
    }
    if (moved === 0) break;
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      sizes[c]++;
      for (let d = 0; d < dim; d++) sums[c * dim + d] += data[i * dim + d]!;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c]! > 0) {
        for (let d = 0; d < dim; d++) centres[c * dim + d] = sums[c * dim + d]! / sizes[c]!;
        continue;
      }
      let far = 0, farD = -1;
      for (let i = 0; i < n; i++) {
        const d = toCentre(i, assignment[i]!);
        if (d > farD) {
          farD = d;
          far = i;
        }
      }
      setCentre(c, far);
      assignment[far] = c;
    }
  }
  return { assignment, k };
}

/**
 * Typicality of each member of one cluster: 1 / (mean Euclidean distance to its
 * min(TYPICALITY_NEIGHBOURS, size − 1) nearest fellow members); 0 for a
 * cluster of one, which has no neighbours to be typical of.
 */
export function typicality(points: Points, members: readonly number[]): Float64Array {
  const m = members.length, t = Math.min(TYPICALITY_NEIGHBOURS, m - 1);
  const out = new Float64Array(m);
  if (t <= 0) return out;
  const d = new Float64Array(m - 1);
  for (let a = 0; a < m; a++) {
    let j = 0;
    for (let b = 0; b < m; b++) if (b !== a) d[j++] = Math.sqrt(squaredDistance(points, members[a]!, members[b]!));
    d.sort();
    let s = 0;
    for (let q = 0; q < t; q++) s += d[q]!;
    out[a] = s > 0 ? t / s : Infinity;
  }
  return out;
}

export interface TypicalOptions {
  /** Faces labelled with a class: they count in their cluster and are never picked. */
  labelled?: readonly number[];
  /** Faces never to pick (any answer already given); they still belong to the clusters. */
  exclude?: ReadonlySet<number>;
  /** Seed of k-means. */
  seed?: number;
}

/** Up to k indices, in pick order. */
export function typicalPicks(points: Points, k: number, o: TypicalOptions = {}): number[] {
  const n = numPoints(points);
  const labelled = o.labelled ?? [];
  const taken = new Uint8Array(n);
  for (const i of o.exclude ?? []) taken[i] = 1;
  for (const i of labelled) taken[i] = 1;
  let left = 0;
  for (let i = 0; i < n; i++) if (!taken[i]) left++;
  k = Math.min(k, left);
  if (k <= 0) return [];
  const { assignment, k: clusters } = kMeans(points, Math.min(labelled.length + k, MAX_CLUSTERS), o.seed ?? 0);
  const members: number[][] = Array.from({ length: clusters }, () => []);
  for (let i = 0; i < n; i++) members[assignment[i]!]!.push(i);
  const covered = new Int32Array(clusters);
  for (const i of labelled) covered[assignment[i]!]++;
  // Large enough first, then the fewest labels and picks, then the largest, then the lowest number.
  const small = (c: number): number => (members[c]!.length < MIN_CLUSTER_SIZE ? 1 : 0);
  const before = (c: number, d: number): boolean =>
    small(c) !== small(d) ? small(c) < small(d) : covered[c] !== covered[d] ? covered[c]! < covered[d]! : members[c]!.length > members[d]!.length;
  // Typicality is computed only for the clusters picks come from.
  const typ = new Map<number, Float64Array>();
  const picks: number[] = [];
  while (picks.length < k) {
    let best = -1;
    for (let c = 0; c < clusters; c++) {
      if (!members[c]!.some((i) => !taken[i])) continue;
      if (best < 0 || before(c, best)) best = c;
    }
    if (best < 0) break;
    if (!typ.has(best)) typ.set(best, typicality(points, members[best]!));
    const scores = typ.get(best)!, group = members[best]!;
    let pick = -1;
    for (let j = 0; j < group.length; j++) if (!taken[group[j]!] && (pick < 0 || scores[j]! > scores[pick]!)) pick = j;
    taken[group[pick]!] = 1;
    covered[best]++;
    picks.push(group[pick]!);
  }
  return picks;
}
