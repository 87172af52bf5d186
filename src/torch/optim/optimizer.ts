/**
 * The optimiser base: parameter groups, per-parameter state, and a state dict
 * in PyTorch's layout ({ state: {index: {...}}, paramGroups: [{..., params: [indices]}] })
 * so a checkpoint resumes training exactly.
 */
import type { Tensor } from '../tensor.js';
import { keep, tidy } from '../scope.js';
import { noGrad } from '../autograd.js';
import { native, type Handle } from '../native.js';
import { Tensor as TensorClass } from '../tensor.js';

export type Hyper = Record<string, number | boolean>;
export interface ParamGroup extends Hyper {
  lr: number;
}
export interface ParamGroupSpec {
  params: Tensor[];
  [hyper: string]: number | boolean | Tensor[] | undefined;
}

export type ParamState = Record<string, Tensor | number>;

export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: { hyper: Hyper; params: number[] }[];
}

export abstract class Optimizer {
  readonly groups: { params: Tensor[]; hyper: ParamGroup }[] = [];
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: Tensor[] | ParamGroupSpec[], defaults: ParamGroup) {
    const specs: ParamGroupSpec[] = params.length && !(params[0] as Tensor).__isTensor ? (params as ParamGroupSpec[]) : [{ params: params as Tensor[] }];
    const seen = new Set<Tensor>();
    for (const spec of specs) {
      const hyper: ParamGroup = { ...defaults };
      for (const [k, v] of Object.entries(spec)) {
        if (k === 'params') continue;
        if (!(k in defaults)) throw new Error(`${this.constructor.name}: unknown option '${k}' (expected one of ${Object.keys(defaults).join(', ')})`);
        hyper[k] = v as number | boolean;
      }
      for (const p of spec.params) {
        if (seen.has(p)) throw new Error(`${this.constructor.name}: a parameter appears in more than one group`);
        seen.add(p);
      }
      this.groups.push({ params: [...spec.params], hyper });
    }
    for (const g of this.groups) this.validate(g.hyper);
  }

  protected abstract validate(h: ParamGroup): void;

  /**
   * One update of every parameter that has a gradient: outside autograd, each
   * group through `updateGroup`, with every intermediate freed at the end.
   */
  step(): void {
    noGrad(() => tidy(() => {
      for (const { params, hyper } of this.groups) {
        const { ps, gs } = this.withGrads(params);
        if (ps.length) this.updateGroup(ps, gs, hyper);
      }
    }));
  }

  /** The update rule for one group's parameters `ps` and their gradients `gs`. */
  protected abstract updateGroup(ps: Tensor[], gs: Tensor[], hyper: ParamGroup): void;

  /** Current learning rate of the first group (schedulers set each group's). */
  get lr(): number {
    return this.groups[0].hyper.lr;
  }

  /** Clears every gradient (set to none, PyTorch's default). */
  zeroGrad(): void {
    for (const g of this.groups) for (const p of g.params) p.grad = null;
  }

  /** Parameters of a group that have gradients, with those gradients (new handles: dispose via the step's scope). */
  protected withGrads(params: Tensor[]): { ps: Tensor[]; gs: Tensor[] } {
    const ps: Tensor[] = [];
    const gs: Tensor[] = [];
    for (const p of params) {
      const g = p.grad;
      if (g) {
        ps.push(p);
        gs.push(g);
      }
    }
    return { ps, gs };
  }

  /** Per-parameter state tensor, created (kept) on first use. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  protected keepState(t: Tensor): Tensor {
    return keep(t);
  }

  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.groups.map((g) => ({
      hyper: { ...g.hyper },
      params: g.params.map((p) => {
        const i = index.size;
        index.set(p, i);
        return i;
      }),
    }));
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = s;
    }
    return { state, paramGroups };
  }

  /** Restores hyper-parameters and state (tensors are copied; the source may be disposed afterwards). */
  loadStateDict(sd: OptimizerStateDict): void {
    if (sd.paramGroups.length !== this.groups.length) {
      throw new Error(`${this.constructor.name}.loadStateDict: checkpoint has ${sd.paramGroups.length} parameter groups, optimiser has ${this.groups.length}`);
    }
    const all: Tensor[] = [];
    sd.paramGroups.forEach((g, gi) => {
      const own = this.groups[gi];
      if (g.params.length !== own.params.length) {
        throw new Error(`${this.constructor.name}.loadStateDict: group ${gi} has ${g.params.length} parameters in the checkpoint, ${own.params.length} here`);
      }
      Object.assign(own.hyper, g.hyper);
      g.params.forEach((idx, k) => (all[idx] = own.params[k]));
    });
    for (const s of this.state.values()) for (const v of Object.values(s)) if (typeof v !== 'number') v.dispose();
    this.state.clear();
    for (const [idx, s] of Object.entries(sd.state)) {
      const p = all[Number(idx)];
      if (!p) throw new Error(`${this.constructor.name}.loadStateDict: state for unknown parameter index ${idx}`);
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'number') copy[k] = v;
        else {
          const shapeP = p.shape;
          const shapeV = v.shape;
          if (k !== 'step' && (shapeP.length !== shapeV.length || shapeP.some((d, i) => d !== shapeV[i]))) {
            throw new Error(`${this.constructor.name}.loadStateDict: state '${k}' of parameter ${idx} has shape [${shapeV.join(',')}], parameter has [${shapeP.join(',')}]`);
          }
          const moved = new TensorClass(native().toDevice(v.handle, p.device, false));
          copy[k] = keep(moved.clone());
          moved.dispose();
        }
      }
      this.state.set(p, copy);
    }
  }
}

/** Raw handles of tensors, for the multi-tensor (foreach) kernels. */
export function handles(ts: Tensor[]): Handle[] {
  return ts.map((t) => t.handle);
}
