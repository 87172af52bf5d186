// Device discipline without a GPU: every tensor a method, loss, head, EMA,
// optimiser or the trainer creates must live on the model's device. LibTorch's
// lazy TorchScript backend stands in for CUDA: it refuses, by aborting the
// process, any op that mixes its tensors with CPU ones, as CUDA refuses a CPU
// tensor. The steps run in a child process (deviceSteps.ts) for that reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEVICE_RUNS, runName } from './deviceSteps.js';

const child = join(process.cwd(), 'dist', 'test', 'train', 'deviceSteps.js');

function run(what: 'steps' | 'mixed') {
  const r = spawnSync(process.execPath, [child, what, 'lazy'], { encoding: 'utf8', timeout: 600_000 });
  const started = [...r.stdout.matchAll(/^start (.+)$/gm)].map((m) => m[1]);
  const ok = [...r.stdout.matchAll(/^ok (.+)$/gm)].map((m) => m[1]);
  const check = /Check failed: [^\n]*/.exec(r.stderr)?.[0];
  return { status: r.status, signal: r.signal, started, ok, check, stderr: r.stderr };
}

test('a lazy tensor mixed with a CPU tensor aborts the process (the check below can fail)', () => {
  const r = run('mixed');
  assert.notEqual(r.status, 0);
  assert.deepEqual(r.ok, []);
  assert.match(r.check ?? r.stderr, /Check failed: lazy_tensor Input tensor is not a lazy tensor: CPULongType/);
});

test('one training step of every method, head, --noisy-labels scn and RFD block mode stays on the lazy device', { timeout: 600_000 }, () => {
  const r = run('steps');
  const failed = r.started.find((s) => !r.ok.includes(s));
  assert.equal(r.status, 0, `${failed ?? 'the child'} failed (status ${r.status}, ${r.signal ?? 'no signal'}): ${r.check ?? r.stderr.slice(-2000)}`);
  assert.deepEqual(r.ok, [...DEVICE_RUNS.map(runName), 'rfd-block']);
});
