// Method building blocks against hand-computed values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { updateMargins, splitByMargin } from '../../src/methods/losses/adaptiveMargin.js';
import { unsupervisedSupCon } from '../../src/methods/losses/supcon.js';
import { lowImportanceGroup, rankRegularization, relabel } from '../../src/methods/losses/scnRank.js';
import { DynamicThreshold } from '../../src/methods/losses/dynamicThreshold.js';
import { complementaryMask, negativeLearningLoss } from '../../src/methods/losses/negativeLearning.js';
import { softmaxMse, sigmoidRampup } from '../../src/methods/losses/consistency.js';
import { fixmatchMask } from '../../src/methods/fixmatch.js';
import { adacmSubsets } from '../../src/methods/adacm.js';
import { emaUpdate, emaDecayAt } from '../../src/train/ema.js';
import { ScnLoss } from '../../src/methods/labelledLoss.js';
import { createMethod } from '../../src/methods/index.js';
import type { DtaSnl } from '../../src/methods/dtaSnl.js';

const near = (a: number, b: number, tol = 1e-6, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('Ada-CM margins: mean confidence of correct predictions per class, scaled by 0.97/(1+e^-epoch), floored at 0.8', () => {
  // 3 classes, 5 labelled samples.
  const probs = new Float32Array([
    0.9, 0.05, 0.05, // label 0, correct, 0.9
    0.7, 0.2, 0.1, //   label 0, correct, 0.7
    0.6, 0.3, 0.1, //   label 1, wrong (predicted 0) → ignored
    0.01, 0.98, 0.01, // label 1, correct, 0.98
    0.5, 0.2, 0.3, //   label 2, wrong → class 2 has no correct sample
  ]);
  const labels = new Int32Array([0, 0, 1, 1, 2]);
  const f = (e: number) => 0.97 / (1 + Math.exp(-e));
  const t1 = updateMargins(probs, labels, 3, 1);
  near(t1[0], 0.8, 1e-9, 'epoch 1 class 0: 0.8·0.709 < 0.8');
  const t5 = updateMargins(probs, labels, 3, 5);
  near(t5[0], Math.max(0.8, 0.8 * f(5)), 1e-6, 'class 0 mean 0.8');
  near(t5[1], 0.98 * f(5), 1e-6, 'class 1');
  assert.equal(t5[2], 0.8, 'no correct sample keeps 0.8');
  const t10 = updateMargins(probs, labels, 3, 10, { base: 0.5, scale: 1 });
  near(t10[0], 0.8 * (1 / (1 + Math.exp(-10))), 1e-6);
  const { subsetI, countI } = splitByMargin(new Float32Array([0.95, 0.85, 0.79]), new Int32Array([1, 0, 2]), [0.9, 0.8, 0.8]);
  assert.deepEqual([...subsetI], [1, 0, 0], 'class 0 needs 0.9; class 2 needs 0.8');
  assert.equal(countI, 1);
});

test('Ada-CM subsets from the averaged weak views', () => {
  torch.tidy(() => {
    const pa = torch.tensor([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]], { dtype: 'float64' });
    const pb = torch.tensor([[0.7, 0.3], [0.2, 0.8], [0.0, 1.0]], { dtype: 'float64' });
    const { pseudo, maxProb, subsetI } = adacmSubsets(pa, pb, [0.8, 0.85]);
    assert.deepEqual(pseudo.toArray(), [0, 1, 1]);
    maxProb.toArray().forEach((v, i) => near(v, [0.8, 0.6, 0.9][i], 1e-9));
    assert.deepEqual(subsetI.toArray(), [1, 0, 1]);
  });
});

/** The SupCon (no labels) formula written out with loops. */
function supconReference(za: number[][], zb: number[][], t: number): number {
  const z = [...za, ...zb];
  const n = za.length;
  const dot = (u: number[], v: number[]) => u.reduce((s, x, i) => s + x * v[i], 0);
  let total = 0;
  for (let i = 0; i < 2 * n; i++) {
    const p = (i + n) % (2 * n);
    let denom = 0;
    for (let j = 0; j < 2 * n; j++) if (j !== i) denom += Math.exp(dot(z[i], z[j]) / t);
    total += Math.log(Math.exp(dot(z[i], z[p]) / t) / denom);
  }
  return -total / (2 * n);
}

