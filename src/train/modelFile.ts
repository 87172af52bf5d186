/**
 * A trained model for deployment and evaluation: its weights plus what is
 * needed to use it (architecture, head, classes, input size, normalisation),
 * one safetensors file written atomically.
 */
import * as torch from '../torch/index.js';
import { createModel, type FerModel, type FerModelConfig } from '../models/index.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../data/augment/normalize.js';

export interface ModelFileMeta {
  format: 'semifer-model';
  version: 1;
  config: FerModelConfig;
  classes: string[];
  size: number;
  method: string;
  normalization: { mean: number[]; std: number[] };
}

export function saveModelFile(path: string, model: FerModel, o: { classes: string[]; size: number; arch: string; method: string }): void {
  const meta: ModelFileMeta = {
    format: 'semifer-model', version: 1, config: model.config, classes: o.classes, size: o.size, method: o.method,
    normalization: { mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] },
  };
  torch.saveSafetensors(model.stateDict(), path, { semifer: JSON.stringify(meta) });
}

export function loadModelFile(path: string): { model: FerModel; meta: ModelFileMeta } {
  const { tensors, metadata } = torch.loadSafetensors(path);
  let meta: ModelFileMeta;
  try {
    meta = JSON.parse(metadata.semifer ?? 'null');
  } catch {
    throw new Error(`${path}: model metadata is not valid JSON`);
  }
  if (!meta || meta.format !== 'semifer-model') throw new Error(`${path}: not a semifer model file (expected RUNDIR/model.safetensors)`);
  const model = createModel(meta.config);
  model.loadStateDict(tensors);
  for (const t of tensors.values()) t.dispose();
  model.eval();
  return { model, meta };
}
