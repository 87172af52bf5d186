// The exported semifer model (a TF.js graph model, src/export/metadata.ts):
// input `input` float32 [N, S, S, 3] RGB, value = (byte · scale − mean[c]) / std[c];
// output `probabilities` [N, C] in the order of `classes`.
import * as tf from '@tensorflow/tfjs';

export async function loadClassifier(modelUrl, metadata) {
  const model = await tf.loadGraphModel(modelUrl);
  const { size, scale, mean, std } = metadata.input;
  const output = metadata.outputs?.probabilities ?? 'probabilities';
  const meanT = tf.tensor1d(mean.map((m) => m / scale));
  const stdT = tf.tensor1d(std.map((s) => s / scale));

  /** Class probabilities for each size×size face canvas, as one Float32Array per face. */
  async function classify(crops) {
    if (crops.length === 0) return [];
    const out = tf.tidy(() => {
      const bytes = tf.stack(crops.map((c) => tf.browser.fromPixels(c, 3))).toFloat();
      // (byte·scale − mean)/std, written as (byte − mean/scale)/(std/scale).
      return model.execute(bytes.sub(meanT).div(stdT), output);
    });
    const flat = await out.data();
    out.dispose();
    const c = metadata.classes.length;
    return crops.map((_, i) => flat.slice(i * c, (i + 1) * c));
  }

  // The first run compiles kernels (WebGL shaders, WASM setup): do it now, not on the first face.
  const blank = document.createElement('canvas');
  blank.width = blank.height = size;
  await classify([blank]);
  return { classify, size, classes: metadata.classes };
}
