/**
 * Ada-CM's pseudo-label source: the student in training mode (the paper) or,
 * with teacherPseudoLabels = 1, the EMA teacher in evaluation mode. A teacher
 * whose classifier is sure of class 2 must put every unlabelled face into
 * subset I with pseudo-label 2; the untrained student is not sure of anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { createMethod, type AdaCm } from '../../src/methods/index.js';

function setup() {
  torch.manualSeed(3);
  const student = createModel({ arch: 'small', numClasses: 3, head: 'adacm' });
  const teacher = createModel({ arch: 'small', numClasses: 3, head: 'adacm' });
  teacher.loadStateDict(student.stateDict());
  teacher.eval();
  // The teacher's bias makes class 2 win with probability ≈ 1 whatever the (unit-norm) feature.
  torch.noGrad(() => teacher.head.fc.bias!.copy_(torch.tensor([0, 0, 30])));
  const x = () => torch.rand([6, 3, 32, 32]);
  const batch = {
    step: 0,
    labelled: { views: [x()], labels: torch.tensor([0, 1, 2, 0, 1, 2], { dtype: 'int64' }), indices: new Int32Array([0, 1, 2, 3, 4, 5]) },
    unlabelled: { views: [x(), x(), x()], indices: new Int32Array(6), trueLabels: torch.tensor([2, 2, 2, 2, 2, 1], { dtype: 'int64' }) },
  };
  const ctx = { student, teacher, numClasses: 3, epoch: 1, step: 0, stepsPerEpoch: 10, totalSteps: 10 };
  return { batch, ctx };
}

test("Ada-CM with teacherPseudoLabels: q from the EMA teacher, so a sure teacher fills subset I with its class", () => {
  const { batch, ctx } = setup();
  const method = createMethod('adacm', { numClasses: 3, labels: new Int32Array(6), hyper: { teacherPseudoLabels: 1 } }) as AdaCm;
  const r = method.step(batch, ctx);
  assert.equal(r.stats.subsetI, 6);
  assert.equal(r.stats.subsetII, 0);
  assert.ok(Math.abs((r.stats.pseudoLabelAccuracy as number) - 5 / 6) < 1e-9, 'five of six true labels are class 2');
  assert.equal(r.terms.Ls.item(), 0, 'no subset II, no contrastive term');
  assert.ok(r.terms.Lu.item() > 0);
});

test("Ada-CM by default takes q from the student (the paper): the untrained student puts nobody above the 0.8 margin", () => {
  const { batch, ctx } = setup();
  const method = createMethod('adacm', { numClasses: 3, labels: new Int32Array(6) }) as AdaCm;
  assert.equal(method.teacherPseudoLabels, false);
  const r = method.step(batch, ctx);
  assert.equal(r.stats.subsetI, 0);
  assert.ok(r.terms.Ls.item() > 0, 'all six in subset II, contrasted');
});
