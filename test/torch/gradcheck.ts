/**
 * Finite-difference gradient check in float64 (docs/design.md: float32 checks fail
 * from rounding). f maps inputs to a tensor; the scalar checked is Σ f(x)·w with
 * a fixed random w, so every output element's gradient is exercised.
 */
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import type { Tensor } from '../../src/torch/index.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Re-seed before every evaluation (ops that draw random numbers, e.g. dropout). */
  seed?: number;
}

export function gradcheck(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], o: GradcheckOptions = {}): void {
  const eps = o.eps ?? 1e-6;
  const atol = o.atol ?? 1e-5;
  const rtol = o.rtol ?? 1e-4;
  torch.tidy(() => {
    const xs = inputs.map((x) => x.to('float64').detach().requiresGrad_(true));
    const evalScalar = (args: Tensor[]): Tensor => {
      if (o.seed !== undefined) torch.manualSeed(o.seed);
      const out = f(...args);
      return out.mul(weightFor(out)).sum();
    };
    let weights: Tensor | undefined;
    const weightFor = (out: Tensor): Tensor => {
      if (!weights) {
        torch.manualSeed(1234);
        weights = torch.keep(torch.rand(out.shape, { dtype: 'float64' }).add(0.5));
      }
      return weights;
    };
    try {
      evalScalar(xs).backward();
      const analytic = xs.map((x) => x.grad?.toArray() ?? new Array(x.numel).fill(0));
      torch.noGrad(() => {
        xs.forEach((x, k) => {
          const base = x.detach().clone();
          const flat = base.toArray();
          for (let i = 0; i < flat.length; i++) {
            const at = (delta: number) => {
              const v = flat.slice();
              v[i] += delta;
              const xi = torch.tensor(Float64Array.from(v), { shape: x.shape });
              const args = xs.map((y, j) => (j === k ? xi : y));
              return evalScalar(args).item();
            };
            const numeric = (at(eps) - at(-eps)) / (2 * eps);
            const a = analytic[k][i];
            const ok = Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric);
            assert.ok(ok, `${name}: d/d input${k}[${i}] analytic ${a} vs numeric ${numeric}`);
          }
        });
      });
    } finally {
      weights?.dispose();
    }
  });
}
