/**
 * What a synthetic dataset contains, decided before any pixel is drawn: how
 * many faces of each class, which split, in which order, which training labels
 * are flipped, and each face's own seed. Everything is a pure function of the
 * options, so the truth of a dataset can be recomputed without rendering it.
 */
import { EXPRESSION_COUNT } from './expressions.js';
import { CLASS_NAMES, RAFDB_TRAIN_COUNTS, type SynthFormat, rafdbName } from './formats.js';
import { Rng, hashSeed } from './random.js';

export type ClassBalance = 'uniform' | 'rafdb';
export type Split = 'train' | 'test';

export interface PlanOptions {
  n: number;
  format: SynthFormat;
  seed?: number;
  noise?: number;
  testFraction?: number;
  classBalance?: ClassBalance;
}

export interface PlannedSample {
  /** Sample id as the dataset names it (see `sampleId`). */
  id: string;
  split: Split;
  /** Position within its split (0-based). */
  index: number;
  /** The expression actually drawn (canonical index). */
  trueLabel: number;
  /** The label written to the dataset: differs from `trueLabel` for flipped training samples. */
  label: number;
  /** Seed of this face's generator. */
  seed: number;
}

/**
 * Per-class totals summing exactly to n. 'rafdb' uses largest remainders on
 * RAF-DB's train proportions, so small datasets keep the imbalance's shape.
 */
export function classCounts(n: number, balance: ClassBalance = 'uniform'): number[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const weights = balance === 'rafdb' ? RAFDB_TRAIN_COUNTS : new Array<number>(EXPRESSION_COUNT).fill(1);
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (n * w) / total);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  // Largest remainder first; ties go to the lower class index (deterministic).
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) counts[order[k % order.length][1]]++;
  return counts;
}

/**
 * How a sample is named inside the dataset — the same ids the readers give:
 * the label-file name (rafdb), 'fer' + the 0-based CSV data row in 7 digits
 * (fer2013, FERPlus's convention), the root-relative path (imagefolder).
 */
export function sampleId(format: SynthFormat, split: Split, index: number, label: number, csvRow: number): string {
  switch (format) {
    case 'rafdb': return `${rafdbName(split, index)}.jpg`;
    case 'fer2013': return `fer${String(csvRow).padStart(7, '0')}`;
    case 'imagefolder': return `${split}/${CLASS_NAMES[label]}/${rafdbName(split, index)}.png`;
  }
}

export function planDataset(opts: PlanOptions): PlannedSample[] {
  const seed = opts.seed ?? 0;
  const noise = opts.noise ?? 0;
  const testFraction = opts.testFraction ?? 0.2;
  if (!(noise >= 0 && noise <= 1)) throw new RangeError(`noise must be in [0, 1], got ${noise}`);
  if (!(testFraction >= 0 && testFraction <= 1)) throw new RangeError(`testFraction must be in [0, 1], got ${testFraction}`);
  const counts = classCounts(opts.n, opts.classBalance ?? 'uniform');
  const labels: Record<Split, number[]> = { train: [], test: [] };
  counts.forEach((c, cls) => {
    // Stratified: each class contributes the same fraction to the test split.
    const nTest = Math.round(c * testFraction);
    for (let k = 0; k < c; k++) labels[k < c - nTest ? 'train' : 'test'].push(cls);
  });
  // Mix the classes so file order says nothing about the label.
  new Rng(hashSeed(seed, 'order', 'train')).shuffle(labels.train);
  new Rng(hashSeed(seed, 'order', 'test')).shuffle(labels.test);

  const noisy = labels.train.slice();
  const flipRng = new Rng(hashSeed(seed, 'noise'));
  const nFlip = Math.round(noise * noisy.length);
  const victims = flipRng.shuffle(noisy.map((_, i) => i)).slice(0, nFlip);
  for (const i of victims) {
    // A uniformly random *other* class.
    const r = flipRng.int(EXPRESSION_COUNT - 1);
    noisy[i] = r >= noisy[i] ? r + 1 : r;
  }

  const out: PlannedSample[] = [];
  let row = 0;
  for (const split of ['train', 'test'] as const) {
    labels[split].forEach((trueLabel, index) => {
      const label = split === 'train' ? noisy[index] : trueLabel;
      out.push({ id: sampleId(opts.format, split, index, label, row++), split, index, trueLabel, label, seed: hashSeed(seed, 'face', split, index) });
    });
  }
  return out;
}
