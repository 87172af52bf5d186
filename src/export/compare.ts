/**
 * semifer's own outputs on the check images, and the distance between them and
 * an exported model's: the number every export prints and is judged by.
 */
import * as torch from '../torch/index.js';
import { evalBatches } from '../data/loader.js';
import type { FerModel } from '../models/index.js';
import type { ExportedOutputs } from './runOnnx.js';

/** The model's eval-mode logits and softmax on N × size × size × 3 RGB bytes (ImageNet-normalised, as in training). */
export function semiferOutputs(model: FerModel, pixels: Uint8Array, size: number): ExportedOutputs {
  const wasTraining = model.training;
  model.eval();
  const n = pixels.length / (size * size * 3);
  const C = model.numClasses;
  const logits = new Float32Array(n * C);
  const probabilities = new Float32Array(n * C);
  try {
    for (const { x, start } of evalBatches(pixels, size, 32)) {
      torch.tidy(() => torch.noGrad(() => {
        const z = model.forward(x).logits.to('float32');
        logits.set(z.data() as Float32Array, start * C);
        probabilities.set(z.softmax(1).data() as Float32Array, start * C);
      }));
      x.dispose();
    }
  } finally {
    model.train(wasTraining);
  }
  return { logits, probabilities };
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    // NaN anywhere is a failure, not a zero.
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
