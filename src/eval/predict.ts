/** A model's probabilities (and pooled features) on a set of images, without augmentation unless `transform` is given. */
import * as torch from '../torch/index.js';
import { evalBatches } from '../data/loader.js';
import { normalize, weak } from '../data/augment/index.js';
import { rngFor } from '../data/random.js';
import type { FerModel } from '../models/index.js';

export interface Predictions {
  /** N×C row-major probabilities: softmax over classes, or one sigmoid per output with `activation: 'sigmoid'`. */
  probs: Float32Array;
  /** N×D pooled features (when asked for). */
  features?: Float32Array;
  featureDim?: number;
}

export interface PredictOptions {
  batch?: number;
  device?: string;
  features?: boolean;
  /** 'softmax' (default: one expression per face) or 'sigmoid' (independent outputs: action units). */
  activation?: 'softmax' | 'sigmoid';
  /**
   * Applied to each batch of [0, 1] images before the ImageNet normalisation
   * (e.g. Ada-CM's authors' weak augmentation when learning the margins).
   */
  transform?: (x: torch.Tensor) => torch.Tensor;
}

export function predict(model: FerModel, images: Uint8Array, size: number, o: PredictOptions = {}): Predictions {
  const wasTraining = model.training;
  model.eval();
  const C = model.numClasses;
  const n = images.length / (size * size * 3);
  const probs = new Float32Array(n * C);
  let features: Float32Array | undefined;
  let featureDim: number | undefined;
  try {
    const transform = o.transform;
    for (const { x, start } of evalBatches(images, size, o.batch ?? 128, { device: o.device, normalize: transform === undefined })) {
      torch.tidy(() => torch.noGrad(() => {
        const pooled = model.pooled(transform ? normalize(transform(x)) : x);
        const out = model.head.forward(pooled);
        const p = o.activation === 'sigmoid' ? out.logits.sigmoid() : out.logits.softmax(1);
        probs.set(p.to('float32').data() as Float32Array, start * C);
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

/**
 * predict() under the weak augmentation (random crop with zero padding, flip),
 * one draw per image from a generator made of (seed, purpose): the same call
 * draws the same augmentation, so a resumed run repeats it.
 */
export function predictWeak(model: FerModel, images: Uint8Array, size: number, o: Omit<PredictOptions, 'transform'> & { seed: number; purpose: string; padding?: number }): Predictions {
  const rng = rngFor(o.seed, o.purpose);
  return predict(model, images, size, { ...o, transform: (x) => weak(x, rng, { padding: o.padding }) });
}
