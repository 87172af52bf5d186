// Data parallelism changes nothing but the speed: world size 2 with B/2
// images per rank ends with the weights of one process with batch B.
//
// Tolerance 1e-4 on weights of order 1: the two runs add the same float32
// numbers in another order (each rank sums half the batch, then the halves
// are added; batch norm's statistics likewise), which moves results by a few
// ulps (≈1e-7) per operation; over 6 SGD steps they grew to ≈3e-6 when this
// test was written. SGD keeps them that small because its update is linear in
// the gradient; Adam divides by √v, so a rounding difference in a gradient
// near zero becomes an update of order lr, which is why these runs use SGD.
// The models have batch norm, so the world-2 runs synchronise it (--sync-bn);
// without it the same comparison differs by ≈0.14 (per-rank statistics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyDataset } from '../train/fixtures.js';
import { cli, maxWeightDifference, runCli, trainArgs } from './runs.js';
import { freePort } from './launch.js';

const TOLERANCE = 1e-4;

function steps(out: string): unknown[] {
  return readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.kind === 'step').map((r) => r.step);
}

test('supervised: 2 ranks × 4 images = 1 process × 8 images (weights within 1e-4)', { timeout: 300_000 }, async () => {
  const root = await tinyDataset();
  const one = mkdtempSync(join(tmpdir(), 'semifer-world1-'));
  const two = mkdtempSync(join(tmpdir(), 'semifer-world2-'));
  runCli(trainArgs(root, one, 'supervised', ['--no-fair-baseline']));
  runCli(trainArgs(root, two, 'supervised', ['--no-fair-baseline', '--nproc', '2', '--sync-bn']));
  const { diff, name } = maxWeightDifference(join(one, 'model.safetensors'), join(two, 'model.safetensors'));
  assert.ok(diff < TOLERANCE, `${name} differs by ${diff}`);
  // Rank 0 alone wrote the log: each step once.
  assert.deepEqual(steps(two), [0, 1, 2, 3, 4, 5]);
});

// Ada-CM: the reference is a one-rank launch (WORLD_SIZE=1), whose dropout draws
// the global batch's mask as every rank of a launch does (globalDropout.ts); a
// plain run draws its mask another way. λS = 0: subset II's contrastive loss
// takes its negatives from the rank's own images (as SimCLR-style losses under
// DDP without an all-gather), so it is the one term that depends on the world
// size. Margin floor 0.148 with the authors' head scale 1 (probabilities near
// 1/7) puts images in both subsets, so Lu is exercised; the weights compared
// are the student, the EMA teacher and SGD's momentum (checkpoint-last).
test('Ada-CM: 2 ranks × 4 images = 1 rank × 8 images (student, teacher, momentum within 1e-4)', { timeout: 300_000 }, async () => {
  const root = await tinyDataset();
  const one = mkdtempSync(join(tmpdir(), 'semifer-adacm-world1-'));
  const two = mkdtempSync(join(tmpdir(), 'semifer-adacm-world2-'));
  const extra = ['--sync-bn', '--head-scale', '1', '--hyper', 'lambdaS=0,base=0.148'];
  runCli(trainArgs(root, one, 'adacm', extra), { WORLD_SIZE: '1', RANK: '0', MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(await freePort()) });
  runCli(trainArgs(root, two, 'adacm', [...extra, '--nproc', '2']));
  const { diff, name } = maxWeightDifference(join(one, 'checkpoint-last.safetensors'), join(two, 'checkpoint-last.safetensors'));
  assert.ok(diff < TOLERANCE, `${name} differs by ${diff}`);
  const steps = (out: string) => readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.kind === 'step');
  assert.ok(steps(one).some((r) => r.subsetI > 0), 'subset I was never used');
  // The logged terms and statistics are the global batch's, not rank 0's slice: counts add up, means average.
  const [a, b] = [steps(one), steps(two)];
  assert.equal(b.length, a.length);
  a.forEach((r, i) => {
    for (const key of ['subsetI', 'subsetII', 'maskRate']) assert.ok(Math.abs(r[key] - b[i][key]) < 1e-9, `step ${r.step} ${key}: ${r[key]} vs ${b[i][key]}`);
    for (const key of ['Lx', 'Lu']) assert.ok(Math.abs(r.loss[key] - b[i].loss[key]) < TOLERANCE, `step ${r.step} ${key}: ${r.loss[key]} vs ${b[i].loss[key]}`);
  });
});

// Rank 1 given a run folder that does not exist (as on a second machine without the
// shared folder): it trains, and never creates or writes anything there.
test('only rank 0 writes: rank 1 leaves its --out untouched', { timeout: 300_000 }, async () => {
  const root = await tinyDataset();
  const out = mkdtempSync(join(tmpdir(), 'semifer-rank0-'));
  const elsewhere = join(tmpdir(), `semifer-rank1-never-${process.pid}`);
  const port = await freePort();
  const codes = await Promise.all([out, elsewhere].map((dir, rank) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...trainArgs(root, dir, 'supervised', ['--no-fair-baseline', '--epochs', '1'])], {
      env: { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: '2', SEMIFER_NUM_THREADS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  })));
  for (const c of codes) assert.equal(c.code, 0, c.stderr);
  assert.ok(!existsSync(elsewhere), `rank 1 wrote ${elsewhere}`);
  for (const f of ['config.json', 'split.json', 'metrics.jsonl', 'checkpoint-last.safetensors', 'model.safetensors', 'summary.json']) assert.ok(existsSync(join(out, f)), f);
});
