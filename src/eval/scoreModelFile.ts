/**
 * A trained model scored on labelled images: `semifer eval` and the report's
 * test-set sections both come through here, so they pick, decode, match and
 * score images the same way. The images are either the run's own test set
 * (rebuilt as training built it, see train/runTestSet.ts) or a named split of
 * any dataset; dataset classes are matched to the model's by name and images
 * of classes the model does not know are left out and counted.
 */
import { loadOrBuildCache, gatherFrames, DataError, type Dataset, type DecodedImages } from '../data/index.js';
import { loadModelFile, requireExpressionModelFile, type ModelFileMeta } from '../models/modelFile.js';
import { decodeRunTestSet, type RunTestConfig } from '../train/runTestSet.js';
import { predict } from './predict.js';
import { evaluateProbs, type EvalResult } from './metrics.js';

/** Which images to score: the run's test set, or a split decoded through the image cache. */
export type ImagesToScore =
  | { runTest: RunTestConfig }
  | { split: string; cacheDir: string; readerOptions?: Record<string, unknown> };

export interface ScoreOptions {
  /** Also return the pooled features (for t-SNE). */
  features?: boolean;
  onDecodeProgress?: (done: number, total: number) => void;
  onPredict?: (done: number, total: number) => void;
}

export interface ModelScore {
  meta: ModelFileMeta;
  /** The split scored: 'test', 'val', 'train', or a fold's test name. */
  split: string;
  /** The scored images, with labels as indices into the model's classes. */
  images: DecodedImages;
  /** N×C softmax probabilities. */
  probs: Float32Array;
  features?: Float32Array;
  featureDim?: number;
  result: EvalResult;
  /** Images left out because the model does not know their class. */
  skippedUnknownClass: number;
  /** Images that could not be decoded. */
  skippedUnreadable: number;
}

export async function scoreModelFile(weights: string, ds: Dataset, from: ImagesToScore, o: ScoreOptions = {}): Promise<ModelScore> {
  requireExpressionModelFile(weights, 'be scored as an expression classifier');
  const { model, meta } = loadModelFile(weights);
  try {
    if ('split' in from && !ds.splits[from.split]?.length) {
      const has = Object.keys(ds.splits).filter((k) => ds.splits[k]!.length).join(', ');
      throw new DataError(ds.root, undefined, `the ${ds.format} dataset has no '${from.split}' split (it has: ${has})`);
    }
    const toModel = ds.classes.map((c) => meta.classes.indexOf(c));
    if (toModel.every((i) => i < 0)) {
      throw new DataError(weights, undefined, `the model's classes [${meta.classes.join(', ')}] and the dataset's [${ds.classes.join(', ')}] have no class in common`);
    }
    const { images: decoded, split } = 'runTest' in from
      ? await decodeRunTestSet(ds, from.runTest, meta.size, o.onDecodeProgress)
      : { images: await loadOrBuildCache(ds, from.split, meta.size, from.cacheDir, { readerOptions: from.readerOptions, onProgress: o.onDecodeProgress }), split: from.split };
    const keep: number[] = [];
    decoded.labels.forEach((l, i) => { if (l >= 0 && toModel[l]! >= 0) keep.push(i); });
    const images: DecodedImages = {
      size: meta.size,
      count: keep.length,
      pixels: keep.length === decoded.count ? decoded.pixels : gatherFrames(decoded.pixels, meta.size, keep),
      labels: Int32Array.from(keep, (r) => toModel[decoded.labels[r]!]!),
      ids: keep.map((r) => decoded.ids[r]!),
      skipped: decoded.skipped,
    };
    o.onPredict?.(0, 1);
    const pred = predict(model, images.pixels, meta.size, { features: o.features });
    o.onPredict?.(1, 1);
    return {
      meta, split, images, ...pred,
      result: evaluateProbs(pred.probs, images.labels, meta.classes.length),
      skippedUnknownClass: decoded.count - keep.length,
      skippedUnreadable: decoded.skipped.length,
    };
  } finally {
    model.dispose();
  }
}
