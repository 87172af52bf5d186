// The same training steps as lazyDevice.test.ts on a real GPU, where there is
// one (bench/gpu-check.sh runs this file on a CUDA machine); skipped elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { DEVICE_RUNS, runName } from './deviceSteps.js';

const child = join(process.cwd(), 'dist', 'test', 'train', 'deviceSteps.js');
const cuda = torch.cuda.isAvailable();

test('one training step of every method, head, --noisy-labels scn and RFD block mode on CUDA', { skip: cuda ? false : 'no CUDA device', timeout: 600_000 }, () => {
  const r = spawnSync(process.execPath, [child, 'steps', 'cuda'], { encoding: 'utf8', timeout: 600_000 });
  const ok = [...r.stdout.matchAll(/^ok (.+)$/gm)].map((m) => m[1]);
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  assert.deepEqual(ok, [...DEVICE_RUNS.map(runName), 'rfd-block']);
});

test('a CUDA tensor mixed with a CPU tensor is refused', { skip: cuda ? false : 'no CUDA device' }, () => {
  const r = spawnSync(process.execPath, [child, 'mixed', 'cuda'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /same device|Expected all tensors/);
});
