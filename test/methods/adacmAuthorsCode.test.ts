/**
 * Ada-CM's switches for what the authors' code does and docs/methods.md does not say.
 *
 * forwardPerView: the authors' code runs the two weak views, the
 * labelled batch and the strong view through the network one after another, so
 * BatchNorm normalises each batch with its own statistics. With the switch on
 * (the default), the labelled loss must equal cross-entropy on the labelled
 * batch forwarded alone; with one pass over all views (forwardPerView=0) it
 * must not (the unlabelled views shift the batch statistics).
 *
 * marginAugment: the margins come from the teacher's predictions on the weakly
 * augmented labelled set (the authors reuse their labelled training loader);
 * by default on the plain one, as docs/methods.md says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { createMethod, type AdaCm } from '../../src/methods/index.js';

function setup() {
  torch.manualSeed(5);
  // No head dropout, so two forwards of the same batch in training mode agree; a large
  // logit scale so that a change in the normalised feature shows in the loss.
  const student = createModel({ arch: 'small', numClasses: 3, head: 'adacm', dropout: 0, logitScale: 50 });
  student.train();
  const labels = torch.tensor([0, 1, 2, 0], { dtype: 'int64' });
  const x = torch.rand([4, 3, 32, 32]);
  // Unlabelled views far brighter than the labelled batch, so mixing them into the statistics shows.
  const u = () => torch.rand([4, 3, 32, 32]).mul(3).add(2);
  const batch = {
    step: 0,
    labelled: { views: [x], labels, indices: new Int32Array([0, 1, 2, 3]) },
    unlabelled: { views: [u(), u(), u()], indices: new Int32Array(4) },
  };
  const ctx = { student, teacher: null, numClasses: 3, epoch: 1, step: 0, stepsPerEpoch: 10, totalSteps: 10 };
  const alone = () => torch.noGrad(() => torch.F.crossEntropy(student.forward(x).logits, labels).item());
  return { batch, ctx, alone };
}

test('Ada-CM by default (forwardPerView=1): the labelled batch is normalised on its own statistics, as the authors forward it', () => {
  const { batch, ctx, alone } = setup();
  const method = createMethod('adacm', { numClasses: 3, labels: new Int32Array(4) }) as AdaCm;
  assert.equal(method.forwardPerView, true);
  const lx = method.step(batch, ctx).terms.Lx.item();
  assert.ok(Math.abs(lx - alone()) < 1e-5, `Lx ${lx} vs labelled batch alone ${alone()}`);
});

test('Ada-CM with forwardPerView=0 forwards all views in one pass: the labelled loss sees the mixed batch statistics', () => {
  const { batch, ctx, alone } = setup();
  const method = createMethod('adacm', { numClasses: 3, labels: new Int32Array(4), hyper: { forwardPerView: 0 } }) as AdaCm;
  assert.equal(method.forwardPerView, false);
  const lx = method.step(batch, ctx).terms.Lx.item();
  const d = Math.abs(lx - alone());
  assert.ok(d > 1e-2, `Lx ${lx} should differ from the labelled batch alone ${alone()}`);
});

test('Ada-CM marginAugment=1 learns the margins from the weakly augmented labelled set; the default from the plain one', async () => {
  // Every labelled face is right; the plain view is sure (0.99), the augmented one less (0.90).
  const labels = new Int32Array([0, 1, 2, 0, 1, 2]);
  const probsOf = (p: number) => Float32Array.from(Array.from(labels).flatMap((y) => [0, 1, 2].map((c) => (c === y ? p : (1 - p) / 2))));
  const asked: boolean[] = [];
  const ctx = {
    epoch: 10, student: null as never, teacher: null, numClasses: 3,
    predictLabelled: async (_m: unknown, o?: { weak?: boolean }) => (asked.push(o?.weak === true), { probs: probsOf(o?.weak ? 0.9 : 0.99), labels }),
    predictValidation: async () => null, // a run without validation images
  };
  const factor = 0.97 / (1 + Math.exp(-10));
  const plain = createMethod('adacm', { numClasses: 3, labels }) as AdaCm;
  assert.equal(plain.marginAugment, false);
  await plain.onEpochEnd(ctx);
  for (const t of plain.thresholds) assert.ok(Math.abs(t - 0.99 * factor) < 1e-6, `plain: ${t}`);
  const augmented = createMethod('adacm', { numClasses: 3, labels, hyper: { marginAugment: 1 } }) as AdaCm;
  await augmented.onEpochEnd(ctx);
  for (const t of augmented.thresholds) assert.ok(Math.abs(t - 0.9 * factor) < 1e-6, `augmented: ${t}`);
  assert.deepEqual(asked, [false, true]);
});

test('Ada-CM learns the margins on the validation images when the run has them; marginFromValidation=0 on the labelled set (the paper)', async () => {
  // The labelled faces are memorised (0.99); held-out faces are right with 0.9 (two of them) and one is wrong.
  const labels = new Int32Array([0, 1, 2]);
  const valLabels = new Int32Array([0, 0, 1, 2]);
  const val = Float32Array.from([0.9, 0.05, 0.05, /* wrong: */ 0.1, 0.6, 0.3, 0.05, 0.9, 0.05, 0.2, 0.2, 0.6]);
  const ctx = {
    epoch: 10, student: null as never, teacher: null, numClasses: 3,
    predictLabelled: async () => ({ probs: Float32Array.from([0.99, 0.005, 0.005, 0.005, 0.99, 0.005, 0.005, 0.005, 0.99]), labels }),
    predictValidation: async () => ({ probs: val, labels: valLabels }),
  };
  const factor = 0.97 / (1 + Math.exp(-10));
  const byDefault = createMethod('adacm', { numClasses: 3, labels }) as AdaCm;
  await byDefault.onEpochEnd(ctx);
  // Class 0: one right at 0.9 (the wrong one is left out); class 1: 0.9; class 2: 0.6 → the 0.8 floor.
  const expected = [0.9 * factor, 0.9 * factor, 0.8];
  byDefault.thresholds.forEach((t, c) => assert.ok(Math.abs(t - expected[c]) < 1e-6, `class ${c}: ${t}, expected ${expected[c]}`));
  const paper = createMethod('adacm', { numClasses: 3, labels, hyper: { marginFromValidation: 0 } }) as AdaCm;
  await paper.onEpochEnd(ctx);
  for (const t of paper.thresholds) assert.ok(Math.abs(t - 0.99 * factor) < 1e-6, `paper: ${t}`);
});
