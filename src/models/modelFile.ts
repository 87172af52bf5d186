/**
 * A trained model for deployment and evaluation: its weights plus what is
 * needed to use it (architecture, head, classes, input size, normalisation),
 * one safetensors file written atomically.
 */
import * as torch from '../torch/index.js';
import { createModel, type FerModel, type FerModelConfig } from './ferModel.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../data/augment/normalize.js';
import { ModelFileError, MAX_INPUT_SIZE } from './modelFileError.js';

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
  const { tensors, metadata } = torch.loadSafetensorsOr(path, (message) => new ModelFileError(message));
  const dispose = () => {
    for (const t of tensors.values()) t.dispose();
  };
  let meta: ModelFileMeta;
  let model: FerModel;
  try {
    try {
      meta = JSON.parse(metadata.semifer ?? 'null');
    } catch {
      throw new ModelFileError(`${path}: model metadata is not valid JSON`);
    }
    if (!meta || meta.format !== 'semifer-model') throw new ModelFileError(`${path}: not a semifer model file (expected RUNDIR/model.safetensors)`);
    checkModelMeta(meta, path);
    checkFiniteTensors(tensors, path);
    try {
      model = createModel(meta.config);
    } catch (e) {
      throw new ModelFileError(`${path}: its metadata describes a model that cannot be built: ${(e as Error).message}`);
    }
    try {
      model.loadStateDict(tensors);
    } catch (e) {
      model.dispose();
      throw new ModelFileError(`${path}: its weights do not fit the model its metadata describes: ${(e as Error).message}`);
    }
  } finally {
    dispose();
  }
  if (model.numClasses !== meta.classes.length) {
    model.dispose();
    throw new ModelFileError(`${path}: the model has ${model.numClasses} outputs but ${meta.classes.length} class names`);
  }
  model.eval();
  return { model, meta };
}

/** Metadata a model can have: fails naming the field, so the file is blamed rather than an input image. */
function checkModelMeta(meta: ModelFileMeta, path: string): void {
  const fail = (what: string): never => {
    throw new ModelFileError(`${path}: impossible model metadata: ${what}`);
  };
  if (!Number.isInteger(meta.size) || meta.size < 8 || meta.size > MAX_INPUT_SIZE) fail(`input size ${JSON.stringify(meta.size)} (expected an integer from 8 to ${MAX_INPUT_SIZE})`);
  if (!Array.isArray(meta.classes) || meta.classes.length < 2 || !meta.classes.every((c) => typeof c === 'string' && c !== '')) fail('classes must be a list of at least two names');
  const n = meta.normalization;
  const three = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!n || !three(n.mean) || !three(n.std) || !n.std.every((s) => s > 0)) fail('normalization needs 3 finite means and 3 positive standard deviations');
  if (!meta.config || typeof meta.config !== 'object') fail('no model config');
}

/** NaN or infinite weights make every prediction NaN: refused, naming the first such tensor. */
export function checkFiniteTensors(tensors: Map<string, torch.Tensor>, path: string): void {
  for (const [name, t] of tensors) {
    if (!t.allFinite()) throw new ModelFileError(`${path}: tensor '${name}' holds NaN or infinite values; the file is damaged or was saved from a diverged run`);
  }
}
