/**
 * face-api's 68-point face landmark net (`face_landmark_68_model`) on
 * LibTorch, with the weights face-api ships.
 *
 * Network (112×112 face crop, mean RGB (122.782, 117.001, 104.298)
 * subtracted, then ÷ 255):
 *  - four dense blocks at 32, 64, 128 and 256 channels, each halving the
 *    size: conv0 (a plain 3×3 convolution in the first block, a depthwise-
 *    separable one in the others; stride 2), then three separable 3×3
 *    convolutions, each fed the ReLU of the sum of all earlier outputs of
 *    the block; the block returns the ReLU of the sum of all four;
 *  - a 7×7 average pool (7×7 → 1×1), a fully connected layer 256 → 136:
 *    (x, y) of the 68 points, relative to the 112-px input.
 * A separable convolution is depthwise 3×3 (no bias), then pointwise 1×1
 * with a bias; all pad like TF's SAME (tfLayers.ts).
 */
import * as torch from '../../torch/index.js';
import { nn, F, type Tensor } from '../../torch/index.js';
import { readTfjsWeightsManifest, type TfjsWeight } from '../tfjs/readModel.js';
import { conv2dSame, convFilter, depthwiseFilter, weightGetter } from './tfLayers.js';

/** The side of the square crop the net sees. */
export const LANDMARK_INPUT_SIZE = 112;
/** Mean RGB subtracted before ÷ 255 (face-api's FaceFeatureExtractor). */
export const LANDMARK_MEAN_RGB = [122.782, 117.001, 104.298] as const;
const BLOCKS = 4, CONVS_PER_BLOCK = 4;

/** conv0 of block 0 is plain (filters + bias); every other conv is separable (depthwise, pointwise, bias). */
interface Conv { depthwise: Tensor | null; filter: Tensor; bias: Tensor; stride: number }

export class FaceLandmark68Net extends nn.Module {
  readonly #blocks: Conv[][] = [];
  readonly #fcWeight: Tensor;
  readonly #fcBias: Tensor;
  readonly #mean: Tensor;

  constructor(weights: Map<string, TfjsWeight>, readonly source: string) {
    super();
    const get = weightGetter(weights, source, '68-point landmark net');
    const param = (key: string, make: () => Tensor) => this.registerParameter(key, torch.tidy(make));
    for (let b = 0; b < BLOCKS; b++) {
      const convs: Conv[] = [];
      for (let c = 0; c < CONVS_PER_BLOCK; c++) {
        const p = `dense${b}/conv${c}`, key = `dense${b}_conv${c}`;
        const stride = c === 0 ? 2 : 1;
        if (b === 0 && c === 0) {
          convs.push({ depthwise: null, filter: param(`${key}_filter`, () => convFilter(get(`${p}/filters`, 4))), bias: param(`${key}_bias`, () => get(`${p}/bias`, 1)), stride });
        } else {
          convs.push({
            depthwise: param(`${key}_depthwise`, () => depthwiseFilter(get(`${p}/depthwise_filter`, 4))),
            filter: param(`${key}_pointwise`, () => convFilter(get(`${p}/pointwise_filter`, 4))),
            bias: param(`${key}_bias`, () => get(`${p}/bias`, 1)),
            stride,
          });
        }
      }
      this.#blocks.push(convs);
    }
    this.#fcWeight = param('fc_weight', () => get('fc/weights', 2).t().contiguous());
    this.#fcBias = param('fc_bias', () => get('fc/bias', 1));
    this.#mean = this.registerBuffer('mean_rgb', torch.tensor(Float32Array.from(LANDMARK_MEAN_RGB), { shape: [1, 3, 1, 1] }), false);
  }

  static fromManifest(manifest: string): FaceLandmark68Net {
    return new FaceLandmark68Net(readTfjsWeightsManifest(manifest), manifest);
  }

  #conv(x: Tensor, c: Conv): Tensor {
    if (!c.depthwise) return conv2dSame(x, c.filter, c.bias, c.stride);
    const d = conv2dSame(x, c.depthwise, null, c.stride, c.depthwise.shape[0]!);
    return F.conv2d(d, c.filter, c.bias);
  }

  /** `x`: N × 3 × 112 × 112 RGB in 0–255 → N × 68 × 2 points (x, y), relative to the input (0–1). */
  forward(x: Tensor): Tensor {
    return torch.tidy(() => {
      // Channels-last, as in SSD (ssdMobilenetV1.ts): faster depthwise convolutions.
      let out = x.sub(this.#mean).div(255).channelsLast();
      for (const convs of this.#blocks) {
        const first = this.#conv(out, convs[0]!).relu();
        let sum = first;
        for (const c of convs.slice(1)) {
          const y = this.#conv(sum === first ? first : sum.relu(), c);
          sum = sum.add(y);
        }
        out = sum.relu();
      }
      const pooled = F.avgPool2d(out, 7, { stride: 2 }).flatten(1);
      return F.linear(pooled, this.#fcWeight, this.#fcBias).view(-1, 68, 2);
    });
  }
}
