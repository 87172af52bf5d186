/**
 * The images of an action-unit run: the dataset's FACS-coded images
 * (actionUnitDataset), the test split training uses for expressions
 * (runTestSet.ts: the dataset's own, else a seeded 20 % of subjects), and a
 * validation split held out of the rest the same way (20 % of the remaining
 * subjects), which selects checkpoint-best. The AUs the model predicts are
 * those coded at least once in the training images (an AU never seen present
 * cannot be learned), ascending.
 */
import { actionUnitDataset, loadOrBuildCache, withHoldout, type Dataset, type DecodedImages, type Problem } from '../../data/index.js';
import { actionUnitTargets } from '../../eval/actionUnits.js';
import { HOLDOUT_FRACTION, withRunTestSplit } from '../runTestSet.js';
import { uniqueSkipped } from '../skippedRecord.js';
import { RunConfigError } from '../runChecks.js';
import type { TrainConfig } from '../config.js';

/** Decoded images with their N × K 0/1 AU targets. */
export interface AuImages {
  images: Uint8Array;
  targets: Float32Array;
  ids: string[];
}

export interface AuData {
  /** The AU numbers the model predicts, ascending. */
  aus: number[];
  train: AuImages;
  validation: AuImages;
  test: AuImages & { split: string };
  skipped: Problem[];
}

/**
 * The reader options of an AU run over the user's: CK+'s FACS-coded sequences
 * without an emotion label are AU training data too (ckplus.ts, uncodedEmotions).
 * Training records them in config.json, so eval and the report read the same images.
 */
export function auReaderOptions(format: string, options: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return format === 'ckplus' ? { ...options, uncodedEmotions: true } : options;
}

/** Name of the validation split held out of the training images. */
export const AU_VALIDATION_SPLIT = 'validation';

/** The AU run's splits of `ds` (already read): FACS-coded images only, test and validation held out. */
export function auRunSplits(ds: Dataset, seed: number): { dataset: Dataset; test: string } {
  const coded = actionUnitDataset(ds);
  const { dataset, split: test } = withRunTestSplit(coded, seed);
  if (dataset.splits[AU_VALIDATION_SPLIT]) return { dataset, test };
  return { dataset: withHoldout(dataset, HOLDOUT_FRACTION, seed, 'train', AU_VALIDATION_SPLIT), test };
}

/** The 0/1 targets of decoded images, from their samples' AUs. */
export function targetsOf(ds: Dataset, split: string, decoded: DecodedImages, aus: readonly number[]): Float32Array {
  const byId = new Map(ds.splits[split]!.map((s) => [s.id, s]));
  return actionUnitTargets(decoded.ids.map((id) => byId.get(id)!), aus);
}

export async function prepareAuData(cfg: TrainConfig, ds: Dataset, onProgress?: (what: string, done: number, total: number) => void): Promise<AuData> {
  const { dataset, test } = auRunSplits(ds, cfg.seed);
  const decode = (split: string) =>
    loadOrBuildCache(dataset, split, cfg.size, cfg.cacheDir, { readerOptions: cfg.readerOptions, onProgress: (d, t) => onProgress?.(`decode ${dataset.format}/${split}`, d, t) });
  const train = await decode('train');
  const decodedIds = new Set(train.ids);
  const aus = [...new Set(dataset.splits.train!.filter((s) => decodedIds.has(s.id)).flatMap((s) => Object.keys(s.actionUnits!).map(Number)))].sort((a, b) => a - b);
  if (aus.length < 2) {
    throw new RunConfigError(`${ds.root}: the ${train.count} FACS-coded training images of the ${ds.format} dataset code ${aus.length} action unit(s); an AU model needs at least 2`);
  }
  const validation = await decode(AU_VALIDATION_SPLIT);
  const testImages = await decode(test);
  for (const [name, d] of [[AU_VALIDATION_SPLIT, validation], [test, testImages]] as const) {
    if (d.count === 0) throw new RunConfigError(`${ds.root}: the AU run's ${name} split has no decodable FACS-coded image (${dataset.splits[name]?.length ?? 0} listed); it needs more coded subjects`);
  }
  const withTargets = (split: string, d: DecodedImages): AuImages => ({ images: d.pixels, targets: targetsOf(dataset, split, d, aus), ids: d.ids });
  return {
    aus,
    train: withTargets('train', train),
    validation: withTargets(AU_VALIDATION_SPLIT, validation),
    test: { ...withTargets(test, testImages), split: test },
    skipped: uniqueSkipped([...ds.problems.filter((p) => p.severity !== 'warning'), ...train.skipped, ...validation.skipped, ...testImages.skipped]),
  };
}
