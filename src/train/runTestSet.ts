/**
 * The images a run was tested on, rebuilt from its config the way training
 * built them (prepareData.ts): its fold's subjects for a k-fold run, else the
 * dataset's test (or validation) split, else the seeded 20 % holdout training
 * made (by subject where the dataset has subject ids). `semifer eval --run` and
 * the report use it, so they score the same images the run's summary did.
 */
import { loadOrBuildCache, withHoldout, type Dataset, type DecodedImages } from '../data/index.js';
import { cutFold, type FoldRef } from './foldSplit.js';

export interface RunTestConfig {
  seed: number;
  cacheDir: string;
  readerOptions?: Record<string, unknown>;
  fold?: FoldRef | null;
}

/** The fraction of the training split held out as test set when a dataset has none (CK+, ExpW, the lab datasets). */
export const HOLDOUT_FRACTION = 0.2;

/** `ds` with the test split training used, and that split's name ('test', 'val' or the held-out 'test'). Not for fold runs. */
export function withRunTestSplit(ds: Dataset, seed: number): { dataset: Dataset; split: string } {
  if (ds.splits.test?.length) return { dataset: ds, split: 'test' };
  if (ds.splits.val?.length) return { dataset: ds, split: 'val' };
  return { dataset: withHoldout(ds, HOLDOUT_FRACTION, seed), split: 'test' };
}

/** Decodes the run's test images at `size`. */
export async function decodeRunTestSet(ds: Dataset, cfg: RunTestConfig, size: number, onProgress?: (done: number, total: number) => void): Promise<{ images: DecodedImages; split: string }> {
  const decode = (d: Dataset, split: string) => loadOrBuildCache(d, split, size, cfg.cacheDir, { readerOptions: cfg.readerOptions, onProgress });
  if (cfg.fold) {
    const { test, testName } = cutFold(ds, await decode(ds, 'train'), cfg.fold, cfg.seed);
    return { images: test, split: testName };
  }
  const { dataset, split } = withRunTestSplit(ds, cfg.seed);
  return { images: await decode(dataset, split), split };
}
