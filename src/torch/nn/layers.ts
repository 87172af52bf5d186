/** The standard layers, with PyTorch's constructor arguments, parameter names and default initialisation. */
import { Module } from './module.js';
import { Tensor } from '../tensor.js';
import { empty, ones, zeros, tensor } from '../factory.js';
import * as F from '../functional.js';
import { kaimingUniform_, uniform_, fans } from './init.js';
import { noGrad } from '../autograd.js';

const pair = (v: number | number[]): number[] => (typeof v === 'number' ? [v, v] : v);

export interface Conv2dOptions { stride?: number | number[]; padding?: number | number[]; dilation?: number | number[]; groups?: number; bias?: boolean }

export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number[];
  readonly padding: number[];
  readonly dilation: number[];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | number[], o: Conv2dOptions = {}) {
    super();
    this.groups = o.groups ?? 1;
    if (inChannels % this.groups || outChannels % this.groups) throw new Error(`Conv2d: channels (${inChannels}, ${outChannels}) must be divisible by groups ${this.groups}`);
    const [kh, kw] = pair(kernelSize);
    this.stride = pair(o.stride ?? 1);
    this.padding = pair(o.padding ?? 0);
    this.dilation = pair(o.dilation ?? 1);
    this.weight = this.registerParameter('weight', empty([outChannels, inChannels / this.groups, kh, kw]));
    // PyTorch's default: kaiming_uniform(a=√5) → U(±1/√fan_in); bias U(±1/√fan_in).
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (o.bias ?? true) {
      const bound = 1 / Math.sqrt(fans(this.weight).fanIn);
      this.bias = this.registerParameter('bias', uniform_(empty([outChannels]), -bound, bound));
    } else {
      this.bias = this.registerParameter('bias', null);
    }
  }

  forward(x: Tensor): Tensor {
    return F.conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, o: { bias?: boolean } = {}) {
    super();
    this.weight = this.registerParameter('weight', empty([outFeatures, inFeatures]));
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (o.bias ?? true) {
      const bound = 1 / Math.sqrt(inFeatures);
      this.bias = this.registerParameter('bias', uniform_(empty([outFeatures]), -bound, bound));
    } else {
      this.bias = this.registerParameter('bias', null);
    }
  }
  forward(x: Tensor): Tensor {
    return F.linear(x, this.weight, this.bias);
  }
}

export interface BatchNormOptions { eps?: number; momentum?: number; affine?: boolean; trackRunningStats?: boolean }

/**
 * Training-mode batch statistics from elsewhere: src/distributed/syncBatchNorm.ts
 * sets it to normalise over every rank's batch (synchronised batch norm).
 */
export const batchNormOverride: { training: ((bn: BatchNorm2d, x: Tensor) => Tensor) | null } = { training: null };

export class BatchNorm2d extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number;

  constructor(readonly numFeatures: number, o: BatchNormOptions = {}) {
    super();
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum ?? 0.1;
    const affine = o.affine ?? true;
    this.weight = this.registerParameter('weight', affine ? ones([numFeatures]) : null);
    this.bias = this.registerParameter('bias', affine ? zeros([numFeatures]) : null);
    const track = o.trackRunningStats ?? true;
    // torchvision checkpoints carry running_mean, running_var and num_batches_tracked.
    this.runningMean = this.registerBuffer('running_mean', track ? zeros([numFeatures]) : null);
    this.runningVar = this.registerBuffer('running_var', track ? ones([numFeatures]) : null);
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', track ? tensor([0], { dtype: 'int64', shape: [] }) : null);
  }

  /**
   * In evaluation mode, normalise by the batch's own statistics and leave the
   * running ones as they are (as in training mode, without its updates):
   * a teacher's pseudo-labels computed the way the original Mean Teacher runs
   * its EMA model (methods/views.ts, teacherLogits).
   */
  evalBatchStats = false;

  forward(x: Tensor): Tensor {
    if (!this.training && this.evalBatchStats) return F.batchNorm(x, null, null, this.weight, this.bias, { training: true, momentum: 0, eps: this.eps });
    const useBatchStats = this.training || !this.runningMean;
    if (this.training && this.numBatchesTracked) noGrad(() => this.numBatchesTracked!.add_(1));
    if (this.training && batchNormOverride.training) return batchNormOverride.training(this, x);
    return F.batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, { training: useBatchStats, momentum: this.momentum, eps: this.eps });
  }
}

/** Training-mode dropout from elsewhere: src/distributed/globalDropout.ts draws the global batch's mask. */
export const dropoutOverride: { training: ((x: Tensor, p: number) => Tensor) | null } = { training: null };

export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (p < 0 || p > 1) throw new RangeError(`Dropout: p must be in [0, 1], got ${p}`);
  }
  forward(x: Tensor): Tensor {
    if (this.training && this.p > 0 && dropoutOverride.training) return dropoutOverride.training(x, this.p);
    return F.dropout(x, this.p, this.training);
  }
}

export class Dropout2d extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (p < 0 || p > 1) throw new RangeError(`Dropout2d: p must be in [0, 1], got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return F.dropout2d(x, this.p, this.training);
  }
}

export class ReLU extends Module {
  forward(x: Tensor): Tensor { return x.relu(); }
}
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return x.sigmoid(); }
}
export class Tanh extends Module {
  forward(x: Tensor): Tensor { return x.tanh(); }
}
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return F.leakyRelu(x, this.negativeSlope); }
}
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  forward(x: Tensor): Tensor { return x.flatten(this.startDim, this.endDim); }
}
export class MaxPool2d extends Module {
  constructor(readonly kernelSize: number | number[], readonly o: F.PoolOptions = {}) { super(); }
  forward(x: Tensor): Tensor { return F.maxPool2d(x, this.kernelSize, this.o); }
}
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | number[]) { super(); }
  forward(x: Tensor): Tensor { return F.adaptiveAvgPool2d(x, this.outputSize); }
}

/** Children named '0', '1', … (as PyTorch), applied in order. */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(...layers: Module[]) {
    super();
    this.layers = layers.map((m, i) => this.registerModule(String(i), m));
  }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.layers) y = m.forward(y);
    return y;
  }
}

