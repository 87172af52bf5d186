/**
 * Heads on top of a backbone's feature map, one per method family.
 * Each returns the logits and the pooled feature f it used (for the contrastive
 * loss), and SCN's also the importance weight α.
 */
import { nn, F, rand, randint, arange, type Tensor } from '../torch/index.js';

const { Module, Linear, Dropout, Conv2d } = nn;

export interface HeadOutput {
  logits: Tensor;
  /** The pooled feature f (N×D), L2-normalised where the head normalises it. */
  features: Tensor;
  /** SCN's per-sample importance α ∈ (0,1), N×1. */
  alpha?: Tensor;
  /** SCN's logits before the α weighting, W f + b (its optional plain-CE warm-up trains on these). */
  rawLogits?: Tensor;
}

/**
 * Ada-CM: GAP → Dropout(0.5) → L2-normalise f → Linear(D, C), as the authors'
 * code. With ‖f‖ = 1 the logits can only become confident once the classifier's
 * weights have grown, which takes the authors' thousands of steps; `logitScale`
 * (default 1 = the authors' head) multiplies the logits, as cosine classifiers
 * do, for short runs.
 */
export class NormalizedLinearHead extends Module {
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;
  constructor(featureDim: number, numClasses: number, dropout = 0.5, readonly logitScale = 1) {
    super();
    this.dropout = this.registerModule('dropout', new Dropout(dropout));
    this.fc = this.registerModule('fc', new Linear(featureDim, numClasses));
  }
  forward(pooled: Tensor): HeadOutput {
    const f = F.normalize(this.dropout.forward(pooled), { dim: 1 });
    const logits = this.fc.forward(f);
    return { logits: this.logitScale === 1 ? logits : logits.mul(this.logitScale), features: f };
  }
}

/** A plain linear classifier on the pooled feature (supervised/FixMatch/Mean Teacher baselines). */
export class LinearHead extends Module {
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;
  constructor(featureDim: number, numClasses: number, dropout = 0) {
    super();
    this.dropout = this.registerModule('dropout', new Dropout(dropout));
    this.fc = this.registerModule('fc', new Linear(featureDim, numClasses));
  }
  forward(pooled: Tensor): HeadOutput {
    return { logits: this.fc.forward(this.dropout.forward(pooled)), features: F.normalize(pooled, { dim: 1 }) };
  }
}

/**
 * SCN (Wang et al. 2020): α_i = σ(w_aᵀ f_i); logits = α_i · (W f_i + b)
 * — the logit-weighted cross-entropy's input.
 */
export class ScnHead extends Module {
  readonly dropout: nn.Dropout;
  readonly attention: nn.Linear;
  readonly fc: nn.Linear;
  constructor(featureDim: number, numClasses: number, dropout = 0) {
    super();
    this.dropout = this.registerModule('dropout', new Dropout(dropout));
    this.attention = this.registerModule('attention', new Linear(featureDim, 1));
    this.fc = this.registerModule('fc', new Linear(featureDim, numClasses));
  }
  forward(pooled: Tensor): HeadOutput {
    const f = this.dropout.forward(pooled);
    const alpha = this.attention.forward(f).sigmoid();
    const rawLogits = this.fc.forward(f);
    return { logits: rawLogits.mul(alpha), features: F.normalize(pooled, { dim: 1 }), alpha, rawLogits };
  }
}

/**
 * DTA's local attention enhancement (this project's reading, docs/methods.md §3):
 * a 1×1 conv + sigmoid gives a spatial map A (N×1×h×w); F' = F + F ⊙ A.
 */
export class LocalAttentionEnhancement extends Module {
  readonly conv: nn.Conv2d;
  constructor(channels: number) {
    super();
    this.conv = this.registerModule('conv', new Conv2d(channels, 1, 1));
  }
  forward(fm: Tensor): Tensor {
    const a = this.conv.forward(fm).sigmoid();
    return fm.add(fm.mul(a));
  }
}

/**
 * DTA's random feature-map dropout, training only: zero each channel of F' with
 * probability p (rescaling the rest by 1/(1−p)), or with mode 'block' a random
 * k×k spatial block of every channel of a sample (rescaled by the kept fraction).
 */
export class RandomFeatureDropout extends Module {
  constructor(readonly p = 0.1, readonly mode: 'channel' | 'block' = 'channel', readonly blockSize = 2) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`RandomFeatureDropout: p must be in [0, 1), got ${p}`);
  }
  forward(fm: Tensor): Tensor {
    if (!this.training || this.p === 0) return fm;
    if (this.mode === 'channel') return F.dropout2d(fm, this.p, true);
    const [n, , h, w] = fm.shape;
    const k = Math.min(this.blockSize, h, w);
    // One block per sample with probability p: a mask from a random top-left corner.
    const device = fm.device;
    const apply = rand([n, 1, 1, 1], { device }).lt(this.p);
    const ys = randint(0, h - k + 1, [n], { device });
    const xs = randint(0, w - k + 1, [n], { device });
    const rows = arange(h, undefined, 1, { device }).unsqueeze(0);
    const cols = arange(w, undefined, 1, { device }).unsqueeze(0);
    const inY = rows.ge(ys.unsqueeze(1)).logicalAnd(rows.lt(ys.add(k).unsqueeze(1)));
    const inX = cols.ge(xs.unsqueeze(1)).logicalAnd(cols.lt(xs.add(k).unsqueeze(1)));
    const block = inY.unsqueeze(2).logicalAnd(inX.unsqueeze(1)).unsqueeze(1).logicalAnd(apply);
    const keep = block.logicalNot().to(fm.dtype);
    const kept = keep.mean([1, 2, 3], true).clampMin(1e-6);
    return fm.mul(keep).div(kept);
  }
}
