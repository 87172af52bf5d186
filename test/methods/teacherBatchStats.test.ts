// The teacher's pseudo-labels with batch statistics (DTA+SNL's teacherBatchStats):
// the teacher stays in evaluation mode, its batch norms normalise by the batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';
import { teacherLogits } from '../../src/methods/views.js';

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
