/**
 * Loads an exported TF.js graph model folder in Node with @tensorflow/tfjs
 * (WASM or pure-JS CPU backend; tfjs-node is not used) and runs it. That
 * package has no file-system IOHandler, so a tiny one reads model.json and its
 * shards; a browser loads the same folder by URL with tf.loadGraphModel.
 */
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
          for (const p of g.paths) {
            const b = await readFile(join(dir, p));
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
          }
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

/** Runs the model in `dir` on N × S × S × 3 RGB bytes. */
export async function runTfjs(dir: string, pixels: Uint8Array, meta: SemiferExportMetadata, o: { backend?: TfBackend } = {}): Promise<ExportedOutputs> {
  const tf = await loadTf(o.backend);
  const model = await loadTfjsFolder(dir, o.backend);
  try {
    const { data, dims } = inputFromPixels(pixels, meta.input);
    const x = tf.tensor(data, dims, 'float32');
    const [logits, probs] = model.execute({ [meta.input.name]: x }, [meta.outputs.logits, meta.outputs.probabilities]) as import('@tensorflow/tfjs').Tensor[];
    const out = { logits: (await logits!.data()) as Float32Array, probabilities: (await probs!.data()) as Float32Array };
    tf.dispose([x, logits!, probs!]);
    return out;
  } finally {
    model.dispose();
  }
}
