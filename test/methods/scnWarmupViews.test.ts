/**
 * SCN's warm-up trains on the head's logits before the α weighting (rawLogits).
 * Methods that forward several views in one pass split the outputs per view;
 * the split must keep rawLogits, or `--noisy-labels scn --scn-warmup 1` throws
 * at step 0 for FixMatch, Mean Teacher, DTA+SNL and Ada-CM with forwardPerView=0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { createMethod } from '../../src/methods/index.js';
import { forwardViews } from '../../src/methods/views.js';

const x = () => torch.rand([4, 3, 32, 32]);

test('forwardViews keeps each view\'s rows of rawLogits and alpha', () => {
  torch.manualSeed(1);
  const model = createModel({ arch: 'small', numClasses: 3, head: 'scn' });
  model.eval();
  const a = x();
  const b = torch.rand([2, 3, 32, 32]);
  const [oa, ob] = forwardViews(model, [a, b]);
  const alone = model.forward(b);
  assert.deepEqual(oa.rawLogits?.shape, [4, 3]);
  assert.deepEqual(ob.rawLogits?.shape, [2, 3]);
  const got = Array.from(ob.rawLogits!.data() as Float32Array);
  const want = Array.from(alone.rawLogits!.data() as Float32Array);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-4, `rawLogits[${i}]: ${v} vs ${want[i]}`));
  model.dispose();
});

const cases: [string, Record<string, number>, number][] = [
  ['fixmatch', {}, 2],
  ['meanteacher', {}, 2],
  ['dta-snl', {}, 2],
  ['adacm', { forwardPerView: 0 }, 3],
];
for (const [method, extra, unlabelledViews] of cases) {
  test(`${method} with --noisy-labels scn --scn-warmup 1: step 0 trains on the warm-up's plain cross-entropy`, () => {
    torch.manualSeed(2);
    const m = createMethod(method, { numClasses: 3, labels: new Int32Array([0, 1, 2, 0]), noisyLabels: 'scn', hyper: { scnWarmup: 1, ...extra } });
    const student = createModel({ arch: 'small', numClasses: 3, head: m.head, dta: m.dta ? {} : false });
    const teacher = createModel({ arch: 'small', numClasses: 3, head: m.head, dta: m.dta ? {} : false });
    teacher.loadStateDict(student.stateDict());
    teacher.eval();
    student.train();
    const batch = {
      step: 0,
      labelled: { views: [x()], labels: torch.tensor([0, 1, 2, 0], { dtype: 'int64' }), indices: new Int32Array([0, 1, 2, 3]) },
      unlabelled: { views: Array.from({ length: unlabelledViews }, x), indices: new Int32Array(4) },
    };
    const r = m.step(batch, { student, teacher, numClasses: 3, epoch: 1, step: 0, stepsPerEpoch: 10, totalSteps: 20 });
    assert.equal(r.terms.RR.item(), 0, 'no rank regularisation during the warm-up');
    assert.ok(Number.isFinite(r.loss.item()));
    student.dispose();
    teacher.dispose();
  });
}
