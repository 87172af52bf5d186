/**
 * Head dropout defaults follow the authors' code: Ada-CM's head drops half of
 * the pooled feature in training; SCN's code has drop_rate 0, so its importance
 * α and the relabel rule see the whole feature (α from a random half would be
 * noise for the rank regularisation and the P_max − P_gt test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import { createModel } from '../../src/models/index.js';

function trainModeTwice(head: 'scn' | 'adacm' | 'linear') {
  torch.manualSeed(5);
  const model = createModel({ arch: 'small', numClasses: 4, head });
  model.train();
  const x = torch.rand([3, 3, 32, 32]);
  // BatchNorm in training mode uses the batch's statistics, the same for both passes.
  const a = model.forward(x);
  const b = model.forward(x);
  return { a, b, model };
}

test("SCN's head has no dropout by default (the authors' drop_rate 0): α and logits repeat in training mode", () => {
  const { a, b, model } = trainModeTwice('scn');
  assert.equal(model.config.dropout, undefined);
  assert.deepEqual(Array.from(a.alpha!.data() as Float32Array), Array.from(b.alpha!.data() as Float32Array));
  assert.deepEqual(Array.from(a.logits.data() as Float32Array), Array.from(b.logits.data() as Float32Array));
});

test("Ada-CM's head drops half the feature in training mode (Dropout(0.5)), and none in evaluation", () => {
  const { a, b, model } = trainModeTwice('adacm');
  assert.notDeepEqual(Array.from(a.logits.data() as Float32Array), Array.from(b.logits.data() as Float32Array));
  model.eval();
  const x = torch.rand([2, 3, 32, 32]);
  assert.deepEqual(Array.from(model.forward(x).logits.data() as Float32Array), Array.from(model.forward(x).logits.data() as Float32Array));
});

test('an explicit dropout still applies to the SCN head', () => {
  torch.manualSeed(6);
  const model = createModel({ arch: 'small', numClasses: 4, head: 'scn', dropout: 0.5 });
  model.train();
  const x = torch.rand([3, 3, 32, 32]);
  assert.notDeepEqual(Array.from(model.forward(x).alpha!.data() as Float32Array), Array.from(model.forward(x).alpha!.data() as Float32Array));
});