test('unsupervised SupCon (NT-Xent) on a few vectors', () => {
  torch.tidy(() => {
    // Two samples with identical views, orthogonal to each other: each anchor's
    // denominator has e^(1/τ) (positive) + 2·e^0; loss = −log(e^(1/τ)/(e^(1/τ)+2)).
    const a = [[1, 0], [0, 1]];
    const got = unsupervisedSupCon(torch.tensor(a, { dtype: 'float64' }), torch.tensor(a, { dtype: 'float64' }), 0.07).item();
    near(got, -Math.log(Math.exp(1 / 0.07) / (Math.exp(1 / 0.07) + 2)), 1e-9, 'orthogonal pair');
    const norm = (v: number[]) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
    const za = [[1, 2, 0.5], [-1, 0.3, 2], [0.2, -0.4, 1], [2, 1, 1]].map(norm);
    const zb = [[1.1, 1.7, 0.4], [-0.8, 0.5, 1.9], [0.1, -0.5, 1.2], [-2, 1, 0]].map(norm);
    near(unsupervisedSupCon(torch.tensor(za, { dtype: 'float64' }), torch.tensor(zb, { dtype: 'float64' }), 0.5, 0.5).item(), supconReference(za, zb, 0.5), 1e-9, 'τ=0.5');
    near(unsupervisedSupCon(torch.tensor(za, { dtype: 'float64' }), torch.tensor(zb, { dtype: 'float64' }), 0.07).item(), supconReference(za, zb, 0.07), 1e-7, 'τ=0.07');
    near(unsupervisedSupCon(torch.tensor(za, { dtype: 'float64' }), torch.tensor(zb, { dtype: 'float64' }), 0.07, 0.14).item(), supconReference(za, zb, 0.07) / 2, 1e-7, 'base temperature scales');
  });
});

test('FixMatch mask and pseudo-labels at τ = 0.95', () => {
  torch.tidy(() => {
    const logits = torch.tensor([[5, 0, 0], [1, 1.2, 0], [0, 0, 4]], { dtype: 'float64' });
    const { mask, pseudo, maxProb } = fixmatchMask(logits, 0.95);
    const p0 = Math.exp(5) / (Math.exp(5) + 2); // 0.9867 ≥ 0.95
    const p2 = Math.exp(4) / (Math.exp(4) + 2); // 0.9647 ≥ 0.95
    near(maxProb.toArray()[0], p0, 1e-9);
    near(maxProb.toArray()[2], p2, 1e-9);
    assert.deepEqual(mask.toArray(), [1, 0, 1]);
    assert.deepEqual(pseudo.toArray(), [0, 1, 2]);
  });
});

