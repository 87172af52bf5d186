/**
 * Which unlabelled faces to label next (`semifer label suggest`). Every
 * criterion returns faces in the order to label them:
 *
 *  - uncertainty: largest U first, where U = 1 − p̂ / T_ĉ, p̂ the model's top
 *    probability, ĉ its class and T_ĉ the method's own confidence threshold
 *    for that class (Ada-CM's learnt margins, DTA's dynamic thresholds,
 *    FixMatch's fixed one; 1 for methods without one, which makes U the plain
 *    least-confidence score). U > 0 marks a face the method does not trust
 *    itself on and leaves out of its unlabelled loss; U ≤ 0 one it already
 *    trains on.
 *  - diversity: k-center greedy on the backbone's pooled features (unit
 *    length), with the labelled faces as the starting centres.
 *  - balance: faces whose predicted class has the fewest labels first
 *    (labelled + picked so far), most uncertain first within a class.
 *  - combined: weighted k-center greedy — the next face maximises
 *    distance × (ε + max(U, 0)) × B, with B = (1 + min_c n_c) / (1 + n_ĉ) the
 *    balance of its predicted class (n_c counts labels and picks so far) and
 *    ε = 0.1 so that a confident face in an empty region can still win.
 *  - typical (default with a run): in each of the regions the labels do not
 *    cover yet (k-means clusters), the most typical face (typicality.ts). Needs
 *    no model.
 *  - random: a seeded shuffle (the baseline a criterion has to beat).
 */
import { kCenterGreedy, normaliseRows, numPoints, type Points } from './kCenter.js';
import { typicalPicks } from './typicality.js';
import { rngFor } from '../data/random.js';
import { argmaxRows } from '../eval/metrics.js';

export const CRITERIA = ['combined', 'uncertainty', 'diversity', 'balance', 'typical', 'random'] as const;
export type Criterion = (typeof CRITERIA)[number];
/**
 * The default with a run. Chosen by the labelling simulation (docs/labelling.md §6,
 * 8 seeds): typical is never behind random choice by more than its standard error
 * and ahead of it on the mean at 14, 28, 49 and 70 labels, while combined fell
 * 5.5 points behind random choice at 28 labels (about three standard errors).
 * No criterion beat random choice by more than the seeds' spread there.
 */
export const DEFAULT_CRITERION: Criterion = 'typical';
/** Criteria that read the model's predictions; the others work without a run (cold start). */
export const MODEL_CRITERIA: readonly Criterion[] = ['combined', 'uncertainty', 'balance'];
/** What a criterion without a model falls back to when none was asked for. */
export const COLD_START_CRITERION: Criterion = 'diversity';

/** What the feature-space criteria (diversity, combined, typical) measure distances on. */
export const EMBEDDINGS = ['backbone', 'pixels'] as const;
export type Embedding = (typeof EMBEDDINGS)[number];

/** The embedding a criterion uses unless told otherwise: the run's backbone features, the pixels without a run. */
export function defaultEmbedding(criterion: Criterion, hasRun: boolean): Embedding {
  if (!hasRun) return 'pixels';
  return criterion === 'typical' ? TYPICAL_EMBEDDING : 'backbone';
}
const TYPICAL_EMBEDDING: Embedding = 'backbone';

/** ε of the combined criterion: the weight of a face the method is already confident about. */
export const CONFIDENT_WEIGHT = 0.1;

export interface RankInput {
  /** N × C softmax probabilities (absent without a model). */
  probs?: Float32Array;
  numClasses?: number;
  /** N × D features for diversity (backbone features, or the cold-start pixel embedding). */
  features?: Points;
  /** Per-class confidence thresholds of the method (default: 1 for every class). */
  thresholds?: readonly number[];
  /** Labels per class already given. */
  labelledCounts?: readonly number[];
  /** Indices of faces already labelled with a class (diversity centres, never picked). */
  labelled?: readonly number[];
  /** Indices never to pick (any answer already given). */
  exclude?: ReadonlySet<number>;
  /** Seed of random and of typical's k-means. */
  seed?: number;
}

export interface Suggestion {
  index: number;
  /** 1 − p̂/T_ĉ (absent without a model). */
  uncertainty?: number;
  /** The model's guess (absent without a model). */
  guess?: number;
}

/** U_i = 1 − p̂_i / T_ĉ and ĉ_i for every face. */
export function thresholdUncertainty(probs: Float32Array, C: number, thresholds?: readonly number[]): { u: Float64Array; guess: Int32Array } {
  const n = probs.length / C;
  const u = new Float64Array(n), guess = argmaxRows(probs, C);
  for (let i = 0; i < n; i++) {
    const best = guess[i]!;
    u[i] = 1 - probs[i * C + best]! / (thresholds?.[best] ?? 1);
  }
  return { u, guess };
}

