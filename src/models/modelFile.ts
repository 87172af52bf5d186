/**
 * A trained model for deployment and evaluation: its weights plus what is
 * needed to use it (architecture, head, classes, input size, normalisation),
 * one safetensors file written atomically.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import * as torch from '../torch/index.js';
import { createModel, type FerModel, type FerModelConfig } from './ferModel.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../data/augment/normalize.js';
import { ModelFileError, MAX_INPUT_SIZE } from './modelFileError.js';
import { DEFAULT_TASK, TASKS, actionUnitName, type Task } from './task.js';

export interface ModelFileMeta {
  format: 'semifer-model';
  version: 1;
  config: FerModelConfig;
  classes: string[];
  size: number;
  method: string;
  normalization: { mean: number[]; std: number[] };
  /** What the outputs are (task.ts); absent in expression models, and in every file from before AU models. */
  task?: Task;
  /** AU models: the FACS AU number of each output, in output order (`classes` holds their names, 'AU12'). */
  actionUnits?: number[];
}

export function saveModelFile(path: string, model: FerModel, o: { classes: string[]; size: number; arch: string; method: string; actionUnits?: number[] }): void {
  const meta: ModelFileMeta = {
    format: 'semifer-model', version: 1, config: model.config, classes: o.classes, size: o.size, method: o.method,
    normalization: { mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] },
    ...(o.actionUnits ? { task: 'au' as const, actionUnits: o.actionUnits } : {}),
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
  const task = meta.task ?? DEFAULT_TASK;
  if (!TASKS.includes(task)) fail(`task ${JSON.stringify(meta.task)} (expected one of ${TASKS.join(', ')})`);
  if (task === 'au') {
    const aus = meta.actionUnits;
    if (!Array.isArray(aus) || !aus.every((a) => Number.isInteger(a) && a > 0)) return fail('an AU model needs actionUnits, a list of AU numbers');
    if (JSON.stringify(aus.map(actionUnitName)) !== JSON.stringify(meta.classes)) fail(`the outputs [${meta.classes.join(', ')}] are not the AUs [${aus.join(', ')}]`);
  }
}

/**
 * The task of a model file, from its safetensors header alone (8-byte length,
 * then JSON), without reading the weights: for commands that score expression
 * and AU models differently. A file that is not a readable model file reads as
 * the default task; loading it later gives the precise error.
 */
export function modelFileTask(path: string): Task {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = Buffer.alloc(8);
    if (readSync(fd, size, 0, 8, 0) !== 8) return DEFAULT_TASK;
    const n = Number(size.readBigUInt64LE(0));
    if (n > 100_000_000) return DEFAULT_TASK;
    const header = Buffer.alloc(n);
    if (readSync(fd, header, 0, n, 8) !== n) return DEFAULT_TASK;
    const meta = JSON.parse(JSON.parse(header.toString('utf8')).__metadata__?.semifer ?? 'null') as Partial<ModelFileMeta> | null;
    return meta?.task === 'au' ? 'au' : DEFAULT_TASK;
  } catch {
    return DEFAULT_TASK;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The task of a loaded model file's metadata. */
export function modelTask(meta: ModelFileMeta): Task {
  return meta.task ?? DEFAULT_TASK;
}

/**
 * Refuses an AU model file where only an expression classifier makes sense
 * (predict, labelling, export, expression scoring): its outputs are independent
 * sigmoids, so a softmax over them would be a meaningless "expression".
 */
export function requireExpressionModelFile(path: string, what: string): void {
  if (modelFileTask(path) !== 'expression') {
    throw new ModelFileError(`${path}: an action-unit model (one sigmoid per AU) cannot ${what}, which needs an expression classifier; score it with semifer eval (docs/action-units.md)`);
  }
}

/** NaN or infinite weights make every prediction NaN: refused, naming the first such tensor. */
export function checkFiniteTensors(tensors: Map<string, torch.Tensor>, path: string): void {
  for (const [name, t] of tensors) {
    if (!t.allFinite()) throw new ModelFileError(`${path}: tensor '${name}' holds NaN or infinite values; the file is damaged or was saved from a diverged run`);
  }
}
