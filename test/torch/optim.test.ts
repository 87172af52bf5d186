// Optimisers and schedules against hand-computed updates (loss = ½‖θ‖², so ∇ = θ).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';

const { optim } = torch;

function run(make: (p: torch.Tensor[]) => torch.optim.Optimizer, steps: number, init = [1, -2]): number[][] {
  const p = torch.keep(torch.tensor(init, { dtype: 'float64', requiresGrad: true }));
  const opt = make([p]);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    torch.tidy(() => {
      opt.zeroGrad();
      p.mul(p).sum().mul(0.5).backward();
      opt.step();
    });
    out.push(p.toArray());
  }
  p.dispose();
  return out;
}

const close = (a: number[], b: number[], tol = 1e-9) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${i}: ${v} vs ${b[i]}`));

test('SGD: plain, momentum, Nesterov, dampening, weight decay', () => {
  close(run((p) => new optim.SGD(p, { lr: 0.1 }), 1)[0], [0.9, -1.8]);
  const mom = run((p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }), 2);
  close(mom[0], [0.9, -1.8]);
  close(mom[1], [0.72, -1.44]);
  const nes = run((p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }), 2);
  close(nes[0], [0.81, -1.62]);
  close(nes[1], [0.5751, -1.1502]);
  const damp = run((p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.5 }), 2);
  close(damp[1], [0.765, -1.53]);
  close(run((p) => new optim.SGD(p, { lr: 0.1, weightDecay: 0.1 }), 1)[0], [0.89, -1.78]);
  assert.throws(() => new optim.SGD([], { lr: -1 }), /SGD: lr must be >= 0/);
  assert.throws(() => new optim.SGD([], { lr: 0.1, nesterov: true }), /Nesterov momentum needs momentum > 0/);
});

/** Adam written out in plain JS, elementwise, from the paper / PyTorch docs. */
function adamReference(theta: number[], steps: number, o: { lr: number; b1: number; b2: number; eps: number; wd: number; decoupled: boolean; amsgrad?: boolean }): number[][] {
  const t = [...theta];
  const m = t.map(() => 0);
  const v = t.map(() => 0);
  const vmax = t.map(() => 0);
  const out: number[][] = [];
  for (let s = 1; s <= steps; s++) {
    for (let i = 0; i < t.length; i++) {
      let g = t[i];
      if (o.decoupled) t[i] *= 1 - o.lr * o.wd;
      else g += o.wd * t[i];
      m[i] = o.b1 * m[i] + (1 - o.b1) * g;
      v[i] = o.b2 * v[i] + (1 - o.b2) * g * g;
      vmax[i] = Math.max(vmax[i], v[i]);
      const vv = o.amsgrad ? vmax[i] : v[i];
      const denom = Math.sqrt(vv) / Math.sqrt(1 - Math.pow(o.b2, s)) + o.eps;
      t[i] -= (o.lr / (1 - Math.pow(o.b1, s))) * (m[i] / denom);
    }
    out.push([...t]);
  }
  return out;
}

test('Adam: first step moves each weight by lr·sign(g); later steps match the reference', () => {
  const got = run((p) => new optim.Adam(p, { lr: 0.1 }), 5);
  close(got[0], [0.9, -1.9], 1e-7);
  const ref = adamReference([1, -2], 5, { lr: 0.1, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false });
  got.forEach((g, i) => close(g, ref[i], 1e-12));
  const wd = run((p) => new optim.Adam(p, { lr: 0.01, weightDecay: 0.1, betas: [0.8, 0.99] }), 4);
  adamReference([1, -2], 4, { lr: 0.01, b1: 0.8, b2: 0.99, eps: 1e-8, wd: 0.1, decoupled: false }).forEach((r, i) => close(wd[i], r, 1e-12));
  const ams = run((p) => new optim.Adam(p, { lr: 0.05, amsgrad: true }), 6);
  adamReference([1, -2], 6, { lr: 0.05, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false, amsgrad: true }).forEach((r, i) => close(ams[i], r, 1e-12));
  assert.throws(() => new optim.Adam([], { betas: [1, 0.9] }), /beta1 must be in \[0, 1\)/);
});

test('AdamW decays weights before the Adam step', () => {
  const got = run((p) => new optim.AdamW(p, { lr: 0.1, weightDecay: 0.1 }), 3);
  close(got[0], [0.89, -1.88], 1e-7);
  adamReference([1, -2], 3, { lr: 0.1, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.1, decoupled: true }).forEach((r, i) => close(got[i], r, 1e-12));
});

test('parameters without gradients are left alone; groups have their own hyper-parameters', () => {
  const a = torch.keep(torch.tensor([1], { dtype: 'float64', requiresGrad: true }));
  const b = torch.keep(torch.tensor([1], { dtype: 'float64', requiresGrad: true }));
  const c = torch.keep(torch.tensor([5], { dtype: 'float64', requiresGrad: true }));
  const opt = new optim.SGD([{ params: [a, c] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
  torch.tidy(() => {
    a.add(b).sum().backward();
    opt.step();
  });
  close(a.toArray(), [0.9]);
  close(b.toArray(), [0.5]);
  close(c.toArray(), [5]);
  assert.throws(() => new optim.SGD([{ params: [a], lrr: 1 }], { lr: 0.1 }), /unknown option 'lrr'/);
  [a, b, c].forEach((t) => t.dispose());
});

test('optimiser state dict resumes exactly', () => {
  const make = () => torch.keep(torch.tensor([1, -2, 0.5], { dtype: 'float64', requiresGrad: true }));
  const p1 = make();
  const o1 = new optim.Adam([p1], { lr: 0.05 });
  const step = (p: torch.Tensor, o: torch.optim.Optimizer) => torch.tidy(() => {
    o.zeroGrad();
    p.pow(3).sum().backward();
    o.step();
  });
  for (let i = 0; i < 3; i++) step(p1, o1);
  const p2 = torch.keep(p1.detach().clone().requiresGrad_(true));
  const o2 = new optim.Adam([p2], { lr: 0.9 });
  o2.loadStateDict(o1.stateDict());
  assert.equal(o2.lr, 0.05);
  for (let i = 0; i < 2; i++) {
    step(p1, o1);
    step(p2, o2);
  }
  assert.deepEqual(p2.toArray(), p1.toArray());
  assert.throws(() => new optim.Adam([p1, p2]).loadStateDict(o1.stateDict()), /group 0 has 1 parameters in the checkpoint, 2 here/);
});

test('LR schedules follow their closed forms', () => {
  const p = torch.keep(torch.zeros([1], { requiresGrad: true }));
  const lrs = (s: torch.optim.LRScheduler, n: number) => Array.from({ length: n }, () => (s.step(), s.getLastLr()[0]));
  close(lrs(new optim.StepLR(new optim.SGD([p], { lr: 1 }), 2, 0.1), 5), [1, 0.1, 0.1, 0.01, 0.01], 1e-12);
  close(lrs(new optim.ExponentialLR(new optim.SGD([p], { lr: 1e-3 }), 0.9), 3), [9e-4, 8.1e-4, 7.29e-4], 1e-15);
  close(lrs(new optim.CosineAnnealingLR(new optim.SGD([p], { lr: 1 }), 4, 0.2), 5), [0.2 + 0.8 * (1 + Math.cos(Math.PI / 4)) / 2, 0.6, 0.2 + 0.8 * (1 + Math.cos(3 * Math.PI / 4)) / 2, 0.2, 0.2], 1e-12);
  const opt = new optim.SGD([p], { lr: 1 });
  const warm = new optim.LinearWarmup(opt, 4, new optim.CosineAnnealingLR(opt, 2));
  assert.equal(opt.lr, 0, 'warm-up starts at 0');
  close(lrs(warm, 7), [0.25, 0.5, 0.75, 1, 0.5, 0, 0], 1e-12);
  const resumed = new optim.LinearWarmup(new optim.SGD([p], { lr: 1 }), 4, undefined);
  resumed.loadStateDict({ lastStep: 2 });
  close(resumed.getLastLr(), [0.5]);
  p.dispose();
});
