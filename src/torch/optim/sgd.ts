/**
 * SGD with momentum, dampening, Nesterov and weight decay — PyTorch's rule:
 *   g ← ∇ + wd·θ
 *   b ← g                         (first step)
 *   b ← μ·b + (1 − τ)·g           (later steps)
 *   g ← g + μ·b (Nesterov)  or  g ← b
 *   θ ← θ − lr·g
 * using LibTorch's multi-tensor (foreach) kernels: a handful of native calls
 * per step instead of several per parameter.
 */
import { Optimizer, type ParamGroup, type ParamGroupSpec, handles } from './optimizer.js';
import type { Tensor } from '../tensor.js';
import { Tensor as T } from '../tensor.js';
import { native, type Handle } from '../native.js';
import { keep } from '../scope.js';

export interface SGDOptions { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean }

export class SGD extends Optimizer {
  constructor(params: Tensor[] | ParamGroupSpec[], o: SGDOptions) {
    super(params, { lr: o.lr, momentum: o.momentum ?? 0, dampening: o.dampening ?? 0, weightDecay: o.weightDecay ?? 0, nesterov: o.nesterov ?? false });
  }

  protected validate(h: ParamGroup): void {
    if (!(h.lr >= 0)) throw new RangeError(`SGD: lr must be >= 0, got ${h.lr}`);
    if (!((h.momentum as number) >= 0)) throw new RangeError(`SGD: momentum must be >= 0, got ${h.momentum}`);
    if (!((h.weightDecay as number) >= 0)) throw new RangeError(`SGD: weightDecay must be >= 0, got ${h.weightDecay}`);
    if (h.nesterov && (!((h.momentum as number) > 0) || h.dampening !== 0)) throw new RangeError('SGD: Nesterov momentum needs momentum > 0 and dampening 0');
  }

  protected updateGroup(ps: Tensor[], gs: Tensor[], hyper: ParamGroup): void {
    const N = native();
    const lr = hyper.lr;
    const momentum = hyper.momentum as number;
    const wd = hyper.weightDecay as number;
    let d: Handle[] = handles(gs);
    if (wd !== 0) {
      d = N.foreachAddList(d, handles(ps), wd) as Handle[];
      d.forEach((h) => new T(h)); // new tensors: owned by this step's scope
    }
    if (momentum !== 0) {
      const fresh: number[] = [];
      const bufs: Handle[] = [];
      const grads: Handle[] = [];
      ps.forEach((p, i) => {
        const s = this.stateOf(p);
        if (s.momentumBuffer === undefined) fresh.push(i);
        else {
          bufs.push((s.momentumBuffer as Tensor).handle);
          grads.push(d[i]);
        }
      });
      if (bufs.length) {
        N.foreachMulScalar_(bufs, momentum);
        N.foreachAddList_(bufs, grads, 1 - (hyper.dampening as number));
      }
      for (const i of fresh) this.stateOf(ps[i]).momentumBuffer = keep(new T(N.clone(d[i])));
      const allBufs = ps.map((p) => (this.stateOf(p).momentumBuffer as Tensor).handle);
      if (hyper.nesterov) {
        d = N.foreachAddList(d, allBufs, momentum) as Handle[];
        d.forEach((h) => new T(h));
      } else {
        d = allBufs;
      }
    }
    N.foreachAddList_(handles(ps), d, -lr);
  }
}
