/**
 * A small fast CNN for 48–112 px faces on CPU: four conv-BN-ReLU stages
 * (32, 64, 128, 256 channels, two 3×3 convs each, max-pool between), then the
 * last feature map. ≈ 1.2 M parameters; the pooled feature f is 256-d.
 */
import { nn, type Tensor } from '../torch/index.js';
import type { Backbone } from './backbone.js';

const { Module, Conv2d, BatchNorm2d, Sequential, ReLU, MaxPool2d, init } = nn;

function stage(inC: number, outC: number, pool: boolean): nn.Sequential {
  const layers: nn.Module[] = [
    new Conv2d(inC, outC, 3, { padding: 1, bias: false }), new BatchNorm2d(outC), new ReLU(),
    new Conv2d(outC, outC, 3, { padding: 1, bias: false }), new BatchNorm2d(outC), new ReLU(),
  ];
  if (pool) layers.push(new MaxPool2d(2));
  return new Sequential(...layers);
}

export class SmallCnn extends Module implements Backbone {
  readonly stem: nn.Sequential;
  readonly stage1: nn.Sequential;
  readonly stage2: nn.Sequential;
  readonly stage3: nn.Sequential;
  readonly featureDim = 256;

  constructor() {
    super();
    // A strided stem keeps 112 px inputs cheap; 48 px inputs end at 3×3.
    this.stem = this.registerModule('stem', new Sequential(new Conv2d(3, 32, 3, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(32), new ReLU()));
    this.stage1 = this.registerModule('stage1', stage(32, 64, true));
    this.stage2 = this.registerModule('stage2', stage(64, 128, true));
    this.stage3 = this.registerModule('stage3', stage(128, 256, false));
    for (const m of this.modules()) if (m instanceof Conv2d) init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
  }

  featureMap(x: Tensor): Tensor {
    return this.stage3.forward(this.stage2.forward(this.stage1.forward(this.stem.forward(x))));
  }

  forward(x: Tensor): Tensor {
    return this.featureMap(x).mean([2, 3]);
  }
}
