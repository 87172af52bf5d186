/**
 * `--warmup-steps N`: a linear learning-rate warm-up over the first N optimiser
 * steps, (step + 1)/N times the per-epoch schedule's rate, then the schedule alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyDataset } from './fixtures.js';
import { warmupFactor } from '../../src/train/schedule.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

test('warmupFactor: (step + 1)/N for the first N steps, then 1', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map((s) => warmupFactor(s, 4)), [0.25, 0.5, 0.75, 1, 1, 1, 1]);
  assert.equal(warmupFactor(0, 0), 1);
});

test('train --warmup-steps 5 with an exponential:0.5 schedule: the rate each step used, from metrics.jsonl', { timeout: 120_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'semifer-warmup-'));
  const out = join(root, 'run');
  return tinyDataset().then((data) => {
    const r = spawnSync(process.execPath, [cli, 'train', '--dataset', 'rafdb', '--root', data, '--method', 'supervised', '--labels-per-class', '3',
      '--model', 'small', '--size', '32', '--batch', '4', '--epochs', '2', '--steps-per-epoch', '4', '--lr', '0.001', '--schedule', 'exponential:0.5',
      '--warmup-steps', '5', '--out', out, '--cache-dir', join(data, '.cache'), '--log-every', '1', '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lrs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((x) => x.kind === 'step').map((x) => x.lr);
    // Epoch 1 (steps 0-3): 1e-3 · (s+1)/5; epoch 2 (steps 4-7): 0.5e-3 · min(1, (s+1)/5).
    const want = [0.2e-3, 0.4e-3, 0.6e-3, 0.8e-3, 0.5e-3, 0.5e-3, 0.5e-3, 0.5e-3];
    assert.equal(lrs.length, want.length);
    lrs.forEach((lr: number, i: number) => assert.ok(Math.abs(lr - want[i]) < 1e-12, `step ${i}: lr ${lr}, expected ${want[i]}`));
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.equal(cfg.warmupSteps, 5);
  });
});
