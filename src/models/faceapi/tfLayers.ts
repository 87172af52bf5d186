/**
 * TF.js weights and convolutions in LibTorch's terms, shared by the face-api
 * networks: filters are stored HWIO (depthwise H × W × C × 1), LibTorch wants
 * OIHW (depthwise C × 1 × H × W); TF's SAME padding puts an odd pixel after,
 * which LibTorch's symmetric padding cannot, so that case pads explicitly.
 */
import * as torch from '../../torch/index.js';
import { F, type Tensor } from '../../torch/index.js';
import type { TfjsWeight } from '../tfjs/readModel.js';
import { samePadding } from '../tfjs/samePadding.js';

/** A float32 weight by name, with the rank checked; `source` names the manifest in messages. */
export function weightGetter(weights: Map<string, TfjsWeight>, source: string, net: string): (name: string, rank: number) => Tensor {
  return (name, rank) => {
    const w = weights.get(name);
    if (!w || w.dtype !== 'float32') throw new Error(`${source}: no float32 weight '${name}' (not face-api's ${net} manifest?)`);
    if (w.shape.length !== rank) throw new Error(`${source}: weight '${name}' has shape [${w.shape.join(', ')}]; expected ${rank} dimensions`);
    return torch.tensor(Float32Array.from(w.data), { shape: w.shape });
  };
}

/** HWIO → OIHW. */
export const convFilter = (hwio: Tensor): Tensor => hwio.permute(3, 2, 0, 1).contiguous();
/** H × W × C × 1 → C × 1 × H × W. */
export const depthwiseFilter = (hwc1: Tensor): Tensor => hwc1.permute(2, 3, 0, 1).contiguous();

/** A square-kernel convolution padded like TF's SAME; `groups` = channels for a depthwise one. */
export function conv2dSame(x: Tensor, weight: Tensor, bias: Tensor | null, stride: number, groups = 1): Tensor {
  const [, , h, w] = x.shape as [number, number, number, number];
  const k = weight.shape[2]!;
  const same = samePadding([h, w], [k, k], [stride, stride]);
  const input = same.kind === 'explicit' ? F.pad(x, same.pads) : x;
  return F.conv2d(input, weight, bias, { stride: [stride, stride], padding: same.kind === 'symmetric' ? same.padding : [0, 0], groups });
}
