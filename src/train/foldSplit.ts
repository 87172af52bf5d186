/**
 * Subject-independent k-fold cross-validation of the small lab datasets (CK+,
 * JAFFE, KDEF, RaFD): which samples each fold tests on, with the checks that
 * make a wrong request fail before any training, and the cut of one decoded
 * split into a fold's training and test parts.
 *
 * Folds are built over the dataset's 'train' split (for these datasets, all
 * of it); an official test or validation split, where a format has one, is not
 * used — every image is tested exactly once, in the fold that holds its subject.
 * Fold k (1-based) tests on its subjects and trains on all the others.
 */
import { subjectKFold, isDatasetFormat, gatherFrames, type Dataset, type DecodedImages, type Sample } from '../data/index.js';
import { errorOfKind } from '../errorKind.js';

/** Formats whose readers give every sample a subject id (only those known to this build are named). */
const SUBJECT_FORMATS = ['ckplus', 'jaffe', 'kdef', 'rafd'];

export function formatsWithSubjects(): string[] {
  return SUBJECT_FORMATS.filter((f) => isDatasetFormat(f));
}

/** A --folds request that this dataset cannot meet (nothing has been trained): bad input, like a usage error. */
export class FoldError extends errorOfKind('bad-input') {}

/** Fold k of K, k 1-based (the run folder is RUNDIR/fold-<k>). */
export interface FoldRef {
  k: number;
  folds: number;
}

export interface FoldPlan {
  folds: number;
  seed: number;
  /** Per fold (index k − 1): its subjects (sorted) and the ids of the samples it tests on. */
  test: { subjects: string[]; ids: string[] }[];
  /** Splits of the dataset other than 'train' that the folds leave out (e.g. an official 'test'). */
  ignoredSplits: string[];
}

/**
 * The subject-independent folds of `ds.splits.train`. Throws FoldError when the
 * dataset has no subject ids or fewer subjects than folds.
 */
export function planFolds(ds: Dataset, folds: number, seed: number): FoldPlan {
  if (!Number.isInteger(folds) || folds < 2) throw new FoldError(`--folds must be an integer ≥ 2, got ${folds}`);
  const samples = ds.splits.train ?? [];
  const without = samples.filter((s) => s.subject === undefined);
  if (samples.length === 0 || without.length === samples.length) {
    throw new FoldError(`--folds needs subject ids for subject-independent folds, but the ${ds.format} dataset at ${ds.root} has none; ` +
      `formats with subject ids: ${formatsWithSubjects().join(', ')}`);
  }
  if (without.length) {
    throw new FoldError(`--folds needs a subject id on every image, but ${without.length} of ${samples.length} images of the ${ds.format} dataset at ${ds.root} have none (e.g. ${without[0]!.id})`);
  }
  const subjects = new Set(samples.map((s) => s.subject!));
  if (subjects.size < folds) {
    throw new FoldError(`--folds ${folds}: the ${ds.format} dataset at ${ds.root} has ${subjects.size} subject(s), fewer than the folds; use --folds ${subjects.size} or fewer`);
  }
  const rows = subjectKFold(samples, folds, seed);
  return {
    folds,
    seed,
    test: rows.map((r) => ({ subjects: [...new Set(r.map((i) => samples[i]!.subject!))].sort(), ids: r.map((i) => samples[i]!.id) })),
    ignoredSplits: Object.keys(ds.splits).filter((name) => name !== 'train' && ds.splits[name]!.length > 0),
  };
}

/** Fold k's training and test samples (in the dataset's order). */
export function foldSamples(ds: Dataset, plan: FoldPlan, k: number): { train: Sample[]; test: Sample[] } {
  const testIds = new Set(plan.test[k - 1]!.ids);
  const train: Sample[] = [];
  const test: Sample[] = [];
  for (const s of ds.splits.train ?? []) (testIds.has(s.id) ? test : train).push(s);
  return { train, test };
}

/** The rows of `src` whose id passes `keepId`, as a DecodedImages of their own. */
function pick(src: DecodedImages, keepId: (id: string) => boolean): DecodedImages {
  const rows: number[] = [];
  src.ids.forEach((id, r) => { if (keepId(id)) rows.push(r); });
  const pixels = gatherFrames(src.pixels, src.size, rows);
  // Soft labels are left out: training reads the hard labels only.
  return {
    size: src.size,
    count: rows.length,
    pixels,
    labels: Int32Array.from(rows, (r) => src.labels[r]!),
    ids: rows.map((r) => src.ids[r]!),
    skipped: [],
  };
}

/**
 * Cuts the decoded 'train' split into fold k's training and test images, and
 * returns the dataset with fold k's training samples as its 'train' split.
 * Decoding the whole split once (one cache for every fold) and cutting here
 * keeps K folds from decoding the dataset K times.
 */
export function cutFold(ds: Dataset, decoded: DecodedImages, fold: FoldRef, seed: number): { dataset: Dataset; train: DecodedImages; test: DecodedImages; testName: string } {
  const plan = planFolds(ds, fold.folds, seed);
  if (!(fold.k >= 1 && fold.k <= fold.folds)) throw new FoldError(`fold ${fold.k} is outside 1..${fold.folds}`);
  const { train: trainSamples } = foldSamples(ds, plan, fold.k);
  const testIds = new Set(plan.test[fold.k - 1]!.ids);
  const train = pick(decoded, (id) => !testIds.has(id));
  const test = pick(decoded, (id) => testIds.has(id));
  // Undecodable images were skipped once for the whole split; count them with the training part.
  train.skipped = decoded.skipped;
  return { dataset: { ...ds, splits: { train: trainSamples } }, train, test, testName: `fold-${fold.k}` };
}
