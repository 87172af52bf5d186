/**
 * Expression classifiers for aligned face crops, behind one interface:
 *
 *  - `run`:  semifer's own model, RUNDIR/model.safetensors on LibTorch
 *            (src/models/modelFile.ts), normalised with the file's mean/std;
 *  - `onnx`: an exported .onnx file on onnxruntime-node, NCHW input;
 *  - `tfjs`: an exported TF.js graph-model folder (model.json + shards) on
 *            TensorFlow.js's WASM backend (tfjs.ts), NHWC input.
 *
 * Exported models carry their classes and preprocessing (src/export/metadata.ts),
 * so all three take the same input — N crops of size × size RGB bytes — and
 * return N × C softmax probabilities in the order of `classes`.
 * Engines are imported on use: `--model x.onnx` never loads LibTorch, `--run`
 * never loads onnxruntime.
 */
import { ModelFileError } from '../models/modelFileError.js';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkExportMetadata, EXPORT_METADATA_KEY, type SemiferExportMetadata } from '../export/metadata.js';
import { inputFromPixels } from '../export/preprocess.js';
import { readOnnxSemiferMetadata } from '../export/onnxMetadata.js';
import { folderHandler } from '../export/runTfjs.js';
import { loadTf } from './tfjs.js';

export type ClassifierKind = 'run' | 'onnx' | 'tfjs';

export interface Classifier {
  readonly kind: ClassifierKind;
  /** The file or folder the model came from. */
  readonly source: string;
  readonly classes: readonly string[];
  /** Side of the square input crop, in pixels. */
  readonly size: number;
  /** `crops`: N × size × size × 3 RGB bytes → N × C probabilities (row-major). */
  classify(crops: Uint8Array): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Faces per forward pass: a photo rarely has more, and it bounds memory on a crowd. */
const BATCH = 32;

/** A classifier from `--run RUNDIR` (or the model file itself) or `--model EXPORTED` (.onnx file or TF.js folder). */
export async function openClassifier(o: { run?: string; model?: string }): Promise<Classifier> {
  if (o.run !== undefined) return openRunClassifier(o.run);
  if (o.model !== undefined) {
    if (!existsSync(o.model)) throw new Error(`${o.model}: no such file or folder`);
    return statSync(o.model).isDirectory() || o.model.endsWith('model.json') ? openTfjsClassifier(o.model) : openOnnxClassifier(o.model);
  }
  throw new Error('openClassifier: give a run folder or an exported model');
}

/** semifer's own model file on LibTorch. */
export async function openRunClassifier(run: string): Promise<Classifier> {
  const file = existsSync(run) && statSync(run).isFile() ? run : join(run, 'model.safetensors');
  if (!existsSync(file)) throw new Error(`${file}: no model file (train a model first: semifer train --out ${run})`);
  const torch = await import('../torch/index.js');
  const { loadModelFile, requireExpressionModelFile } = await import('../models/modelFile.js');
  requireExpressionModelFile(file, 'classify faces');
  const { toFloatImages } = await import('../data/augment/images.js');
  const { normalize } = await import('../data/augment/normalize.js');
  const { model, meta } = loadModelFile(file);
  const { mean, std } = meta.normalization;
  const size = meta.size, C = meta.classes.length, frame = size * size * 3;
  return {
    kind: 'run', source: file, classes: meta.classes, size,
    async classify(crops) {
      const n = checkCrops(crops, size);
      const probs = new Float32Array(n * C);
      for (let start = 0; start < n; start += BATCH) {
        const part = crops.subarray(start * frame, Math.min(n, start + BATCH) * frame);
        torch.tidy(() => torch.noGrad(() => {
          const x = normalize(toFloatImages(part, size), mean, std);
          probs.set(model.forward(x).logits.softmax(1).to('float32').data() as Float32Array, start * C);
        }));
      }
      return probs;
    },
    async dispose() {
      model.dispose();
    },
  };
}

/** An exported ONNX model: metadata from its metadata_props, run by onnxruntime-node. */
export async function openOnnxClassifier(file: string): Promise<Classifier> {
  const bytes = new Uint8Array(await readFile(file));
  const meta = readOnnxSemiferMetadata(bytes, file);
  const ort = await import('onnxruntime-node');
  let session: import('onnxruntime-node').InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (err) {
    throw new Error(`${file}: onnxruntime cannot load it (${(err as Error).message})`);
  }
  return exportedClassifier('onnx', file, meta, async (data, dims) => {
    const out = await session.run({ [meta.input.name]: new ort.Tensor('float32', data, dims) }, [meta.outputs.probabilities]);
    return out[meta.outputs.probabilities]!.data as Float32Array;
  }, () => session.release());
}

/** An exported TF.js graph model folder: metadata from model.json, run on the WASM backend. */
export async function openTfjsClassifier(path: string): Promise<Classifier> {
  const dir = path.endsWith('model.json') ? join(path, '..') : path;
  const jsonFile = join(dir, 'model.json');
  if (!existsSync(jsonFile)) throw new Error(`${dir}: no model.json (a TF.js export is a folder with model.json and its weight shards)`);
  let json: { userDefinedMetadata?: Record<string, unknown> };
  try {
    json = JSON.parse(await readFile(jsonFile, 'utf8'));
  } catch (err) {
    throw new Error(`${jsonFile}: not valid JSON (${(err as Error).message})`);
  }
  const meta = checkExportMetadata(json.userDefinedMetadata?.[EXPORT_METADATA_KEY], jsonFile);
  const tf = await loadTf();
  let model: import('@tensorflow/tfjs').GraphModel;
  try {
    model = await tf.loadGraphModel(folderHandler(dir));
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`${jsonFile}: TF.js cannot load this model (${(e as Error).message})`);
  }
  return exportedClassifier('tfjs', dir, meta, async (data, dims) => {
    const x = tf.tensor(data, dims, 'float32');
    try {
      const y = model.execute({ [meta.input.name]: x }, meta.outputs.probabilities) as import('@tensorflow/tfjs').Tensor;
      const probs = (await y.data()) as Float32Array;
      y.dispose();
      return probs;
    } finally {
      x.dispose();
    }
  }, async () => model.dispose());
}

/** Batching and preprocessing shared by the two exported formats. */
function exportedClassifier(
  kind: ClassifierKind, source: string, meta: SemiferExportMetadata,
  run: (data: Float32Array, dims: number[]) => Promise<Float32Array>, release: () => Promise<void> | void,
): Classifier {
  const size = meta.input.size, C = meta.classes.length, frame = size * size * 3;
  return {
    kind, source, classes: meta.classes, size,
    async classify(crops) {
      const n = checkCrops(crops, size);
      const probs = new Float32Array(n * C);
      for (let start = 0; start < n; start += BATCH) {
        const { data, dims } = inputFromPixels(crops.subarray(start * frame, Math.min(n, start + BATCH) * frame), meta.input);
        const p = await run(data, dims);
        if (p.length !== dims[0]! * C) throw new Error(`${source}: the model returned ${p.length} probabilities for ${dims[0]} faces × ${C} classes`);
        probs.set(p, start * C);
      }
      return probs;
    },
    async dispose() {
      await release();
    },
  };
}

function checkCrops(crops: Uint8Array, size: number): number {
  const frame = size * size * 3;
  if (crops.length % frame !== 0) throw new RangeError(`classify: ${crops.length} bytes are not whole ${size}×${size}×3 crops`);
  return crops.length / frame;
}
