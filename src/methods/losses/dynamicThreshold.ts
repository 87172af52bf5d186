/**
 * DTA's dynamic per-class thresholds (this project's reading, docs/methods.md §3),
 * updated every step from the EMA teacher's probabilities on unlabelled data:
 *   τ   ← m·τ + (1−m)·mean_i max_k p_ik
 *   ρ_c ← m·ρ_c + (1−m)·mean_i p_ic
 *   T_c = clamp(τ̂ · ρ̂_c / max_k ρ̂_k, lo, hi)
 * τ and ρ start at 0 and are read bias-corrected, τ̂ = τ / (1 − m^t) after t
 * updates (as Adam corrects its moments): from the first step they are the
 * average of the confidences seen so far, instead of sitting near a 1/C start
 * for ≈ 1/(1 − m) steps (with m = 0.999, the first 700–1,000 steps of a run
 * held every threshold at the floor).
 */
import type { HyperTable } from '../declaration.js';

/** DTA+SNL's hyper-parameters of the thresholds (dtaSnl.ts declares them as its own). */
export const DYNAMIC_THRESHOLD_HYPER = {
  // The papers' 0.999 at their 16,000 steps; a training run's default follows its length (src/train/runDefaults.ts).
  // τ and ρ average the teacher's confidences, so they forget as fast as the teacher changes.
  thresholdMomentum: { type: 'number', default: 0.999, doc: 'EMA momentum of τ and ρ (a run sets it from its length unless given)', followsTeacherDecay: true },
  min: { type: 'number', default: 0.5, doc: 'threshold floor' },
  max: { type: 'number', default: 0.95, doc: 'threshold ceiling' },
} as const satisfies HyperTable;

export interface DynamicThresholdOptions {
  momentum?: number;
  min?: number;
  max?: number;
}

export interface DynamicThresholdState {
  tau: number;
  rho: number[];
  /** Updates so far (t); absent in checkpoints from before the bias correction, whose τ and ρ need none. */
  updates?: number;
}

export class DynamicThreshold {
  readonly momentum: number;
  readonly min: number;
  readonly max: number;
  /** The raw (uncorrected) averages; read them through `tau` and `rhoCorrected()`. */
  private tauRaw = 0;
  private rhoRaw: number[];
  private updates = 0;

  constructor(readonly numClasses: number, o: DynamicThresholdOptions = {}) {
    this.momentum = o.momentum ?? DYNAMIC_THRESHOLD_HYPER.thresholdMomentum.default;
    this.min = o.min ?? DYNAMIC_THRESHOLD_HYPER.min.default;
    this.max = o.max ?? DYNAMIC_THRESHOLD_HYPER.max.default;
    this.rhoRaw = new Array(numClasses).fill(0);
  }

  /** 1 − m^t: the weight the averages have gathered so far (1 when no correction applies). */
  private correction(): number {
    return this.updates === Infinity ? 1 : 1 - Math.pow(this.momentum, this.updates);
  }

  /** τ̂, the bias-corrected mean top confidence (1/C before any update). */
  get tau(): number {
    return this.updates === 0 ? 1 / this.numClasses : this.tauRaw / this.correction();
  }

  /** ρ̂, the bias-corrected mean probability of each class (1/C before any update). */
  get rho(): number[] {
    const c = this.correction();
    return this.updates === 0 ? this.rhoRaw.map(() => 1 / this.numClasses) : this.rhoRaw.map((r) => r / c);
  }

  /** Updates τ and ρ from a batch of teacher probabilities (N×C row-major). */
  update(probs: Float32Array): void {
    const C = this.numClasses;
    const n = probs.length / C;
    if (n === 0) return;
    let maxMean = 0;
    const mean = new Array(C).fill(0);
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let c = 0; c < C; c++) {
        const v = probs[i * C + c];
        mean[c] += v / n;
        if (v > m) m = v;
      }
      maxMean += m / n;
    }
    const k = this.momentum;
    this.tauRaw = k * this.tauRaw + (1 - k) * maxMean;
    this.rhoRaw = this.rhoRaw.map((r, c) => k * r + (1 - k) * mean[c]);
    this.updates++;
  }

  thresholds(): number[] {
    const rho = this.rho;
    const tau = this.tau;
    const top = Math.max(...rho);
    return rho.map((r) => Math.min(this.max, Math.max(this.min, (tau * r) / top)));
  }

  state(): DynamicThresholdState {
    return { tau: this.tauRaw, rho: [...this.rhoRaw], updates: this.updates };
  }

  load(s: DynamicThresholdState): void {
    if (s.rho.length !== this.numClasses) throw new Error(`DynamicThreshold: state has ${s.rho.length} classes, expected ${this.numClasses}`);
    this.tauRaw = s.tau;
    this.rhoRaw = [...s.rho];
    // An older checkpoint's averages started at 1/C and carry no count: use them as they are.
    this.updates = s.updates ?? Infinity;
  }
}