export function rank(input: RankInput, criterion: Criterion, k: number): Suggestion[] {
  const n = input.features ? numPoints(input.features) : input.probs && input.numClasses ? input.probs.length / input.numClasses : 0;
  const exclude = new Set<number>([...(input.exclude ?? []), ...(input.labelled ?? [])]);
  const candidates = Array.from({ length: n }, (_, i) => i).filter((i) => !exclude.has(i));
  k = Math.min(k, candidates.length);
  const model = input.probs && input.numClasses ? thresholdUncertainty(input.probs, input.numClasses, input.thresholds) : undefined;
  const wrap = (order: number[]): Suggestion[] => order.map((index) => (model ? { index, uncertainty: model.u[index]!, guess: model.guess[index]! } : { index }));
  const needModel = (): NonNullable<typeof model> => {
    if (!model) throw new Error(`criterion '${criterion}' needs a model's predictions (give --run)`);
    return model;
  };
  const needFeatures = (): Points => {
    if (!input.features) throw new Error(`criterion '${criterion}' needs features`);
    return normaliseRows(input.features);
  };
  switch (criterion) {
    case 'random': {
      const rng = rngFor(input.seed ?? 0, 'label-suggest-random');
      const order = [...candidates];
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      return wrap(order.slice(0, k));
    }
    case 'uncertainty': {
      const { u } = needModel();
      return wrap([...candidates].sort((a, b) => u[b]! - u[a]! || a - b).slice(0, k));
    }
    case 'typical':
      return wrap(typicalPicks(needFeatures(), k, { labelled: input.labelled, exclude: input.exclude, seed: input.seed }));
    case 'diversity':
      return wrap(kCenterGreedy(needFeatures(), k, { centres: input.labelled, exclude: input.exclude }));
    case 'balance': {
      const { u, guess } = needModel();
      const counts = classCounts(input);
      const left = new Set(candidates), order: number[] = [];
      while (order.length < k) {
        let best = -1;
        for (const i of left) {
          if (best < 0 || counts[guess[i]!]! < counts[guess[best]!]! || (counts[guess[i]!] === counts[guess[best]!] && u[i]! > u[best]!)) best = i;
        }
        left.delete(best);
        order.push(best);
        counts[guess[best]!]!++;
      }
      return wrap(order);
    }
    case 'combined': {
      const { u, guess } = needModel();
      const counts = classCounts(input);
      let seen = 0;
      const weight = (i: number, picked: readonly number[]): number => {
        // Picks are counted into their predicted class as they happen.
        for (; seen < picked.length; seen++) counts[guess[picked[seen]!]!]!++;
        const balance = (1 + Math.min(...counts)) / (1 + counts[guess[i]!]!);
        return (CONFIDENT_WEIGHT + Math.max(u[i]!, 0)) * balance;
      };
      return wrap(kCenterGreedy(needFeatures(), k, { centres: input.labelled, exclude: input.exclude, weight }));
    }
  }
}

function classCounts(input: RankInput): number[] {
  const C = input.numClasses!;
  const counts = input.labelledCounts ? [...input.labelledCounts] : new Array<number>(C).fill(0);
  if (counts.length !== C) throw new Error(`labelled counts have ${counts.length} classes, the model ${C}`);
  return counts;
}

/**
 * The cold-start embedding (no model yet): each face shrunk to 16 × 16 by
 * area averaging, grey levels standardised per image (mean 0, unit length),
 * so k-center greedy spreads the picks over pose, lighting and expression
 * rather than over brightness alone. Raw pixels, no learnt or random features.
 */
export const COLD_START_SIDE = 16;

export function pixelEmbedding(images: Uint8Array, size: number): Points {
  const s = COLD_START_SIDE, frame = size * size * 3, n = images.length / frame;
  const out = new Float32Array(n * s * s);
  const sum = new Float64Array(s * s), cnt = new Float64Array(s * s);
  for (let i = 0; i < n; i++) {
    sum.fill(0);
    cnt.fill(0);
    for (let y = 0; y < size; y++) {
      const by = Math.min(s - 1, Math.floor((y * s) / size));
      for (let x = 0; x < size; x++) {
        const bx = Math.min(s - 1, Math.floor((x * s) / size));
        const o = i * frame + (y * size + x) * 3;
        sum[by * s + bx] += (images[o]! + images[o + 1]! + images[o + 2]!) / 3;
        cnt[by * s + bx]++;
      }
    }
    let mean = 0;
    for (let j = 0; j < s * s; j++) mean += sum[j]! / Math.max(1, cnt[j]!) / (s * s);
    let norm = 0;
    for (let j = 0; j < s * s; j++) {
      const v = sum[j]! / Math.max(1, cnt[j]!) - mean;
      out[i * s * s + j] = v;
      norm += v * v;
    }
    const k = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < s * s; j++) out[i * s * s + j]! *= k;
  }
  return { data: out, dim: s * s };
}
