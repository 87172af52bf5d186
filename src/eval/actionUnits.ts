/**
 * Multi-label action-unit metrics: each AU is its own binary task (present or
 * not), scored by precision, recall and F1 of the positive class — the way AU
 * detection results are reported (per-AU F1 and their mean). Sigmoid outputs
 * count as "present" at or above `threshold` (0.5). Zero divisions give 0, as
 * in metrics.ts (scikit-learn's zero_division=0).
 */

/** The decision threshold on each AU's sigmoid output (eval, training's selection, the report). */
export const AU_THRESHOLD = 0.5;

export interface ActionUnitScores {
  au: number;
  precision: number;
  recall: number;
  f1: number;
  /** Images where the AU is present. */
  support: number;
  /** Images where it was predicted present. */
  predicted: number;
}

export interface ActionUnitResult {
  numSamples: number;
  perAu: ActionUnitScores[];
  /** Mean F1 over the AUs present in the targets or the predictions. */
  meanF1: number;
}

/**
 * `scores` and `targets` are N × K row-major (K = aus.length): sigmoid outputs
 * in [0, 1] and 0/1 targets.
 */
export function evaluateActionUnits(scores: ArrayLike<number>, targets: ArrayLike<number>, aus: readonly number[], threshold = AU_THRESHOLD): ActionUnitResult {
  const K = aus.length;
  if (K === 0) throw new RangeError('no action units to score');
  if (scores.length !== targets.length || scores.length % K !== 0) {
    throw new RangeError(`scores (${scores.length}) and targets (${targets.length}) must both be N × ${K} values`);
  }
  const n = scores.length / K;
  const perAu = aus.map((au, k): ActionUnitScores => {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < n; i++) {
      const t = targets[i * K + k]!;
      if (t !== 0 && t !== 1) throw new RangeError(`targets[${i}][${k}] = ${t}; AU targets are 0 or 1`);
      const p = scores[i * K + k]! >= threshold;
      if (p && t === 1) tp++;
      else if (p) fp++;
      else if (t === 1) fn++;
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { au, precision, recall, f1, support: tp + fn, predicted: tp + fp };
  });
  const scored = perAu.filter((a) => a.support > 0 || a.predicted > 0);
  return { numSamples: n, perAu, meanF1: scored.length ? scored.reduce((s, a) => s + a.f1, 0) / scored.length : 0 };
}

/** The 0/1 target matrix (N × K) of samples' coded AUs, in `aus` order. */
export function actionUnitTargets(samples: ReadonlyArray<{ actionUnits?: Record<number, number> }>, aus: readonly number[]): Float32Array {
  const out = new Float32Array(samples.length * aus.length);
  samples.forEach((s, i) => aus.forEach((au, k) => { if (s.actionUnits && au in s.actionUnits) out[i * aus.length + k] = 1; }));
  return out;
}

const pct = (v: number): string => (100 * v).toFixed(2);

/** A per-AU table (precision, recall, F1 in %, images coded / predicted present) and the mean F1, for the terminal. */
export function formatActionUnitTable(r: ActionUnitResult): string {
  const head = `${'AU'.padEnd(6)}  ${'prec %'.padStart(7)}  ${'recall %'.padStart(8)}  ${'F1 %'.padStart(7)}  ${'support'.padStart(7)}  ${'predicted'.padStart(9)}`;
  const rule = '-'.repeat(head.length);
  const rows = r.perAu.map((a) => `${`AU${a.au}`.padEnd(6)}  ${pct(a.precision).padStart(7)}  ${pct(a.recall).padStart(8)}  ${pct(a.f1).padStart(7)}  ${String(a.support).padStart(7)}  ${String(a.predicted).padStart(9)}`);
  const scored = r.perAu.filter((a) => a.support > 0 || a.predicted > 0).length;
  return [head, rule, ...rows, rule,
    `mean F1  ${pct(r.meanF1)} %  (over the ${scored} AUs coded or predicted in ${r.numSamples} images; threshold ${AU_THRESHOLD})`].join('\n');
}

/** One line for the end of `semifer train --task au`. */
export function formatAuSummary(s: { method: string; actionUnits: number[]; meanF1: number; test: { split: string }; best: { epoch: number; meanF1: number; test: { meanF1: number } } | null }): string {
  const best = s.best ? `; checkpoint-best (epoch ${s.best.epoch}, validation mean F1 ${pct(s.best.meanF1)}%): test mean F1 ${pct(s.best.test.meanF1)}%` : '';
  return `${s.method} AU model (${s.actionUnits.length} AUs): test (${s.test.split}) mean F1 ${pct(s.meanF1)}%${best}`;
}
