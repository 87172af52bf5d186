/**
 * An exported model's input from RGB bytes, exactly as its metadata says:
 * value = (byte · scale − mean[c]) / std[c], laid out NCHW (ONNX) or NHWC
 * (TF.js). Shared by the export check, `semifer predict` and the tests.
 */
import type { SemiferExportMetadata } from './metadata.js';

/** `pixels`: N × size × size × 3 uint8 RGB (the layout of semifer's decoded images). */
export function inputFromPixels(pixels: Uint8Array, input: SemiferExportMetadata['input']): { data: Float32Array; dims: number[] } {
  const s = input.size;
  const frame = s * s * 3;
  if (pixels.length % frame !== 0) throw new RangeError(`inputFromPixels: ${pixels.length} bytes are not whole ${s}×${s}×3 images`);
  const n = pixels.length / frame;
  const data = new Float32Array(pixels.length);
  const mul = [0, 1, 2].map((c) => 1 / input.std[c]!);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < s * s; p++) {
      for (let c = 0; c < 3; c++) {
        const v = (pixels[i * frame + p * 3 + c]! * input.scale - input.mean[c]!) * mul[c]!;
        data[input.layout === 'NHWC' ? i * frame + p * 3 + c : (i * 3 + c) * s * s + p] = v;
      }
    }
  }
  return { data, dims: input.layout === 'NHWC' ? [n, s, s, 3] : [n, 3, s, s] };
}
