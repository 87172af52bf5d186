/**
 * TensorFlow's `resizeBilinear` as face-api calls it (align corners off,
 * half-pixel centres off): output pixel i reads source position i · in/out
 * (in float32, as TF computes it), not PyTorch's (i + ½) · in/out − ½, so
 * F.interpolate would shift every pixel. Matching it keeps the LibTorch
 * ports' detections equal to face-api's own.
 */
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';

/** Source rows (or columns) and weights for `from` → `to` pixels. */
function taps(from: number, to: number): { lo: Tensor; hi: Tensor; frac: Tensor } {
  const scale = Math.fround(from / to);
  const lo = new Int32Array(to), hi = new Int32Array(to), frac = new Float32Array(to);
  for (let i = 0; i < to; i++) {
    const src = Math.fround(i * scale);
    lo[i] = Math.floor(src);
    hi[i] = Math.min(lo[i]! + 1, from - 1);
    frac[i] = src - lo[i]!;
  }
  return { lo: torch.tensor(lo).long(), hi: torch.tensor(hi).long(), frac: torch.tensor(frac) };
}

/** `x`: C × H × W float → C × outH × outW. */
export function resizeBilinearTf(x: Tensor, outH: number, outW: number): Tensor {
  return torch.tidy(() => {
    const [, h, w] = x.shape as [number, number, number];
    const lerp = (a: Tensor, b: Tensor, f: Tensor) => a.add(b.sub(a).mul(f));
    let y = x;
    if (h !== outH) {
      const r = taps(h, outH);
      y = lerp(y.indexSelect(1, r.lo), y.indexSelect(1, r.hi), r.frac.view(1, -1, 1));
    }
    if (w !== outW) {
      const c = taps(w, outW);
      y = lerp(y.indexSelect(2, c.lo), y.indexSelect(2, c.hi), c.frac.view(1, 1, -1));
    }
    return y;
  });
}