test('SCN rank regularisation and relabelling', () => {
  torch.tidy(() => {
    const alpha = torch.tensor([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05], { dtype: 'float64' });
    // top 7 mean 0.6, bottom 3 mean 0.11667: gap 0.483 > δ1 → 0
    near(rankRegularization(alpha).item(), 0, 1e-12);
    // [0.5, 0.5 | 0.4, 0.4] with β = 0.5: gap 0.1 → 0.15 − 0.1 = 0.05
    near(rankRegularization(torch.tensor([0.4, 0.5, 0.4, 0.5], { dtype: 'float64' }), 0.5).item(), 0.05, 1e-12);
    // ⌊0.7·4⌋ = 2 high: (0.6+0.5)/2 − (0.45+0.4)/2 = 0.125 → 0.025
    near(rankRegularization(torch.tensor([0.5, 0.6, 0.4, 0.45], { dtype: 'float64' })).item(), 0.025, 1e-12);
    const probs = new Float32Array([
      0.7, 0.2, 0.1, // label 1: 0.7 − 0.2 = 0.5 > 0.2 → relabel to 0
      0.35, 0.25, 0.4, // label 0: 0.4 − 0.35 = 0.05 → keep
      0.1, 0.1, 0.8, // label 2 (already max) → keep
      0.05, 0.6, 0.35, // label 2: 0.6 − 0.35 = 0.25 → relabel to 1
    ]);
    const r = relabel(probs, new Int32Array([1, 0, 2, 2]), 3, 0.2);
    assert.deepEqual([...r.labels], [0, 0, 2, 1]);
    assert.deepEqual(r.changed, [0, 3]);
    // The paper's variant: only the low-importance group may change. α = [0.9, 0.2, 0.8, 0.1], β = 0.5 → L = {3, 1}.
    const low = lowImportanceGroup(new Float32Array([0.9, 0.2, 0.8, 0.1]), 0.5);
    assert.deepEqual(low, [3, 1]);
    const rl = relabel(probs, new Int32Array([1, 0, 2, 2]), 3, 0.2, low);
    assert.deepEqual([...rl.labels], [1, 0, 2, 1], 'sample 0 would change but is in the high group');
    assert.deepEqual(rl.changed, [3]);
    // ⌊0.7·10⌋ = 7 high, so the 3 smallest α form L.
    assert.deepEqual(lowImportanceGroup(new Float32Array([0.5, 0.1, 0.9, 0.3, 0.3, 0.8, 0.7, 0.6, 0.2, 0.4])), [1, 8, 3]);
  });
});

test('DTA dynamic thresholds: bias-corrected EMA of confidence and class level, normalised and clamped', () => {
  const d = new DynamicThreshold(3, { momentum: 0.9, min: 0.5, max: 0.95 });
  assert.deepEqual(d.thresholds(), [0.5, 0.5, 0.5], 'starts at the floor (τ = 1/C before any update)');
  const probs = new Float32Array([0.9, 0.05, 0.05, 0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.1, 0.8]);
  d.update(probs);
  // After one update the corrected averages are that batch's means: (0.1·x) / (1 − 0.9).
  const tau1 = (0.9 + 0.8 + 0.7 + 0.8) / 4;
  const rho1 = [(0.9 + 0.8 + 0.2 + 0.1) / 4, (0.05 + 0.1 + 0.7 + 0.1) / 4, (0.05 + 0.1 + 0.1 + 0.8) / 4];
  near(d.tau, tau1, 1e-7);
  d.rho.forEach((r, i) => near(r, rho1[i], 1e-7));
  const top = Math.max(...rho1);
  d.thresholds().forEach((t, c) => near(t, Math.min(0.95, Math.max(0.5, (tau1 * rho1[c]) / top)), 1e-7));
  // A second batch: raw τ = 0.9·0.1·τ1 + 0.1·τ2, corrected by 1 − 0.9² = 0.19.
  d.update(new Float32Array([0.6, 0.2, 0.2]));
  near(d.tau, (0.9 * 0.1 * tau1 + 0.1 * 0.6) / 0.19, 1e-7);
  for (let i = 0; i < 200; i++) d.update(new Float32Array([0.99, 0.005, 0.005]));
  assert.equal(d.thresholds()[0], 0.95, 'clamped at the ceiling');
  const copy = new DynamicThreshold(3, { momentum: 0.9 });
  copy.load(d.state());
  assert.deepEqual(copy.thresholds(), d.thresholds(), 'a checkpoint restores the count as well as the averages');
  assert.throws(() => d.load({ tau: 0.5, rho: [1] }), /state has 1 classes, expected 3/);
});

test('DTA dynamic thresholds: an older checkpoint (no update count) is used without correction', () => {
  const d = new DynamicThreshold(2, { momentum: 0.999 });
  d.load({ tau: 0.7, rho: [0.6, 0.3] });
  near(d.tau, 0.7, 1e-12);
  assert.deepEqual(d.rho, [0.6, 0.3]);
  const again = new DynamicThreshold(2, { momentum: 0.999 });
  again.load(JSON.parse(JSON.stringify(d.state())));
  near(again.tau, 0.7, 1e-12, 'the "no correction" mark survives the JSON of a checkpoint');
});

