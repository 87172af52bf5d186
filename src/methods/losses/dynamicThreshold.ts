/**
 * DTA's dynamic per-class thresholds (this project's reading, METHODS.md §3),
 * updated every step from the EMA teacher's probabilities on unlabelled data:
 *   τ   ← m·τ + (1−m)·mean_i max_k p_ik
 *   ρ_c ← m·ρ_c + (1−m)·mean_i p_ic
 *   T_c = clamp(τ · ρ_c / max_k ρ_k, lo, hi)
 * τ and ρ start at 1/C (no confidence yet), so T starts at the floor.
 */
export interface DynamicThresholdOptions {
  momentum?: number;
  min?: number;
  max?: number;
}

export interface DynamicThresholdState {
  tau: number;
  rho: number[];
}

export class DynamicThreshold {
  readonly momentum: number;
  readonly min: number;
  readonly max: number;
  tau: number;
  rho: number[];

  constructor(readonly numClasses: number, o: DynamicThresholdOptions = {}) {
    this.momentum = o.momentum ?? 0.999;
    this.min = o.min ?? 0.5;
    this.max = o.max ?? 0.95;
    this.tau = 1 / numClasses;
    this.rho = new Array(numClasses).fill(1 / numClasses);
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
    this.tau = k * this.tau + (1 - k) * maxMean;
    this.rho = this.rho.map((r, c) => k * r + (1 - k) * mean[c]);
  }

  thresholds(): number[] {
    const top = Math.max(...this.rho);
    return this.rho.map((r) => Math.min(this.max, Math.max(this.min, (this.tau * r) / top)));
  }

  state(): DynamicThresholdState {
    return { tau: this.tau, rho: [...this.rho] };
  }

  load(s: DynamicThresholdState): void {
    if (s.rho.length !== this.numClasses) throw new Error(`DynamicThreshold: state has ${s.rho.length} classes, expected ${this.numClasses}`);
    this.tau = s.tau;
    this.rho = [...s.rho];
  }
}
