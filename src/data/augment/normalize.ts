/**
 * ImageNet normalisation, the last step before the network: (x − mean) / std
 * per channel, on images in [0, 1]. ResNet-18 weights trained on ImageNet or
 * MS-Celeb-1M expect it.
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { checkImages } from './images.js';
import { onDevice } from './params.js';

export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

function channels(v: readonly number[], device: string): Tensor {
  return onDevice(torch.tensor(Float32Array.from(v), { shape: [1, 3, 1, 1] }), device);
}

/** (x − mean) / std per channel. */
export function normalize(x: Tensor, mean: readonly number[] = IMAGENET_MEAN, std: readonly number[] = IMAGENET_STD): Tensor {
  checkImages(x, 'normalize');
  // × 1/std rather than ÷ std: the same arithmetic as normalize_(), so both give identical values.
  return torch.tidy(() => x.sub(channels(mean, x.device)).mul_(channels(std, x.device).reciprocal()));
}

/** normalize() in place, for a tensor the caller owns (saves a full-size copy per view). */
export function normalize_(x: Tensor, mean: readonly number[] = IMAGENET_MEAN, std: readonly number[] = IMAGENET_STD): Tensor {
  checkImages(x, 'normalize_');
  torch.tidy(() => {
    const m = channels(mean, x.device);
    const s = channels(std, x.device);
    x.add_(m.neg()).mul_(s.reciprocal());
  });
  return x;
}

/** The inverse: x · std + mean (for looking at network inputs). */
export function denormalize(x: Tensor, mean: readonly number[] = IMAGENET_MEAN, std: readonly number[] = IMAGENET_STD): Tensor {
  checkImages(x, 'denormalize');
  return torch.tidy(() => x.mul(channels(std, x.device)).add(channels(mean, x.device)));
}
