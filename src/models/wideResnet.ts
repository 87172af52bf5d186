/**
 * Wide residual network WRN-d-k (Zagoruyko & Komodakis, 2016) in the form the
 * semi-supervised literature uses as its standard backbone (FixMatch, USB,
 * Ada-CM's WRN results): WRN-28-2 on 32×32 inputs.
 *
 *   conv1 (3×3, 16) → block1 (n pre-activation blocks, 16k wide, stride 1)
 *                   → block2 (32k, stride 2) → block3 (64k, stride 2)
 *                   → bn1 → LeakyReLU(0.1) → [global average pooling → 64k-d f]
 * with n = (d − 4) / 6 blocks per group (28 → 4) and k the widening factor.
 *
 * A block: BN → LeakyReLU(0.1) → conv3×3 (stride) → BN → LeakyReLU(0.1) → conv3×3,
 * added to the input, or to a 1×1 projection (`convShortcut`) of it where the
 * width or stride changes. As in FixMatch's reference code, the projection of the
 * very first block sees the activated input ("activate before residual"); the
 * first blocks of groups 2 and 3 project the raw input.
 * (The widespread PyTorch ports feed those two blocks' conv1 the raw input too,
 * leaving their bn1 unused; here conv1 always sees BN→LeakyReLU, as in the paper,
 * and the parameters are the same, so their weights still load.)
 *
 * Parameter names are those of the usual PyTorch implementation, so its state
 * dicts map one to one:
 *   conv1.weight
 *   block{1,2,3}.layer.{0..n-1}.bn1.{weight,bias,running_mean,running_var,num_batches_tracked}
 *   block{1,2,3}.layer.{i}.conv1.weight, .bn2.*, .conv2.weight
 *   block{1,2,3}.layer.0.convShortcut.weight        (only where the shape changes)
 *   bn1.*                                          (the final BN)
 * Convolutions have no bias. The classifier (`fc`) lives in the head, not here.
 *
 * BN momentum 0.001 in PyTorch's convention (running ← 0.999·running + 0.001·batch),
 * as in those code bases, which train for ~10⁶ steps: on runs of a few hundred
 * steps the running statistics barely move from their start, so pass a larger
 * `bnMomentum` for short runs. Convolutions: He-normal, fan_out, leaky_relu gain.
 */
import { nn, F, type Tensor } from '../torch/index.js';
import type { Backbone } from './backbone.js';

const { Module, Conv2d, BatchNorm2d, Sequential, init } = nn;

export interface WideResNetOptions {
  /** Total depth d; (d − 4) must be divisible by 6. Default 28. */
  depth?: number;
  /** Widening factor k. Default 2. */
  widen?: number;
  /** BatchNorm momentum, PyTorch convention. Default 0.001. */
  bnMomentum?: number;
  /** LeakyReLU negative slope. Default 0.1. */
  leakySlope?: number;
}

interface BlockSettings { bnMomentum: number; leakySlope: number }

/** One pre-activation basic block; names as in the PyTorch ports (bn1, conv1, bn2, conv2, convShortcut). */
export class WideBasicBlock extends Module {
  readonly bn1: nn.BatchNorm2d;
  readonly conv1: nn.Conv2d;
  readonly bn2: nn.BatchNorm2d;
  readonly conv2: nn.Conv2d;
  readonly convShortcut: nn.Conv2d | null;

  constructor(inC: number, outC: number, stride: number, readonly activateBeforeResidual: boolean, readonly settings: BlockSettings) {
    super();
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(inC, { momentum: settings.bnMomentum }));
    this.conv1 = this.registerModule('conv1', new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false }));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(outC, { momentum: settings.bnMomentum }));
    this.conv2 = this.registerModule('conv2', new Conv2d(outC, outC, 3, { padding: 1, bias: false }));
    const sameShape = inC === outC && stride === 1;
    this.convShortcut = sameShape ? null : this.registerModule('convShortcut', new Conv2d(inC, outC, 1, { stride, bias: false }));
  }

  forward(x: Tensor): Tensor {
    const act = F.leakyRelu(this.bn1.forward(x), this.settings.leakySlope);
    const branch = this.conv2.forward(F.leakyRelu(this.bn2.forward(this.conv1.forward(act)), this.settings.leakySlope));
    const shortcut = this.convShortcut ? this.convShortcut.forward(this.activateBeforeResidual ? act : x) : x;
    return branch.add(shortcut);
  }
}

