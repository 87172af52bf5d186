// A rank killed mid-run (SIGKILL: no goodbye) makes the other exit non-zero
// with a clear message well within --dist-timeout; the last checkpoint is
// intact, and --resume on one process (another world size) finishes the run
// with the weights of a run that was never interrupted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyDataset } from '../train/fixtures.js';
import { cli, maxWeightDifference, runCli, trainArgs } from './runs.js';
import { freePort, startRanks } from './launch.js';

const TIMEOUT_S = 30;

test('kill rank 1 mid-run: rank 0 fails within the timeout, --resume finishes', { timeout: 300_000 }, async () => {
  const root = await tinyDataset();
  const longer = ['--no-fair-baseline', '--sync-bn', '--epochs', '4', '--steps-per-epoch', '5', '--dist-timeout', String(TIMEOUT_S)];
  const out = mkdtempSync(join(tmpdir(), 'semifer-fault-'));
  const ranks = startRanks([cli, ...trainArgs(root, out, 'supervised', longer)], 2, await freePort());
  const last = join(out, 'checkpoint-last.safetensors');
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (existsSync(last)) {
        clearInterval(timer);
        ranks[1]!.child.kill('SIGKILL');
        resolve();
      }
    }, 20);
    ranks[0]!.done.then((r) => { clearInterval(timer); reject(new Error(`rank 0 ended before a checkpoint was seen: ${r.stderr}`)); });
  });
  const killedAt = performance.now();
  const r0 = await ranks[0]!.done;
  const seconds = (performance.now() - killedAt) / 1000;
  assert.equal(r0.code, 1, r0.stderr);
  assert.match(r0.stderr, /another rank died or stopped answering/);
  assert.match(r0.stderr, /--resume/);
  assert.doesNotMatch(r0.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(seconds < TIMEOUT_S, `rank 0 took ${seconds} s to notice`);
  const meta = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  assert.equal(meta.method, 'supervised');
  assert.ok(!existsSync(join(out, 'summary.json')));

  // Resume on one process: the global batch sequence and the weights continue where they were.
  runCli([...trainArgs(root, out, 'supervised', longer), '--resume']);
  const straight = mkdtempSync(join(tmpdir(), 'semifer-straight-'));
  runCli(trainArgs(root, straight, 'supervised', longer));
  const { diff, name } = maxWeightDifference(join(out, 'model.safetensors'), join(straight, 'model.safetensors'));
  // Float32 sums in another order (equivalence.test.ts) grow over these 20 steps: the same one-process run
  // on 2 LibTorch threads instead of 1 ends 3.8e-4 away, this one 3.4e-4 (both measured when written).
  assert.ok(diff < 2e-3, `${name} differs by ${diff}`);
});

test('SIGTERM to one rank: every rank stops at the same step, rank 0 saves, --resume --nproc 2 finishes', { timeout: 300_000 }, async () => {
  const root = await tinyDataset();
  const longer = ['--no-fair-baseline', '--sync-bn', '--epochs', '4', '--steps-per-epoch', '5', '--dist-timeout', String(TIMEOUT_S)];
  const out = mkdtempSync(join(tmpdir(), 'semifer-stop-'));
  const ranks = startRanks([cli, ...trainArgs(root, out, 'supervised', longer)], 2, await freePort());
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (existsSync(join(out, 'checkpoint-last.safetensors'))) {
        clearInterval(timer);
        ranks[1]!.child.kill('SIGTERM');
        resolve();
      }
    }, 20);
    ranks[0]!.done.then((r) => { clearInterval(timer); reject(new Error(`rank 0 ended before a checkpoint was seen: ${r.stderr}`)); });
  });
  const [r0, r1] = await Promise.all(ranks.map((r) => r.done));
  assert.equal(r1!.code, 143, r1!.stderr); // the signalled rank: SIGTERM's code
  assert.equal(r0!.code, 130, r0!.stderr); // the other stopped with it (not a lost peer, exit 1)
  const stopped = /stopped before step (\d+); checkpoint saved/.exec(r0!.stderr);
  assert.ok(stopped, r0!.stderr);
  assert.match(r1!.stderr, new RegExp(`stopped before step ${stopped[1]};`));
  runCli([...trainArgs(root, out, 'supervised', longer), '--resume', '--nproc', '2']);
  assert.ok(existsSync(join(out, 'summary.json')));
});
