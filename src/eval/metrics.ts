/**
 * Classification metrics on plain arrays: the training code hands over softmax
 * probabilities (or hard predictions) and labels; everything here is pure
 * arithmetic so it can be tested by hand and serialised as JSON.
 *
 * Conventions (the same as scikit-learn's defaults, so numbers can be checked
 * against the usual tools):
 * - precision of a class that is never predicted is 0 (not NaN); so is recall of
 *   a class with no true sample, and F1 when precision + recall = 0;
 * - mean class accuracy averages recall over classes present in `labels`;
 * - macro-F1 averages F1 over classes present in `labels` or in the predictions
 *   (a class that appears in neither carries no information and is left out).
 */

/** Number of equal-width confidence bins for the expected calibration error. */
export const ECE_BINS = 15;

/** Probabilities below this are clamped when taking logs, so a confident miss costs ~27.6 nats, not Infinity. */
export const NLL_EPS = 1e-12;

export interface PerClassMetrics {
  precision: number[];
  recall: number[];
  f1: number[];
  /** Number of true samples of each class. */
  support: number[];
  /** Number of samples predicted as each class. */
  predicted: number[];
}

/** One confidence bin of the reliability diagram: (lower, upper]. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Fraction of correct predictions in the bin (0 when empty). */
  accuracy: number;
  /** Mean max-probability in the bin (0 when empty). */
  confidence: number;
}

/** Everything the evaluator reports; plain numbers and arrays only, so `JSON.stringify` round-trips it. */
export interface EvalResult {
  numSamples: number;
  numClasses: number;
  accuracy: number;
  meanClassAccuracy: number;
  macroF1: number;
  perClass: PerClassMetrics;
  /** counts, rows = true class, columns = predicted class. */
  confusion: number[][];
  /** `confusion` with each row divided by its sum (an all-zero row stays zero). */
  confusionNormalized: number[][];
  /** Expected calibration error over `ECE_BINS` bins; null when only hard predictions were given. */
  ece: number | null;
  /** Mean negative log-likelihood of the true class (nats); null without probabilities. */
  nll: number | null;
  /** Reliability-diagram bins; null without probabilities. */
  calibration: CalibrationBin[] | null;
}

function checkLabels(labels: ArrayLike<number>, numClasses: number, what = 'labels'): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new RangeError(`${what}[${i}] = ${y} is outside 0..${numClasses - 1}`);
    }
  }
}

function checkProbs(probs: ArrayLike<number>, n: number, numClasses: number): void {
  if (probs.length !== n * numClasses) {
    throw new RangeError(`probs has ${probs.length} values, expected ${n} samples × ${numClasses} classes = ${n * numClasses}`);
  }
}

/** Row-wise argmax of an N×C row-major matrix; ties go to the lower index, NaN never wins. */
export function argmaxRows(probs: ArrayLike<number>, numClasses: number): Int32Array {
  const n = Math.floor(probs.length / numClasses);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < numClasses; c++) {
      const v = probs[i * numClasses + c]!;
      if (v > bestV) { bestV = v; best = c; }
    }
    out[i] = best;
  }
  return out;
}

/** Confusion counts: rows = true class, columns = predicted class. */
export function confusionMatrix(preds: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number[][] {
  if (preds.length !== labels.length) throw new RangeError(`preds (${preds.length}) and labels (${labels.length}) differ in length`);
  checkLabels(labels, numClasses);
  checkLabels(preds, numClasses, 'preds');
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]!]![preds[i]!]! += 1;
  return m;
}

/** Each row divided by its sum; rows with no samples stay all-zero rather than NaN. */
export function normalizeRows(m: number[][]): number[][] {
  return m.map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (s > 0 ? v / s : 0));
  });
}

/** 0/0 is 0: the scikit-learn `zero_division=0` convention. */
function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

/**
 * Bin index for a confidence in (lower, upper] bins, as in Guo et al. (2017):
 * computed from ceil and then corrected against k/M, so a value exactly on a
 * boundary lands in the bin below it, as the comparison `conf <= upper` would.
 */
function binIndex(conf: number, bins: number): number {
  let b = Math.ceil(conf * bins) - 1;
  if (b > 0 && conf <= b / bins) b -= 1;
  if (b < bins - 1 && conf > (b + 1) / bins) b += 1;
  return Math.min(bins - 1, Math.max(0, b));
}

/** Reliability-diagram bins over the top-1 confidence of each row. */
export function calibrationBins(probs: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, bins = ECE_BINS): CalibrationBin[] {
  checkProbs(probs, labels.length, numClasses);
  const count = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  const preds = argmaxRows(probs, numClasses);
  for (let i = 0; i < labels.length; i++) {
    const conf = probs[i * numClasses + preds[i]!]!;
    const b = binIndex(conf, bins);
    count[b]! += 1;
    confSum[b]! += conf;
    if (preds[i] === labels[i]) correct[b]! += 1;
  }
  return count.map((c, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: c,
    accuracy: ratio(correct[b]!, c),
    confidence: ratio(confSum[b]!, c),
  }));
}

