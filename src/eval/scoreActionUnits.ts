/**
 * An action-unit model scored on FACS-coded images: `semifer eval` and the
 * report both come through here. The images are the run's own test subjects
 * (rebuilt as training drew them, train/actionUnits/auData.ts) or a named
 * split of any dataset with AU labels; only FACS-coded images count, and an
 * AU of the model that an image's coder did not list is absent in it.
 */
import { actionUnitDataset, loadOrBuildCache, DataError, type Dataset } from '../data/index.js';
import { loadModelFile, modelTask, type ModelFileMeta } from '../models/modelFile.js';
import { ModelFileError } from '../models/modelFileError.js';
import { auRunSplits, targetsOf } from '../train/actionUnits/auData.js';
import { predict } from './predict.js';
import { evaluateActionUnits, type ActionUnitResult } from './actionUnits.js';
import type { ImagesToScore, ScoreOptions } from './scoreModelFile.js';

export interface AuModelScore {
  meta: ModelFileMeta;
  aus: number[];
  split: string;
  ids: string[];
  /** Decoded pixels (N × size × size × 3). */
  pixels: Uint8Array;
  /** N × K sigmoid outputs and 0/1 targets, in `aus` order. */
  probs: Float32Array;
  targets: Float32Array;
  result: ActionUnitResult;
  skippedUnreadable: number;
}

export async function scoreActionUnitModel(weights: string, ds: Dataset, from: ImagesToScore, o: Omit<ScoreOptions, 'features'> = {}): Promise<AuModelScore> {
  const { model, meta } = loadModelFile(weights);
  try {
    if (modelTask(meta) !== 'au') throw new ModelFileError(`${weights}: not an action-unit model (its outputs are the expressions ${meta.classes.join(', ')})`);
    const aus = meta.actionUnits!;
    let dataset: Dataset;
    let split: string;
    let cacheDir: string;
    let readerOptions: Record<string, unknown> | undefined;
    if ('runTest' in from) {
      ({ dataset, test: split } = auRunSplits(ds, from.runTest.seed));
      ({ cacheDir, readerOptions } = from.runTest);
    } else {
      dataset = actionUnitDataset(ds);
      ({ split, cacheDir, readerOptions } = from);
      if (!dataset.splits[split]?.length) {
        const has = Object.keys(dataset.splits).filter((k) => dataset.splits[k]!.length).join(', ');
        throw new DataError(ds.root, undefined, `the ${ds.format} dataset has no FACS-coded image in a '${split}' split (coded images are in: ${has})`);
      }
    }
    const decoded = await loadOrBuildCache(dataset, split, meta.size, cacheDir, { readerOptions, onProgress: o.onDecodeProgress });
    const targets = targetsOf(dataset, split, decoded, aus);
    o.onPredict?.(0, 1);
    const { probs } = predict(model, decoded.pixels, meta.size, { activation: 'sigmoid' });
    o.onPredict?.(1, 1);
    return {
      meta, aus, split, ids: decoded.ids, pixels: decoded.pixels, probs, targets,
      result: evaluateActionUnits(probs, targets, aus),
      skippedUnreadable: decoded.skipped.length,
    };
  } finally {
    model.dispose();
  }
}
