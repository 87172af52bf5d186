// Kill a training run with SIGKILL mid-epoch, resume it: it finishes with the
// same metrics as an uninterrupted run with the same seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyDataset } from './fixtures.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

function args(root: string, out: string): string[] {
  return ['train', '--dataset', 'rafdb', '--root', root, '--method', 'adacm', '--labels-per-class', '3', '--model', 'small', '--size', '32',
    // Two parameter groups (the backbone at half the head's rate): their optimiser state and rates resume too.
    '--batch', '4', '--epochs', '3', '--steps-per-epoch', '4', '--backbone-lr-scale', '0.5', '--seed', '11', '--out', out, '--cache-dir', join(root, '.cache'), '--log-every', '1', '--quiet'];
}

/** metrics.jsonl without the timing field, which legitimately differs. */
function metrics(out: string): unknown[] {
  return readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const row = JSON.parse(l);
    delete row.imgPerSec;
    return row;
  });
}

test('SIGKILL mid-epoch, then --resume, equals an uninterrupted run', { timeout: 300_000 }, async () => {
  const root = await tinyDataset();
  const straight = mkdtempSync(join(tmpdir(), 'semifer-straight-'));
  const r = spawnSync(process.execPath, [cli, ...args(root, straight)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);

  const killed = mkdtempSync(join(tmpdir(), 'semifer-killed-'));
  const child = spawn(process.execPath, [cli, ...args(root, killed)], { stdio: 'ignore' });
  // Wait until epoch 1's checkpoint exists and epoch 2 has started, then kill without warning.
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = join(killed, 'metrics.jsonl');
      if (existsSync(join(killed, 'checkpoint-last.safetensors')) && existsSync(m) && /"kind":"step","epoch":2,"step":5/.test(readFileSync(m, 'utf8'))) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve();
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`the run ended (code ${code}) before it could be killed`));
    });
  });
  await new Promise((res) => child.once('exit', res));
  assert.ok(!existsSync(join(killed, 'summary.json')), 'the killed run did not finish');

  const resumed = spawnSync(process.execPath, [cli, ...args(root, killed), '--resume'], { encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.deepEqual(metrics(killed), metrics(straight));
  const a = JSON.parse(readFileSync(join(straight, 'summary.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(killed, 'summary.json'), 'utf8'));
  for (const k of ['accuracy', 'meanClassAccuracy', 'macroF1', 'ece']) assert.equal(b[k], a[k], k);
  assert.deepEqual(b.student, a.student);
});
