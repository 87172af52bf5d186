/**
 * face-api's face detector, SSD with a MobileNet v1 body (the TF Object
 * Detection API's ssd_mobilenet_v1 trained on faces), on LibTorch, with the
 * weights face-api ships (`model/ssd_mobilenetv1_model-weights_manifest.json`
 * + `.bin`, read by readTfjsWeightsManifest).
 *
 * Network (512×512 input scaled to [−1, 1]):
 *  - body: a 3×3 stride-2 convolution, then 13 pairs of a 3×3 depthwise
 *    convolution (its batch norm, ε = 0.001, is folded into the filter here)
 *    and a 1×1 convolution; ReLU6 after each. Stride 2 at pairs 2, 4, 6 and 12.
 *  - extra layers: four (1×1, 3×3 stride 2) pairs after the body, ReLU6.
 *  - six box predictors, 1×1 convolutions on pair 11 (32×32, 3 anchors per
 *    cell), the body's end (16×16) and the four extra stages (8, 4, 2, 1; 6
 *    anchors each): 5118 anchors, each with 4 box offsets and 3 class logits.
 * Every convolution pads like TF's SAME (tfLayers.ts).
 *
 * Boxes are decoded against the shipped anchors (`Output/extra_dim`, each
 * [ymin, xmin, ymax, xmax]) with the usual SSD variances: centre offsets ÷ 10
 * times the anchor's size, sizes exp(offset ÷ 5) times the anchor's. The face
 * score is the sigmoid of class logit 1 (0 is the background).
 */
import * as torch from '../../torch/index.js';
import { nn, type Tensor } from '../../torch/index.js';
import { readTfjsWeightsManifest, type TfjsWeight } from '../tfjs/readModel.js';
import { conv2dSame, convFilter, depthwiseFilter, weightGetter } from './tfLayers.js';

/** The side of the square image the detector sees. */
export const SSD_INPUT_SIZE = 512;
/** Batch norm ε of the body's depthwise layers (the TF graph's). */
const BN_EPS = 0.001;
/** Pairs of the body whose depthwise convolution has stride 2. */
const STRIDE_2_PAIRS = new Set([2, 4, 6, 12]);
/** Box variances of the TF Object Detection API's SSD box coder: y, x, h, w. */
const CENTRE_VARIANCE = 10, SIZE_VARIANCE = 5;

interface ConvLayer { key: string; stride: number; groups: number }

export interface SsdOutput {
  /** N × A × 4: [ymin, xmin, ymax, xmax] relative to the 512×512 input (not clipped). */
  boxes: Tensor;
  /** N × A face scores, 0–1. */
  scores: Tensor;
}

export class SsdMobilenetV1 extends nn.Module {
  readonly #body: ConvLayer[] = [];
  readonly #extra: ConvLayer[] = [];
  readonly #predictors: { box: ConvLayer; cls: ConvLayer }[] = [];
  readonly #params = new Map<string, { weight: Tensor; bias: Tensor }>();
  readonly #anchors: Tensor;