test('DTA dynamic thresholds leave the floor within the first steps (bias correction)', () => {
  const d = new DynamicThreshold(7, { momentum: 0.999, min: 0.5, max: 0.95 });
  const batch = new Float32Array(7 * 4).fill(0.1 / 6);
  for (let i = 0; i < 4; i++) batch[i * 7 + (i % 2)] = 0.9;
  for (let i = 0; i < 10; i++) d.update(batch);
  // Uncorrected, τ would be ≈ 1/7 + 0.01·(0.9 − 1/7) ≈ 0.15 and every threshold at the floor.
  near(d.tau, 0.9, 1e-6);
  assert.ok(d.thresholds()[0] > 0.85, `the confident classes' thresholds rise at once, got ${d.thresholds()[0]}`);
});

test("DTA+SNL takes the thresholds' EMA momentum from the hyper-parameters (--threshold-momentum)", () => {
  const slow = createMethod('dta-snl', { numClasses: 7, labels: new Int32Array(0) }) as DtaSnl;
  const fast = createMethod('dta-snl', { numClasses: 7, labels: new Int32Array(0), hyper: { thresholdMomentum: 0.9 } }) as DtaSnl;
  assert.equal(slow.dynamic.momentum, 0.999);
  assert.equal(fast.dynamic.momentum, 0.9);
  // Two batches: the corrected τ weighs the later one by 1/(1 + 0.9), the earlier by 0.9/(1 + 0.9).
  const batch = new Float32Array(7).fill(0.1 / 6);
  batch[2] = 0.9;
  fast.dynamic.update(batch);
  const second = new Float32Array(7).fill(0.5 / 6);
  second[4] = 0.5;
  fast.dynamic.update(second);
  near(fast.dynamic.tau, (0.9 * 0.9 + 0.5) / 1.9, 1e-7); // the batches are float32
});

test('SNL: complementary labels below γ from the teacher, loss on the student', () => {
  torch.tidy(() => {
    const teacher = torch.tensor([[0.9, 0.06, 0.04], [0.5, 0.47, 0.03], [0.98, 0.01, 0.01]], { dtype: 'float64' });
    const selected = torch.tensor([true, true, false]);
    const K = complementaryMask(teacher, selected, 0.05);
    assert.deepEqual(K.toArray(), [0, 0, 1, 0, 0, 1, 0, 0, 0]);
    const logits = torch.tensor([[0, 0, 0], [1, 0, -1], [0, 0, 0]], { dtype: 'float64' });
    const p1 = [1, 0, -1].map((v) => Math.exp(v) / (Math.E + 1 + Math.exp(-1)));
    // sample 0: K={2}: −log(1−1/3); sample 1: K={2}: −log(1−p1[2]); mean over the 2
    const expected = (-Math.log(1 - 1 / 3) - Math.log(1 - p1[2])) / 2;
    near(negativeLearningLoss(logits, K).item(), expected, 1e-9);
    // With γ so high that all classes fall below it, the top class is still never complementary.
    const all = complementaryMask(torch.tensor([[0.4, 0.3, 0.3]], { dtype: 'float64' }), torch.tensor([true]), 0.9);
    assert.deepEqual(all.toArray(), [0, 1, 1]);
    near(negativeLearningLoss(logits, torch.zeros([3, 3], { dtype: 'bool' })).item(), 0, 0, 'no sample qualifies');
  });
});

test('Mean Teacher consistency and ramp-up', () => {
  torch.tidy(() => {
    const s = torch.tensor([[0, 0]], { dtype: 'float64' });
    const t = torch.tensor([[Math.log(3), 0]], { dtype: 'float64' }); // softmax (0.75, 0.25)
    near(softmaxMse(s, t).item(), (2 * 0.25 * 0.25) / 2, 1e-12); // averaged over the 2 classes, as the authors' code
    near(sigmoidRampup(0, 5), Math.exp(-5), 1e-12);
    near(sigmoidRampup(2.5, 5), Math.exp(-1.25), 1e-12);
    assert.equal(sigmoidRampup(7, 5), 1);
  });
});

