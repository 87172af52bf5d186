// What bench/trainStep.ts passes to the PyTorch reference is what the Python
// script reads (checked with --parse-only, which does not import torch), so the
// CUDA comparison in bench/gpu-check.sh cannot silently run another step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pytorchStepArgv, pytorchStepScript, type PytorchStepArgs } from '../../bench/pytorchStep.js';

const python = spawnSync('python3', ['--version']).status === 0;

test('bench/pytorch_step.py parses the arguments bench/trainStep.ts gives it', { skip: python ? false : 'python3 not found' }, () => {
  const cases: PytorchStepArgs[] = [
    { batch: 256, size: 224, threads: 2, warmup: 3, steps: 30, device: 'cuda', channelsLast: true, precision: 'bf16' },
    { batch: 16, size: 112, threads: 2, warmup: 0, steps: 8, device: 'cpu', channelsLast: false, precision: 'fp32' },
  ];
  for (const a of cases) {
    const r = spawnSync('python3', [pytorchStepScript(), '--parse-only', ...pytorchStepArgv(a)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      batch: a.batch, size: a.size, threads: a.threads, warmup: a.warmup, steps: a.steps, device: a.device,
      channels_last: a.channelsLast, precision: a.precision, parse_only: true,
    });
  }
  const bad = spawnSync('python3', [pytorchStepScript(), '--parse-only', ...pytorchStepArgv({ ...cases[0], precision: 'fp16' as never })], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /PRECISION must be fp32 or bf16, got 'fp16'/);
});

test('bench/gpu-check.sh is valid bash and runs every stage the issue asks for', () => {
  const script = join(process.cwd(), 'bench', 'gpu-check.sh');
  const r = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(script, 'utf8');
  for (const stage of ['node-gyp rebuild', 'cudaDevice', 'trainStep.js --device cuda', '--size 224', 'adacm:bf16', 'pytorch_step.py']) assert.ok(text.includes(stage), stage);
});