  /** From face-api's weights manifest; `source` names it in messages. */
  constructor(weights: Map<string, TfjsWeight>, readonly source: string) {
    super();
    const get = weightGetter(weights, source, 'SSD MobileNet v1');
    const add = (key: string, weight: Tensor, bias: Tensor, stride: number, groups = 1): ConvLayer => {
      this.#params.set(key, { weight: this.registerParameter(`${key}_weight`, weight), bias: this.registerParameter(`${key}_bias`, bias) });
      return { key, stride, groups };
    };
    /** A regular convolution: filter HWIO → OIHW. */
    const conv = (key: string, filter: string, bias: string, stride: number): ConvLayer => torch.tidy(() => {
      return add(key, torch.keep(convFilter(get(filter, 4))), torch.keep(get(bias, 1)), stride);
    });
    /** A depthwise convolution (H×W×C×1 → C×1×H×W) with its batch norm folded into filter and bias. */
    const depthwise = (i: number, stride: number): ConvLayer => torch.tidy(() => {
      const p = `MobilenetV1/Conv2d_${i}_depthwise`;
      const bn = (n: string) => get(`${p}/BatchNorm/${n}`, 1);
      const scale = bn('gamma').div(bn('moving_variance').add(BN_EPS).sqrt());
      const w = depthwiseFilter(get(`${p}/depthwise_weights`, 4)).mul(scale.view(-1, 1, 1, 1));
      const b = bn('beta').sub(bn('moving_mean').mul(scale));
      return add(`body_${i}_depthwise`, torch.keep(w), torch.keep(b), stride, w.shape[0]!);
    });
    const pointwise = (scope: string, i: number, stride: number, key: string) =>
      conv(key, `${scope}/Conv2d_${i}_pointwise/weights`, `${scope}/Conv2d_${i}_pointwise/convolution_bn_offset`, stride);

    this.#body.push(pointwise('MobilenetV1', 0, 2, 'body_0'));
    for (let i = 1; i <= 13; i++) {
      this.#body.push(depthwise(i, STRIDE_2_PAIRS.has(i) ? 2 : 1));
      this.#body.push(pointwise('MobilenetV1', i, 1, `body_${i}_pointwise`));
    }
    for (let i = 0; i < 8; i++) this.#extra.push(pointwise('Prediction', i, i % 2 === 1 ? 2 : 1, `extra_${i}`));
    for (let i = 0; i < 6; i++) {
      const p = `Prediction/BoxPredictor_${i}`;
      this.#predictors.push({
        box: conv(`box_${i}`, `${p}/BoxEncodingPredictor/weights`, `${p}/BoxEncodingPredictor/biases`, 1),
        cls: conv(`class_${i}`, `${p}/ClassPredictor/weights`, `${p}/ClassPredictor/biases`, 1),
      });
    }
    this.#anchors = this.registerBuffer('anchors', torch.tidy(() => get('Output/extra_dim', 3).view(-1, 4).contiguous()));
  }

  static fromManifest(manifest: string): SsdMobilenetV1 {
    return new SsdMobilenetV1(readTfjsWeightsManifest(manifest), manifest);
  }

  #conv(x: Tensor, l: ConvLayer, relu6: boolean): Tensor {
    const { weight, bias } = this.#params.get(l.key)!;
    const y = conv2dSame(x, weight, bias, l.stride, l.groups);
    return relu6 ? y.clamp(0, 6) : y;
  }

  /** `x`: N × 3 × 512 × 512, pixels scaled to [−1, 1]. */
  forward(x: Tensor): SsdOutput {
    return torch.tidy(() => {
      // Channels-last (NHWC): the whole net ran 20–30 % faster than on NCHW here
      // (interleaved A/B, LibTorch 1.13 + oneDNN, 2 threads); the detections are the same.
      let out = x.channelsLast();
      let pair11: Tensor | undefined;
      for (const l of this.#body) {
        out = this.#conv(out, l, true);
        if (l.key === 'body_11_pointwise') pair11 = out;
      }
      const maps = [pair11!, out];
      for (const [i, l] of this.#extra.entries()) {
        out = this.#conv(out, l, true);
        if (i % 2 === 1) maps.push(out);
      }
      const n = x.shape[0]!;
      // NCHW → N × (H·W·anchors) × k in the graph's NHWC order, so anchor j lines up with the shipped anchor j.
      const flat = (y: Tensor, k: number) => y.permute(0, 2, 3, 1).reshape(n, -1, k);
      const enc = torch.cat(maps.map((m, i) => flat(this.#conv(m, this.#predictors[i]!.box, false), 4)), 1);
      const logits = torch.cat(maps.map((m, i) => flat(this.#conv(m, this.#predictors[i]!.cls, false), 3)), 1);
      if (enc.shape[1] !== this.#anchors.shape[0]) throw new Error(`${this.source}: the network predicts ${enc.shape[1]} boxes for ${this.#anchors.shape[0]} anchors (input must be ${SSD_INPUT_SIZE}×${SSD_INPUT_SIZE})`);
      return { boxes: this.#decode(enc), scores: logits.select(2, 1).sigmoid() };
    });
  }

  /** Offsets (ty, tx, th, tw) against the anchors → [ymin, xmin, ymax, xmax]. */
  #decode(enc: Tensor): Tensor {
    const a = this.#anchors;
    const size = a.narrow(1, 2, 2).sub(a.narrow(1, 0, 2)); // h, w
    const centre = a.narrow(1, 0, 2).add(size.div(2));
    const c = enc.narrow(2, 0, 2).div(CENTRE_VARIANCE).mul(size).add(centre);
    const half = enc.narrow(2, 2, 2).div(SIZE_VARIANCE).exp().mul(size).div(2);
    return torch.cat([c.sub(half), c.add(half)], 2);
  }
}