test('EMA update: θ′ ← dθ′ + (1−d)θ, buffers copied, warm-up of d', () => {
  const student = new torch.nn.BatchNorm2d(2);
  const teacher = new torch.nn.BatchNorm2d(2);
  torch.noGrad(() => {
    student.weight!.copy_(torch.tensor([1, 2]));
    teacher.weight!.copy_(torch.tensor([3, 5]));
    student.runningMean!.copy_(torch.tensor([0.7, -0.7]));
  });
  emaUpdate(teacher, student, 0.9);
  teacher.weight!.toArray().forEach((v, i) => near(v, [0.9 * 3 + 0.1 * 1, 0.9 * 5 + 0.1 * 2][i], 1e-6));
  teacher.runningMean!.toArray().forEach((v, i) => near(v, [0.7, -0.7][i], 1e-7));
  assert.equal(emaDecayAt(0, 0.999), 0);
  near(emaDecayAt(9, 0.999), 0.9, 1e-12);
  assert.equal(emaDecayAt(100000, 0.999), 0.999);
  student.dispose();
  teacher.dispose();
});

test('EMA update with averaged buffers: running statistics averaged like the weights, counters copied', () => {
  const student = new torch.nn.BatchNorm2d(2);
  const teacher = new torch.nn.BatchNorm2d(2);
  torch.noGrad(() => {
    student.runningMean!.copy_(torch.tensor([0.7, -0.7]));
    student.runningVar!.copy_(torch.tensor([2, 4]));
    student.numBatchesTracked!.copy_(torch.tensor([12], { dtype: 'int64', shape: [] }));
  });
  emaUpdate(teacher, student, 0.9, true);
  // The teacher starts at mean 0, variance 1.
  teacher.runningMean!.toArray().forEach((v, i) => near(v, [0.07, -0.07][i], 1e-7));
  teacher.runningVar!.toArray().forEach((v, i) => near(v, [0.9 + 0.2, 0.9 + 0.4][i], 1e-6));
  assert.equal(Number(teacher.numBatchesTracked!.item()), 12, 'an integer counter is copied, not averaged');
  student.dispose();
  teacher.dispose();
});

test('SCN warm-up: plain CE on W f + b for the first epochs, then α-weighted CE + rank regularisation', () => {
  const raw = torch.tensor(Float32Array.from([2, 0, -1, 0.5, 1, 0]), { shape: [2, 3] });
  const alpha = torch.tensor(Float32Array.from([0.9, 0.2]), { shape: [2, 1] });
  const out = { logits: raw.mul(alpha), rawLogits: raw, alpha, features: raw };
  const labels = Int32Array.from([0, 2]);
  const loss = new ScnLoss(3, labels, { warmupEpochs: 2, beta: 0.5, delta1: 0.15 });
  // CE by hand: −log softmax(raw)[y], averaged.
  const ce = (z: number[], y: number) => -(z[y]! - Math.log(z.reduce((a, v) => a + Math.exp(v), 0)));
  const expectWarm = (ce([2, 0, -1], 0) + ce([0.5, 1, 0], 2)) / 2;
  const warm = loss.compute(out, torch.tensor(labels, { dtype: 'int64' }), Int32Array.from([0, 1]), 2);
  assert.ok(Math.abs(warm.loss.item() - expectWarm) < 1e-5, `warm-up loss ${warm.loss.item()} vs ${expectWarm}`);
  assert.equal(warm.terms.RR!.item(), 0);
  // Epoch 3: CE of α·z, plus RR = max(0, 0.15 − (0.9 − 0.2)) = 0.
  const expectScn = (ce([1.8, 0, -0.9], 0) + ce([0.1, 0.2, 0], 2)) / 2;
  const after = loss.compute(out, torch.tensor(labels, { dtype: 'int64' }), Int32Array.from([0, 1]), 3);
  assert.ok(Math.abs(after.loss.item() - expectScn) < 1e-5, `SCN loss ${after.loss.item()} vs ${expectScn}`);
});