/** A group of blocks at one width; the PyTorch ports call it NetworkBlock and its list `layer`. */
export class WideGroup extends Module {
  readonly layer: nn.Sequential;

  constructor(blocks: number, inC: number, outC: number, stride: number, activateBeforeResidual: boolean, s: BlockSettings) {
    super();
    const list: nn.Module[] = [];
    for (let i = 0; i < blocks; i++) {
      list.push(new WideBasicBlock(i === 0 ? inC : outC, outC, i === 0 ? stride : 1, activateBeforeResidual, s));
    }
    this.layer = this.registerModule('layer', new Sequential(...list));
  }

  forward(x: Tensor): Tensor {
    return this.layer.forward(x);
  }
}

export class WideResNet extends Module implements Backbone {
  readonly conv1: nn.Conv2d;
  readonly block1: WideGroup;
  readonly block2: WideGroup;
  readonly block3: WideGroup;
  readonly bn1: nn.BatchNorm2d;
  /** 64·k: 128 for WRN-28-2. */
  readonly featureDim: number;
  readonly depth: number;
  readonly widen: number;
  readonly leakySlope: number;

  constructor(o: WideResNetOptions = {}) {
    super();
    this.depth = o.depth ?? 28;
    this.widen = o.widen ?? 2;
    if (!Number.isInteger(this.depth) || this.depth < 10 || (this.depth - 4) % 6 !== 0) throw new Error(`WideResNet: depth must be 6n + 4 (n ≥ 1), e.g. 28; got ${this.depth}`);
    if (!Number.isInteger(this.widen) || this.widen < 1) throw new Error(`WideResNet: widen factor must be a positive integer, got ${this.widen}`);
    const s: BlockSettings = { bnMomentum: o.bnMomentum ?? 0.001, leakySlope: o.leakySlope ?? 0.1 };
    this.leakySlope = s.leakySlope;
    const n = (this.depth - 4) / 6;
    const widths = [16, 16 * this.widen, 32 * this.widen, 64 * this.widen];
    this.conv1 = this.registerModule('conv1', new Conv2d(3, widths[0]!, 3, { padding: 1, bias: false }));
    this.block1 = this.registerModule('block1', new WideGroup(n, widths[0]!, widths[1]!, 1, true, s));
    this.block2 = this.registerModule('block2', new WideGroup(n, widths[1]!, widths[2]!, 2, false, s));
    this.block3 = this.registerModule('block3', new WideGroup(n, widths[2]!, widths[3]!, 2, false, s));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(widths[3]!, { momentum: s.bnMomentum }));
    this.featureDim = widths[3]!;
    // The SSL code bases' initialisation: He-normal (fan_out) convs; BN γ=1, β=0 (BatchNorm2d's own default).
    for (const m of this.modules()) if (m instanceof Conv2d) init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'leaky_relu' });
  }

  /** N×3×H×W → N×64k×H/4×W/4, after the final BN and activation. */
  featureMap(x: Tensor): Tensor {
    const y = this.block3.forward(this.block2.forward(this.block1.forward(this.conv1.forward(x))));
    return F.leakyRelu(this.bn1.forward(y), this.leakySlope);
  }

  /** The pooled feature f (N×featureDim). */
  forward(x: Tensor): Tensor {
    return this.featureMap(x).mean([2, 3]);
  }
}

/** WRN-28-2: the SSL benchmarks' backbone, ≈ 1.47 M parameters, 128-d feature. */
export const wideResnet28_2 = (o: Omit<WideResNetOptions, 'depth' | 'widen'> = {}) => new WideResNet({ ...o, depth: 28, widen: 2 });
