/**
 * What every exported model carries besides its weights: the class names and
 * the exact preprocessing, so a consumer (onnxruntime, TensorFlow.js, the
 * browser page, `semifer predict --model`) needs nothing else to use it.
 *
 * ONNX: one `.onnx` file; this object, JSON-encoded, is the model's
 *   `metadata_props` entry with key `semifer`. Input `input`, float32
 *   [N, 3, S, S] (NCHW). Outputs `logits` and `probabilities` (softmax), [N, C].
 * TF.js: a folder holding `model.json` (graph-model format, `tf.loadGraphModel`)
 *   and its weight shards; this object is `model.json`'s
 *   `userDefinedMetadata.semifer`. Input `input`, float32 [N, S, S, 3] (NHWC).
 *   Outputs `logits` and `probabilities`, [N, C].
 * In both, input pixels are RGB, value = (byte · scale − mean[c]) / std[c].
 * A `--compat` export (humanCompat.ts) has `compat` set, the target's classes
 * and input units, and only the `probabilities` output.
 */
import { ModelFileError, MAX_INPUT_SIZE } from '../models/modelFileError.js';
import type { CompatTarget } from './humanCompat.js';

export interface SemiferExportMetadata {
  format: 'semifer-export';
  version: 1;
  /** Class names in output order. */
  classes: string[];
  input: {
    name: 'input';
    layout: 'NCHW' | 'NHWC';
    /** Square input side in pixels. */
    size: number;
    channels: 3;
    colorOrder: 'RGB';
    /** Multiplies the 0–255 byte value before mean/std (1/255). */
    scale: number;
    mean: [number, number, number];
    std: [number, number, number];
  };
  /** `logits` is absent from a --compat export, whose only output is the probabilities. */
  outputs: { logits?: 'logits'; probabilities: 'probabilities' };
  /** Set when the model takes another library's interface (`semifer export --compat`). */
  compat?: CompatTarget;
  /** Where the model came from, for people reading the file. */
  model: { arch: string; head: string; method: string; dta: boolean };
}

export const EXPORT_METADATA_KEY = 'semifer';

/** Checks an object read from an exported model; throws naming `where` and the first field that is wrong. */
export function checkExportMetadata(value: unknown, where: string): SemiferExportMetadata {
  const fail = (what: string): never => {
    throw new ModelFileError(`${where}: not a semifer export (${what}); export one with 'semifer export --run RUNDIR --format onnx|tfjs --out PATH'`);
  };
  if (typeof value !== 'object' || value === null) fail('no semifer metadata');
  const m = value as Partial<SemiferExportMetadata>;
  if (m.format !== 'semifer-export') fail(`format is ${JSON.stringify(m.format)}, expected "semifer-export"`);
  if (m.version !== 1) fail(`version ${JSON.stringify(m.version)} is not supported (expected 1)`);
  if (!Array.isArray(m.classes) || m.classes.length < 2 || !m.classes.every((c) => typeof c === 'string')) fail('classes must be a list of at least two names');
  const i = m.input;
  if (!i || (i.layout !== 'NCHW' && i.layout !== 'NHWC')) fail('input.layout must be NCHW or NHWC');
  if (!i || !Number.isInteger(i.size) || i.size < 8 || i.size > MAX_INPUT_SIZE) fail(`input.size must be an integer from 8 to ${MAX_INPUT_SIZE}`);
  if (!i || !Array.isArray(i.mean) || i.mean.length !== 3 || !Array.isArray(i.std) || i.std.length !== 3) fail('input.mean and input.std must have 3 values');
  if (!i || typeof i.scale !== 'number' || !(i.scale > 0)) fail('input.scale must be a positive number');
  return m as SemiferExportMetadata;
}
