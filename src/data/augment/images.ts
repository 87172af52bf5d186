/**
 * Between the decoded-image layout and the augmentation layout.
 *
 * Decoded images (DecodedImages.pixels, the cache) are uint8 N×S×S×3, RGB,
 * interleaved (NHWC). Every augmentation works on float32 N×3×H×W tensors
 * (NCHW, the layout convolutions want) with values in [0, 1] — the convention
 * before ImageNet normalisation, which comes last (normalize.ts).
 */
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';

/**
 * uint8 NHWC RGB bytes → float32 N×3×size×size in [0, 1] on `device`.
 * `count` defaults to as many whole images as `pixels` holds.
 */
export function toFloatImages(pixels: Uint8Array, size: number, opts: { count?: number; device?: string } = {}): Tensor {
  const frame = size * size * 3;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`toFloatImages: size must be a positive integer, got ${size}`);
  const count = opts.count ?? Math.floor(pixels.length / frame);
  if (count * frame > pixels.length) {
    throw new RangeError(`toFloatImages: ${count} images of ${size}×${size}×3 need ${count * frame} bytes, got ${pixels.length}`);
  }
  return torch.tidy(() => {
    const bytes = count * frame === pixels.length ? pixels : pixels.subarray(0, count * frame);
    // Upload the bytes, not floats: 4× less to copy (and to send to a GPU).
    let u8 = torch.tensor(bytes, { shape: [count, size, size, 3] });
    if (opts.device && opts.device !== 'cpu') u8 = u8.to(opts.device);
    // Reorder the bytes (cheap), then one float pass and one division.
    return u8.permute(0, 3, 1, 2).contiguous().to('float32').div(255);
  });
}

/**
 * float N×3×H×W in [0, 1] (or uint8) → uint8 NHWC RGB bytes, rounded and
 * clipped: for looking at augmented images and for reports.
 */
export function toUint8Images(x: Tensor): Uint8Array {
  checkImages(x, 'toUint8Images');
  return torch.tidy(() => {
    const u8 = x.dtype === 'uint8' ? x : x.clamp(0, 1).mul(255).round().to('uint8');
    return u8.permute(0, 2, 3, 1).contiguous().data() as Uint8Array;
  });
}

/** uint8 (0..255) → float32 /255; float32 passes through as is (the caller's tensor, not a copy). */
export function asFloat01(x: Tensor): Tensor {
  checkImages(x, 'augment');
  const d = x.dtype;
  if (d === 'uint8') return torch.tidy(() => x.to('float32').div(255));
  if (d === 'float32') return x;
  return x.to('float32');
}

/** Throws a clear error unless `x` is an N×3×H×W batch. */
export function checkImages(x: Tensor, where: string): void {
  const s = x.shape;
  if (s.length !== 4 || s[1] !== 3) throw new TypeError(`${where}: expected images N×3×H×W, got shape [${s.join(',')}]`);
}
