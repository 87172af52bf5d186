// The teacher's targets with batch statistics (teacherBatchStats, DTA+SNL and Mean Teacher):
// the teacher stays in evaluation mode, its batch norms normalise by the batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { teacherLogits } from '../../src/methods/views.js';
import { createMethod } from '../../src/methods/index.js';

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

test('teacherLogits with batchStats: the train-mode logits, running statistics untouched, evaluation mode kept', () => {
  torch.manualSeed(5);
  const model = createModel({ arch: 'small', numClasses: 4, head: 'linear' });
  torch.tidy(() => {
    // Running statistics far from any batch's, so the two modes differ.
    for (const m of model.modules()) if (m instanceof torch.nn.BatchNorm2d) torch.noGrad(() => { m.runningMean!.fill_(0.5); m.runningVar!.fill_(4); });
    const x = torch.randn([8, 3, 32, 32]);
    model.eval();
    const running = teacherLogits(model, x).toArray();
    const buffersBefore = model.buffers().map((b) => b.toArray());
    const batch = teacherLogits(model, x, { batchStats: true }).toArray();
    assert.ok(!model.training, 'still in evaluation mode');
    assert.deepEqual(model.buffers().map((b) => b.toArray()), buffersBefore, 'running statistics and counters unchanged');
    assert.ok(maxAbsDiff(running, batch) > 1e-3, 'batch statistics give other logits than the running ones');
    model.train();
    const trainMode = torch.noGrad(() => model.forward(x).logits).toArray();
    model.eval();
    assert.ok(maxAbsDiff(batch, trainMode) < 1e-5, `equal to training mode (no dropout in this head): ${maxAbsDiff(batch, trainMode)}`);
  });
  model.dispose();
});

// Mean Teacher's consistency target comes from the same switch (default 1). A teacher whose
// running variances are negative gives NaN in plain evaluation mode, so the term shows which
// statistics the target was normalised with.
test("Mean Teacher's consistency target: the teacher normalised by the batch by default, by its running statistics with teacherBatchStats=0", () => {
  torch.manualSeed(6);
  const student = createModel({ arch: 'small', numClasses: 4, head: 'linear' });
  const teacher = createModel({ arch: 'small', numClasses: 4, head: 'linear' });
  teacher.loadStateDict(student.stateDict());
  teacher.eval();
  for (const m of teacher.modules()) if (m instanceof torch.nn.BatchNorm2d) torch.noGrad(() => m.runningVar!.fill_(-1));
  const consistency = (hyper: Record<string, number>) => torch.tidy(() => {
    const x = () => torch.rand([6, 3, 32, 32]);
    const batch = {
      step: 0,
      labelled: { views: [x()], labels: torch.tensor([0, 1, 2, 3, 0, 1], { dtype: 'int64' }), indices: new Int32Array(6) },
      unlabelled: { views: [x(), x()], indices: new Int32Array(6) },
    };
    const method = createMethod('meanteacher', { numClasses: 4, labels: new Int32Array(6), hyper });
    return method.step(batch, { student, teacher, numClasses: 4, epoch: 1, step: 0, stepsPerEpoch: 10, totalSteps: 10 }).terms.Lcons!.item();
  });
  assert.ok(Number.isFinite(consistency({})), 'default: batch statistics, a finite consistency loss');
  assert.ok(Number.isNaN(consistency({ teacherBatchStats: 0 })), 'teacherBatchStats=0: the (broken) running statistics');
  student.dispose();
  teacher.dispose();
});
