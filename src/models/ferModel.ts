/**
 * An expression classifier: backbone → (DTA's attention enhancement and
 * feature dropout on the last map) → global average pooling → head.
 * State-dict names: `backbone.*` (torchvision names inside), `lae.*`, `head.*`.
 */
import { nn, autocast, type Precision, type Tensor } from '../torch/index.js';
import type { Backbone } from './backbone.js';
import { resnet18, resnet50 } from './resnet.js';
import { SmallCnn } from './smallCnn.js';
import { wideResnet28_2 } from './wideResnet.js';
import { ARCHS, type Arch } from './archs.js';
import { pretrainedByName } from './pretrained/catalog.js';
import { catalogBackbone } from './pretrained/load.js';
import { LinearHead, NormalizedLinearHead, ScnHead, LocalAttentionEnhancement, RandomFeatureDropout, type HeadOutput } from './heads.js';

export { ARCHS, type Arch };
export type HeadKind = 'linear' | 'adacm' | 'scn';
export const HEADS: HeadKind[] = ['linear', 'adacm', 'scn'];

export interface FerModelConfig {
  arch: Arch;
  numClasses: number;
  head: HeadKind;
  /** DTA: local attention enhancement + random feature-map dropout. */
  dta?: { rfdP?: number; rfdMode?: 'channel' | 'block' } | false;
  /** Dropout before the classifier (default: Ada-CM's head 0.5, the others 0). */
  dropout?: number;
  /** Multiplier of the Ada-CM head's logits (1 = the authors' head). */
  logitScale?: number;
}

function makeBackbone(arch: Arch): Backbone {
  if (arch === 'resnet18') return resnet18();
  if (arch === 'resnet50') return resnet50();
  if (arch === 'small') return new SmallCnn();
  if (arch === 'wrn28-2') return wideResnet28_2();
  if (pretrainedByName(arch)) return catalogBackbone(arch);
  throw new Error(`unknown model '${arch}'; expected one of ${ARCHS.join(', ')}`);
}

type Head = LinearHead | NormalizedLinearHead | ScnHead;

export class FerModel extends nn.Module {
  readonly backbone: Backbone;
  readonly lae: LocalAttentionEnhancement | null;
  readonly rfd: RandomFeatureDropout | null;
  readonly head: Head;

  /** `o.backbone`: a backbone built elsewhere (e.g. a GraphBackbone from a graph file in tests) instead of config.arch's. */
  constructor(readonly config: FerModelConfig, o: { backbone?: Backbone } = {}) {
    super();
    this.backbone = this.registerModule('backbone', o.backbone ?? makeBackbone(config.arch));
    const d = this.backbone.featureDim;
    if (config.dta) {
      this.lae = this.registerModule('lae', new LocalAttentionEnhancement(d));
      this.rfd = this.registerModule('rfd', new RandomFeatureDropout(config.dta.rfdP ?? 0.1, config.dta.rfdMode ?? 'channel'));
    } else {
      this.lae = null;
      this.rfd = null;
    }
    // Ada-CM's head drops half the feature (the authors' code); SCN's code has
    // dropout off by default (drop_rate 0), so α and the relabel rule see the whole feature.
    const dropout = config.dropout ?? (config.head === 'adacm' ? 0.5 : 0);
    if (config.head === 'adacm') this.head = this.registerModule('head', new NormalizedLinearHead(d, config.numClasses, dropout, config.logitScale ?? 1));
    else if (config.head === 'scn') this.head = this.registerModule('head', new ScnHead(d, config.numClasses, dropout));
    else if (config.head === 'linear') this.head = this.registerModule('head', new LinearHead(d, config.numClasses, dropout));
    else throw new Error(`unknown head '${config.head}'; expected one of ${HEADS.join(', ')}`);
  }

  get numClasses(): number {
    return this.config.numClasses;
  }

  /**
   * The backbone's arithmetic: 'bf16' runs it under autocast (weights stay
   * float32); the pooled feature, the head and so every loss stay float32.
   */
  precision: Precision = 'fp32';

  /** Pooled feature f before the head (N×D). */
  pooled(x: Tensor): Tensor {
    let fm = this.backbone.featureMap(x);
    if (this.lae) fm = this.lae.forward(fm);
    if (this.rfd) fm = this.rfd.forward(fm);
    return fm.mean([2, 3]);
  }

  forward(x: Tensor): HeadOutput {
    if (this.precision === 'fp32') return this.head.forward(this.pooled(x));
    return this.head.forward(autocast(x.device, this.precision, () => this.pooled(x)).to('float32'));
  }

  /**
   * Loads published backbone weights (torchvision names, e.g. ImageNet or the
   * MS-Celeb-1M ResNet-18): every backbone tensor must be present with the
   * right shape; the checkpoint's classifier (`fc.*`) and extra keys are ignored.
   */
  loadPretrainedBackbone(sd: Map<string, Tensor>, source: string): { loaded: number; ignored: string[] } {
    const own = this.backbone.stateDict();
    const ownKeys = [...own.keys()].filter((k) => !k.startsWith('fc.'));
    // Accept keys with a 'backbone.' or 'features.' prefix too.
    const pick = new Map<string, Tensor>();
    for (const [k, v] of sd) {
      const name = k.replace(/^(backbone|features|encoder)\./, '');
      if (own.has(name) && !name.startsWith('fc.')) pick.set(name, v);
    }
    const addedLater = this.backbone.addedLaterKeys();
    const missing = ownKeys.filter((k) => !pick.has(k) && !addedLater.has(k));
    if (missing.length) {
      const naming = pretrainedByName(this.config.arch) ? `the graph's constant names (--pretrained ${pretrainedByName(this.config.arch)!.spec})` : this.config.arch === 'wrn28-2' ? 'the usual PyTorch WideResNet names (conv1, block1.layer.0.bn1, …)' : this.config.arch === 'small' ? "semifer's small-CNN names" : 'torchvision names';
      throw new Error(`${source}: not ${this.config.arch} weights with ${naming}; missing ${missing.length} of ${ownKeys.length} keys (first: ${missing.slice(0, 5).join(', ')})`);
    }
    const result = this.backbone.loadStateDict(pick, { strict: false });
    if (result.mismatched.length) {
      throw new Error(`${source}: shape mismatches: ${result.mismatched.map((m) => `${m.key} expected [${m.expected}] got [${m.got}]`).join('; ')}`);
    }
    return { loaded: pick.size, ignored: [...sd.keys()].filter((k) => !pick.has(k.replace(/^(backbone|features|encoder)\./, ''))) };
  }
}

export function createModel(config: FerModelConfig): FerModel {
  if (!Number.isInteger(config.numClasses) || config.numClasses < 2) throw new Error(`numClasses must be an integer ≥ 2, got ${config.numClasses}`);
  return new FerModel(config);
}
