/** A model's probabilities (and pooled features) on a set of images, without augmentation. */
import * as torch from '../torch/index.js';
import { evalBatches } from '../data/loader.js';
import type { FerModel } from '../models/index.js';

export interface Predictions {
  /** N×C row-major softmax probabilities. */
  probs: Float32Array;
  /** N×D pooled features (when asked for). */
  features?: Float32Array;
  featureDim?: number;
}

export function predict(model: FerModel, images: Uint8Array, size: number, o: { batch?: number; device?: string; features?: boolean } = {}): Predictions {
  const wasTraining = model.training;
  model.eval();
  const C = model.numClasses;
  const n = images.length / (size * size * 3);
  const probs = new Float32Array(n * C);
  let features: Float32Array | undefined;
  let featureDim: number | undefined;
  try {
    for (const { x, start } of evalBatches(images, size, o.batch ?? 128, { device: o.device })) {
      torch.tidy(() => torch.noGrad(() => {
        const pooled = model.pooled(x);
        const out = model.head.forward(pooled);
        probs.set(out.logits.softmax(1).to('float32').data() as Float32Array, start * C);
        if (o.features) {
          featureDim = pooled.shape[1];
          features ??= new Float32Array(n * featureDim);
          features.set(pooled.to('float32').data() as Float32Array, start * featureDim);
        }
      }));
      x.dispose();
    }
  } finally {
    model.train(wasTraining);
  }
  return { probs, features, featureDim };
}