/** ECE = Σ_b |B_b|/N · |acc(B_b) − conf(B_b)| over equal-width bins of the top-1 confidence. */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, bins = ECE_BINS): number {
  return eceFromBins(calibrationBins(probs, labels, numClasses, bins), labels.length);
}

function eceFromBins(bins: CalibrationBin[], n: number): number {
  if (n === 0) return 0;
  return bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.accuracy - b.confidence), 0);
}

/** Mean −log p(true class), with p clamped to `NLL_EPS`. */
export function negativeLogLikelihood(probs: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number {
  checkProbs(probs, labels.length, numClasses);
  if (labels.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = probs[i * numClasses + labels[i]!]!;
    s -= Math.log(Math.max(Number.isFinite(p) ? p : 0, NLL_EPS));
  }
  return s / labels.length;
}

/** Accuracy, per-class and macro metrics from hard predictions (no calibration numbers). */
export function evaluatePredictions(preds: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): EvalResult {
  const confusion = confusionMatrix(preds, labels, numClasses);
  const n = labels.length;
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = confusion[0]!.map((_, c) => confusion.reduce((s, row) => s + row[c]!, 0));
  const tp = confusion.map((row, c) => row[c]!);
  const precision = tp.map((t, c) => ratio(t, predicted[c]!));
  const recall = tp.map((t, c) => ratio(t, support[c]!));
  const f1 = precision.map((p, c) => ratio(2 * p * recall[c]!, p + recall[c]!));
  const present = support.map((s) => s > 0);
  const inEither = support.map((s, c) => s > 0 || predicted[c]! > 0);
  const mean = (xs: number[], keep: boolean[]): number => {
    const kept = xs.filter((_, c) => keep[c]);
    return kept.length ? kept.reduce((a, b) => a + b, 0) / kept.length : 0;
  };
  return {
    numSamples: n,
    numClasses,
    accuracy: ratio(tp.reduce((a, b) => a + b, 0), n),
    meanClassAccuracy: mean(recall, present),
    macroF1: mean(f1, inEither),
    perClass: { precision, recall, f1, support, predicted },
    confusion,
    confusionNormalized: normalizeRows(confusion),
    ece: null,
    nll: null,
    calibration: null,
  };
}

/**
 * The class a model predicts most often and the share of the images it puts there,
 * from the images predicted as each class (`EvalResult.perClass.predicted`). On balanced
 * images each class gets 1/C; a share near 1 is a model that answers one class whatever
 * it is shown.
 */
export function mostPredicted(predicted: readonly number[]): { class: number; share: number } {
  const n = predicted.reduce((a, b) => a + b, 0);
  const cls = predicted.indexOf(Math.max(...predicted));
  return { class: cls, share: n > 0 ? predicted[cls]! / n : 0 };
}

/** Everything in `EvalResult` from N×C row-major probabilities (softmax outputs). */
export function evaluateProbs(probs: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, eceBins = ECE_BINS): EvalResult {
  checkLabels(labels, numClasses);
  checkProbs(probs, labels.length, numClasses);
  const result = evaluatePredictions(argmaxRows(probs, numClasses), labels, numClasses);
  const calibration = calibrationBins(probs, labels, numClasses, eceBins);
  result.calibration = calibration;
  result.ece = eceFromBins(calibration, labels.length);
  result.nll = negativeLogLikelihood(probs, labels, numClasses);
  return result;
}

function pct(x: number): string {
  return (100 * x).toFixed(2);
}

/**
 * A plain-text table for terminals: per-class precision/recall/F1/support,
 * then the summary lines. Fixed-width columns, no colour codes, so it reads
 * the same in a log file.
 */
export function formatMetricsTable(result: EvalResult, classNames: readonly string[] = []): string {
  const names = Array.from({ length: result.numClasses }, (_, c) => classNames[c] ?? `class ${c}`);
  const w = Math.max(5, ...names.map((s) => s.length));
  const head = `${'class'.padEnd(w)}  ${'prec %'.padStart(7)}  ${'recall %'.padStart(8)}  ${'F1 %'.padStart(7)}  ${'support'.padStart(7)}`;
  const rule = '-'.repeat(head.length);
  const rows = names.map((name, c) => {
    const p = result.perClass;
    return `${name.padEnd(w)}  ${pct(p.precision[c]!).padStart(7)}  ${pct(p.recall[c]!).padStart(8)}  ${pct(p.f1[c]!).padStart(7)}  ${String(p.support[c]!).padStart(7)}`;
  });
  const line = (label: string, value: string): string => `${label.padEnd(21)}${value}`;
  const summary = [
    line('accuracy', `${pct(result.accuracy)} %  (${result.numSamples} samples)`),
    line('mean class accuracy', `${pct(result.meanClassAccuracy)} %`),
    line('macro-F1', `${pct(result.macroF1)} %`),
  ];
  if (result.ece !== null) summary.push(line(`ECE (${result.calibration?.length ?? ECE_BINS} bins)`, `${pct(result.ece)} %`));
  if (result.nll !== null) summary.push(line('NLL', `${result.nll.toFixed(4)} nats`));
  return [head, rule, ...rows, rule, ...summary].join('\n');
}
