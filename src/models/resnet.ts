/**
 * ResNet-18/34/50 with torchvision's structure and parameter names
 * (conv1, bn1, layer1.0.conv1, …, layer1.0.downsample.0, fc), so published
 * `.pth` weights — torchvision's ImageNet, or the MS-Celeb-1M ResNet-18 that
 * Ada-CM and SCN start from — load unchanged.
 */
import { nn, type Tensor } from '../torch/index.js';
import type { Backbone } from './backbone.js';

const { Module, Conv2d, BatchNorm2d, Sequential, Linear, init } = nn;

function conv3x3(inC: number, outC: number, stride = 1): nn.Conv2d {
  return new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false });
}
function conv1x1(inC: number, outC: number, stride = 1): nn.Conv2d {
  return new Conv2d(inC, outC, 1, { stride, bias: false });
}

/** Two 3×3 convolutions with an identity (or 1×1-projected) shortcut. */
export class BasicBlock extends Module {
  static readonly expansion = 1;
  readonly conv1: nn.Conv2d;
  readonly bn1: nn.BatchNorm2d;
  readonly conv2: nn.Conv2d;
  readonly bn2: nn.BatchNorm2d;
  readonly downsample: nn.Sequential | null;

  constructor(inC: number, planes: number, stride = 1, downsample: nn.Sequential | null = null) {
    super();
    this.conv1 = this.registerModule('conv1', conv3x3(inC, planes, stride));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(planes));
    this.conv2 = this.registerModule('conv2', conv3x3(planes, planes));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(planes));
    this.downsample = downsample ? this.registerModule('downsample', downsample) : null;
  }

  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(this.bn1.forward(this.conv1.forward(x)).relu()));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return out.add(identity).relu();
  }
}

/** 1×1 reduce, 3×3, 1×1 expand (×4), as torchvision's ResNet-50 (stride on the 3×3). */
export class Bottleneck extends Module {
  static readonly expansion = 4;
  readonly conv1: nn.Conv2d;
  readonly bn1: nn.BatchNorm2d;
  readonly conv2: nn.Conv2d;
  readonly bn2: nn.BatchNorm2d;
  readonly conv3: nn.Conv2d;
  readonly bn3: nn.BatchNorm2d;
  readonly downsample: nn.Sequential | null;

  constructor(inC: number, planes: number, stride = 1, downsample: nn.Sequential | null = null) {
    super();
    this.conv1 = this.registerModule('conv1', conv1x1(inC, planes));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(planes));
    this.conv2 = this.registerModule('conv2', conv3x3(planes, planes, stride));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(planes));
    this.conv3 = this.registerModule('conv3', conv1x1(planes, planes * 4));
    this.bn3 = this.registerModule('bn3', new BatchNorm2d(planes * 4));
    this.downsample = downsample ? this.registerModule('downsample', downsample) : null;
  }

  forward(x: Tensor): Tensor {
    let out = this.bn1.forward(this.conv1.forward(x)).relu();
    out = this.bn2.forward(this.conv2.forward(out)).relu();
    out = this.bn3.forward(this.conv3.forward(out));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return out.add(identity).relu();
  }
}

type BlockClass = (typeof BasicBlock | typeof Bottleneck);

export interface ResNetOptions {
  /** Output classes of `fc` (torchvision: 1000). */
  numClasses?: number;
  /** Start each residual branch's last BN at zero (torchvision's zero_init_residual). */
  zeroInitResidual?: boolean;
}

export class ResNet extends Module implements Backbone {
  readonly conv1: nn.Conv2d;
  readonly bn1: nn.BatchNorm2d;
  readonly maxpool: nn.MaxPool2d;
  readonly layer1: nn.Sequential;
  readonly layer2: nn.Sequential;
  readonly layer3: nn.Sequential;
  readonly layer4: nn.Sequential;
  readonly fc: nn.Linear;
  /** Width of the pooled feature f (512 for ResNet-18/34, 2048 for ResNet-50). */
  readonly featureDim: number;
  #inplanes = 64;

  constructor(block: BlockClass, layers: [number, number, number, number], o: ResNetOptions = {}) {
    super();
    this.conv1 = this.registerModule('conv1', new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false }));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(64));
    this.maxpool = this.registerModule('maxpool', new nn.MaxPool2d(3, { stride: 2, padding: 1 }));
    this.layer1 = this.registerModule('layer1', this.#makeLayer(block, 64, layers[0], 1));
    this.layer2 = this.registerModule('layer2', this.#makeLayer(block, 128, layers[1], 2));
    this.layer3 = this.registerModule('layer3', this.#makeLayer(block, 256, layers[2], 2));
    this.layer4 = this.registerModule('layer4', this.#makeLayer(block, 512, layers[3], 2));
    this.featureDim = 512 * block.expansion;
    this.fc = this.registerModule('fc', new Linear(this.featureDim, o.numClasses ?? 1000));
    // torchvision's initialisation: He-normal (fan_out) convs, BN γ=1 β=0.
    for (const m of this.modules()) {
      if (m instanceof Conv2d) init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      else if (m instanceof BatchNorm2d) {
        init.ones_(m.weight!);
        init.zeros_(m.bias!);
      }
    }
    if (o.zeroInitResidual) {
      for (const m of this.modules()) {
        if (m instanceof Bottleneck) init.zeros_(m.bn3.weight!);
        else if (m instanceof BasicBlock) init.zeros_(m.bn2.weight!);
      }
    }
  }

  #makeLayer(block: BlockClass, planes: number, blocks: number, stride: number): nn.Sequential {
    let downsample: nn.Sequential | null = null;
    if (stride !== 1 || this.#inplanes !== planes * block.expansion) {
      downsample = new Sequential(conv1x1(this.#inplanes, planes * block.expansion, stride), new BatchNorm2d(planes * block.expansion));
    }
    const list: nn.Module[] = [new block(this.#inplanes, planes, stride, downsample)];
    this.#inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) list.push(new block(this.#inplanes, planes));
    return new Sequential(...list);
  }

  /** The last feature map (N×C×h×w), before pooling: heads such as DTA's attention work on it. */
  featureMap(x: Tensor): Tensor {
    let y = this.bn1.forward(this.conv1.forward(x)).relu();
    y = this.maxpool.forward(y);
    y = this.layer1.forward(y);
    y = this.layer2.forward(y);
    y = this.layer3.forward(y);
    return this.layer4.forward(y);
  }

  /** The pooled feature f (N×featureDim). */
  features(x: Tensor): Tensor {
    return this.featureMap(x).mean([2, 3]);
  }

  forward(x: Tensor): Tensor {
    return this.fc.forward(this.features(x));
  }
}

export const resnet18 = (o: ResNetOptions = {}) => new ResNet(BasicBlock, [2, 2, 2, 2], o);
export const resnet50 = (o: ResNetOptions = {}) => new ResNet(Bottleneck, [3, 4, 6, 3], o);
