/**
 * Adam and AdamW with PyTorch's update rules (bias-corrected moments, eps added
 * after the square root), on multi-tensor kernels:
 *   Adam:  g ← ∇ + wd·θ            AdamW:  θ ← θ·(1 − lr·wd)
 *   m ← β1·m + (1−β1)·g
 *   v ← β2·v + (1−β2)·g²          (amsgrad: v̂ ← max(v̂, v), used below instead of v)
 *   θ ← θ − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + eps)
 */
import { Optimizer, type ParamGroup, type ParamGroupSpec, handles } from './optimizer.js';
import type { Tensor } from '../tensor.js';
import { Tensor as T } from '../tensor.js';
import { native, type Handle } from '../native.js';
import { keep } from '../scope.js';

export interface AdamOptions { lr?: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean }

class AdamBase extends Optimizer {
  constructor(params: Tensor[] | ParamGroupSpec[], o: AdamOptions, private readonly decoupled: boolean, defaultWd: number) {
    super(params, {
      lr: o.lr ?? 1e-3,
      beta1: o.betas?.[0] ?? 0.9,
      beta2: o.betas?.[1] ?? 0.999,
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? defaultWd,
      amsgrad: o.amsgrad ?? false,
    });
  }

  protected validate(h: ParamGroup): void {
    const name = this.constructor.name;
    if (!(h.lr >= 0)) throw new RangeError(`${name}: lr must be >= 0, got ${h.lr}`);
    for (const b of ['beta1', 'beta2'] as const) {
      const v = h[b] as number;
      if (!(v >= 0 && v < 1)) throw new RangeError(`${name}: ${b} must be in [0, 1), got ${v}`);
    }
    if (!((h.eps as number) >= 0)) throw new RangeError(`${name}: eps must be >= 0, got ${h.eps}`);
    if (!((h.weightDecay as number) >= 0)) throw new RangeError(`${name}: weightDecay must be >= 0, got ${h.weightDecay}`);
  }

  protected updateGroup(ps: Tensor[], gs: Tensor[], hyper: ParamGroup): void {
    const N = native();
    const lr = hyper.lr;
    const b1 = hyper.beta1 as number;
    const b2 = hyper.beta2 as number;
    const eps = hyper.eps as number;
    const wd = hyper.weightDecay as number;
    const P = handles(ps);
    let G: Handle[] = handles(gs);
    if (wd !== 0) {
      if (this.decoupled) N.foreachMulScalar_(P, 1 - lr * wd);
      else {
        G = N.foreachAddList(G, P, wd) as Handle[];
        G.forEach((h) => new T(h));
      }
    }
    // Every parameter of a group steps together, so one step count serves all
    // (kept per parameter for PyTorch's state layout).
    for (const p of ps) {
      const s = this.stateOf(p);
      if (s.step === undefined) {
        s.step = 0;
        s.expAvg = keep(new T(N.zerosLike(p.handle)));
        s.expAvgSq = keep(new T(N.zerosLike(p.handle)));
        if (hyper.amsgrad) s.maxExpAvgSq = keep(new T(N.zerosLike(p.handle)));
      }
      s.step = (s.step as number) + 1;
    }
    // Group parameters by step count (normally one bucket).
    const buckets = new Map<number, number[]>();
    ps.forEach((p, i) => {
      const t = this.stateOf(p).step as number;
      const b = buckets.get(t) ?? [];
      b.push(i);
      buckets.set(t, b);
    });
    for (const [step, idx] of buckets) {
      const pick = <X>(xs: X[]) => idx.map((i) => xs[i]);
      const m = pick(ps).map((p) => (this.stateOf(p).expAvg as Tensor).handle);
      const v = pick(ps).map((p) => (this.stateOf(p).expAvgSq as Tensor).handle);
      const g = pick(G);
      N.foreachMulScalar_(m, b1);
      N.foreachAddList_(m, g, 1 - b1);
      N.foreachMulScalar_(v, b2);
      N.foreachAddcmul_(v, g, g, 1 - b2);
      let vUse = v;
      if (hyper.amsgrad) {
        vUse = pick(ps).map((p, k) => {
          const mx = this.stateOf(p).maxExpAvgSq as Tensor;
          const nx = new T(N.maximum(mx.handle, v[k]));
          mx.copy_(nx);
          return mx.handle;
        });
      }
      const bc1 = 1 - Math.pow(b1, step);
      const bc2 = 1 - Math.pow(b2, step);
      const denom = N.foreachSqrt(vUse) as Handle[];
      denom.forEach((h) => new T(h));
      N.foreachDivScalar_(denom, Math.sqrt(bc2));
      N.foreachAddScalar_(denom, eps);
      N.foreachAddcdiv_(pick(P), m, denom, -lr / bc1);
    }
  }
}

export class Adam extends AdamBase {
  constructor(params: Tensor[] | ParamGroupSpec[], o: AdamOptions = {}) {
    super(params, o, false, 0);
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter); PyTorch's default wd 0.01. */
export class AdamW extends AdamBase {
  constructor(params: Tensor[] | ParamGroupSpec[], o: AdamOptions = {}) {
    super(params, o, true, 0.01);
  }
}
