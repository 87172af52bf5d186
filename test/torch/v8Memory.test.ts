// The addon tells V8 of native tensor memory in steps of 256 MB (native/addon.cc, account()):
// a scope's short-lived tensors never reach V8's heuristics (reported one by one, every
// training step started a collection), while tensors that stay alive do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';

const MB = 2 ** 20;
/** Native memory as V8's collector counts it. */
const external = () => torch.memory().v8ExternalBytes;

test('V8 hears of tensor bytes in 256 MB steps: a scope\'s 64 MB never, 320 MB kept alive at once', () => {
  const start = external();
  // A fresh process: next to nothing allocated yet, so the 64 MB below stay under the step.
  torch.tidy(() => {
    torch.zeros([16, MB]);
    assert.ok(Math.abs(external() - start) < 32 * MB, `64 MB of scoped tensors moved V8's figure by ${((external() - start) / MB).toFixed(0)} MB`);
  });
  const kept = torch.keep(torch.zeros([80, MB]));
  const seen = external() - start;
  assert.ok(seen >= 256 * MB && seen < 400 * MB, `320 MB kept alive: V8 was told of ${(seen / MB).toFixed(0)} MB`);
  kept.dispose();
  assert.ok(Math.abs(external() - start) < 32 * MB, `after the dispose V8 still counts ${((external() - start) / MB).toFixed(0)} MB`);
});
