// The exported semifer model (a TF.js graph model, src/export/metadata.ts).
// The input tensor comes from /lib/preprocess.js, the compiled
// src/export/preprocess.ts: value = (byte · scale − mean[c]) / std[c], NHWC —
// the same function the Node side feeds its models with.
import * as tf from '@tensorflow/tfjs';
import { inputFromPixels } from '/lib/preprocess.js';

export async function loadClassifier(modelUrl, metadata) {
  const model = await tf.loadGraphModel(modelUrl);
  const { size } = metadata.input;
  const C = metadata.classes.length;

  /** N × size × size × 3 RGB bytes → one Float32Array of C probabilities per face. */
  async function classify(crops) {
    const n = crops.length / (size * size * 3);
    if (n === 0) return [];
    const { data, dims } = inputFromPixels(crops, metadata.input);
    const x = tf.tensor(data, dims, 'float32');
    const y = model.execute({ [metadata.input.name]: x }, metadata.outputs.probabilities);
    const flat = await y.data();
    x.dispose();
    y.dispose();
    return Array.from({ length: n }, (_, i) => flat.slice(i * C, (i + 1) * C));
  }

  // The first run sets up the kernels (WebGL shaders, WASM buffers): do it now, not on the first face.
  await classify(new Uint8Array(size * size * 3));
  return { classify, size, classes: metadata.classes };
}
