/**
 * Loads an exported TF.js graph model folder in Node with @tensorflow/tfjs
 * (WASM or pure-JS CPU backend; tfjs-node is not used) and runs it. That
 * package has no file-system IOHandler, so a tiny one reads model.json and its
 * shards; a browser loads the same folder by URL with tf.loadGraphModel.
 */
import { ModelFileError, firstNonFinite } from '../models/modelFileError.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SemiferExportMetadata } from './metadata.js';
import { inputFromPixels } from './preprocess.js';
import type { ExportedOutputs } from './runOnnx.js';

type Tf = typeof import('@tensorflow/tfjs');
export type TfBackend = 'wasm' | 'cpu';
let tfModule: Promise<Tf> | undefined;

/**
 * @tensorflow/tfjs in production mode (no "install tfjs-node" banner) on the
 * given backend: 'wasm' (default; XNNPACK, ≈20× the pure-JS 'cpu' backend on
 * convolutions, and what the browser page runs) or 'cpu'.
 */
export async function loadTf(backend: TfBackend = 'wasm'): Promise<Tf> {
  tfModule ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    tf.enableProdMode();
    return tf;
  })();
  const tf = await tfModule;
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`TensorFlow.js: the ${backend} backend failed to start`);
  await tf.ready();
  return tf;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1 };

/**
 * One weight group against its manifest entry, before TF.js reads it: the
 * shards must hold exactly the bytes the listed weights need (a truncated or
 * foreign .bin is named here, not met later as a shape error blamed on an
 * image), and float32 weights must be finite (naming the weight).
 */
function checkWeightGroup(dir: string, g: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }, bytes: Buffer): void {
  const shards = g.paths.map((p) => join(dir, p)).join(', ');
  if (g.weights.some((w) => w.quantization !== undefined || DTYPE_BYTES[w.dtype] === undefined)) return; // sizes not computable here: TF.js checks
  const need = g.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[w.dtype]!, 0);
  if (bytes.length !== need) {
    throw new ModelFileError(`${shards}: ${bytes.length} bytes, but the weights ${join(dir, 'model.json')} lists for ${g.paths.length === 1 ? 'it' : 'them'} need ${need}` +
      `${bytes.length < need ? ' (truncated?)' : ''}; the shard does not belong to this model.json`);
  }
  let offset = 0;
  for (const w of g.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (w.dtype === 'float32') {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = bytes.readFloatLE(offset + 4 * i);
      if (firstNonFinite(values) >= 0) throw new ModelFileError(`${shards}: weight '${w.name}' holds NaN or infinite values; the export is damaged`);
    }
    offset += n * DTYPE_BYTES[w.dtype]!;
  }
}

/** An IOHandler reading `dir/model.json` (or another JSON file there) and the shards it lists. */
export function folderHandler(dir: string, file = 'model.json'): import('@tensorflow/tfjs').io.IOHandler {
  return {
    async load() {
      // Only tf.io is needed here: the caller's backend choice stays untouched.
      const tf = await import('@tensorflow/tfjs');
      const json = JSON.parse(await readFile(join(dir, file), 'utf8'));
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const buffers: ArrayBuffer[] = [];
        for (const g of manifest) {
          const group: Buffer[] = [];
          for (const p of g.paths) {
            try {
              group.push(await readFile(join(dir, p)));
            } catch (e) {
              throw new ModelFileError(`${join(dir, p)}: cannot read this weight shard of ${join(dir, 'model.json')} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
            }
          }
          checkWeightGroup(dir, g, Buffer.concat(group));
          for (const b of group) buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

export async function loadTfjsFolder(dir: string, backend: TfBackend = 'wasm'): Promise<import('@tensorflow/tfjs').GraphModel> {
  const tf = await loadTf(backend);
  return tf.loadGraphModel(folderHandler(dir));
}

/** Runs the model in `dir` on N × S × S × 3 RGB bytes and reads the named outputs. */
async function execute(dir: string, pixels: Uint8Array, meta: SemiferExportMetadata, outputs: string[], backend?: TfBackend): Promise<Float32Array[]> {
  const tf = await loadTf(backend);
  const model = await loadTfjsFolder(dir, backend);
  try {
    const { data, dims } = inputFromPixels(pixels, meta.input);
    const x = tf.tensor(data, dims, 'float32');
    const y = model.execute({ [meta.input.name]: x }, outputs);
    // One requested output comes back as a tensor, not a list of one.
    const ys = Array.isArray(y) ? y : [y];
    const out = await Promise.all(ys.map(async (y) => (await y.data()) as Float32Array));
    tf.dispose([x, ...ys]);
    return out;
  } finally {
    model.dispose();
  }
}

/** Runs the model in `dir` on N × S × S × 3 RGB bytes: its logits and probabilities. */
export async function runTfjs(dir: string, pixels: Uint8Array, meta: SemiferExportMetadata, o: { backend?: TfBackend } = {}): Promise<ExportedOutputs> {
  if (!meta.outputs.logits) throw new Error(`${dir}: the metadata names no logits output (a --compat export); use runTfjsProbabilities`);
  const [logits, probabilities] = await execute(dir, pixels, meta, [meta.outputs.logits, meta.outputs.probabilities], o.backend);
  return { logits: logits!, probabilities: probabilities! };
}

/** The probabilities alone: the one output every export has, a --compat one included. */
export async function runTfjsProbabilities(dir: string, pixels: Uint8Array, meta: SemiferExportMetadata, o: { backend?: TfBackend } = {}): Promise<Float32Array> {
  const [probabilities] = await execute(dir, pixels, meta, [meta.outputs.probabilities], o.backend);
  return probabilities!;
}
