/**
 * `semifer label status`'s accuracy estimate: stratified k-fold
 * cross-validation of a nearest-class-mean classifier on the run's frozen
 * backbone features (unit length, cosine similarity to each class's mean
 * feature). Retraining the network k times would take minutes to hours; this
 * takes milliseconds and answers "do the labels so far separate the classes
 * in the model's feature space" — a probe, not the network's own test accuracy.
 */
import { rngFor } from '../data/random.js';
import { normaliseRows, type Points } from './kCenter.js';

/** Fold of each sample: each class's samples shuffled (seeded) and dealt round-robin, so every fold gets its share of every class. */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed = 0): Int32Array {
  const fold = new Int32Array(labels.length);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]!) ?? [];
    list.push(i);
    byClass.set(labels[i]!, list);
  }
  const rng = rngFor(seed, 'label-status-folds');
  let offset = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(c)!;
    for (let i = list.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    // Continue the deal where the previous class stopped, so small classes do not all land in fold 0.
    list.forEach((s, i) => (fold[s] = (offset + i) % k));
    offset = (offset + list.length) % k;
  }
  return fold;
}

export interface CrossValidation {
  folds: number;
  accuracy: number;
  /** Per class: correct / total. */
  perClass: { correct: number; total: number }[];
}

export function nearestMeanCrossValidation(features: Points, labels: ArrayLike<number>, numClasses: number, k: number, seed = 0): CrossValidation {
  const x = normaliseRows(features);
  const D = x.dim, n = labels.length;
  const fold = stratifiedFolds(labels, k, seed);
  const perClass = Array.from({ length: numClasses }, () => ({ correct: 0, total: 0 }));
  let correct = 0;
  for (let f = 0; f < k; f++) {
    const means = new Float64Array(numClasses * D);
    const counts = new Array<number>(numClasses).fill(0);
    for (let i = 0; i < n; i++) {
      if (fold[i] === f) continue;
      const c = labels[i]!;
      counts[c]!++;
      for (let d = 0; d < D; d++) means[c * D + d] += x.data[i * D + d]!;
    }
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      let best = -1, bestSim = -Infinity;
      for (let c = 0; c < numClasses; c++) {
        if (!counts[c]) continue; // a class with no training sample in this fold cannot be predicted
        let dot = 0, norm = 0;
        for (let d = 0; d < D; d++) {
          const m = means[c * D + d]! / counts[c]!;
          dot += m * x.data[i * D + d]!;
          norm += m * m;
        }
        const sim = norm > 0 ? dot / Math.sqrt(norm) : -Infinity;
        if (sim > bestSim) {
          bestSim = sim;
          best = c;
        }
      }
      const c = labels[i]!;
      perClass[c]!.total++;
      if (best === c) {
        perClass[c]!.correct++;
        correct++;
      }
    }
  }
  return { folds: k, accuracy: n ? correct / n : 0, perClass };
}
