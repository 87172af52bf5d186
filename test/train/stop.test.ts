// Ctrl-C (SIGINT) and SIGTERM stop a training run before its next step with a
// checkpoint, exit 130 / 143 and say how to continue; resuming after stops at
// random steps ends with the same model file, byte for byte, as a run never stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyDataset } from './fixtures.js';
import { runAndStop } from './runAndStop.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const EPOCHS = 3;
const STEPS = 6;

function args(root: string, out: string): string[] {
  return ['train', '--dataset', 'rafdb', '--root', root, '--method', 'adacm', '--labels-per-class', '3', '--model', 'small', '--size', '32',
    '--batch', '4', '--epochs', String(EPOCHS), '--steps-per-epoch', String(STEPS), '--seed', '7', '--out', out,
    '--cache-dir', join(root, '.cache'), '--log-every', '1', '--quiet'];
}

test('SIGINT then SIGTERM at random steps, each followed by --resume: the final model equals an uninterrupted run\'s', { timeout: 300_000 }, async () => {
  const root = await tinyDataset();
  const straight = mkdtempSync(join(tmpdir(), 'semifer-stop-straight-'));
  const r = spawnSync(process.execPath, [cli, ...args(root, straight)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);

  const total = EPOCHS * STEPS;
  // Two distinct random steps, the first before the second, neither the last.
  const first = Math.floor(Math.random() * (total / 2 - 1));
  const second = total / 2 + Math.floor(Math.random() * (total / 2 - 2));
  const out = mkdtempSync(join(tmpdir(), 'semifer-stop-'));
  const plan: [NodeJS.Signals, number, number, string[]][] = [
    ['SIGINT', first, 130, args(root, out)],
    ['SIGTERM', second, 143, [...args(root, out), '--resume']],
  ];
  for (const [signal, atStep, expected, argv] of plan) {
    const stopped = await runAndStop(cli, argv, out, atStep, signal);
    assert.equal(stopped.code, expected, `${signal} at step ${atStep}: ${stopped.stderr}`);
    assert.match(stopped.stderr, /checkpoint saved to .*checkpoint-last\.safetensors/, stopped.stderr);
    assert.match(stopped.stderr, /continue with: semifer train .* --resume/, stopped.stderr);
    assert.doesNotMatch(stopped.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!existsSync(join(out, 'summary.json')), `${signal}: the run did not finish`);
    assert.ok(!existsSync(join(out, '.semifer.lock')), `${signal}: the lock was given back`);
  }
  const resumed = spawnSync(process.execPath, [cli, ...args(root, out), '--resume'], { encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.ok(readFileSync(join(out, 'model.safetensors')).equals(readFileSync(join(straight, 'model.safetensors'))),
    `model.safetensors differs after stops at steps ${first} and ${second}`);
  const strip = (f: string) => readFileSync(f, 'utf8').replace(/"imgPerSec":[^,}]*/g, '');
  assert.equal(strip(join(out, 'metrics.jsonl')), strip(join(straight, 'metrics.jsonl')));
});
