// `--model wrn28-2` end to end through the compiled CLI: a few FixMatch steps
// at 32 px, a model file whose backbone carries the WRN names, and eval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyDataset } from '../train/fixtures.js';
import { loadSafetensors } from '../../src/torch/index.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

function semifer(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

test('train --model wrn28-2: a short FixMatch run at 32 px, then eval', { timeout: 180_000 }, async () => {
  const root = await tinyDataset();
  const out = join(mkdtempSync(join(tmpdir(), 'semifer-wrn-')), 'run');
  const r = semifer('train', '--dataset', 'rafdb', '--root', root, '--method', 'fixmatch', '--labels-per-class', '3', '--model', 'wrn28-2',
    '--size', '32', '--batch', '4', '--epochs', '1', '--steps-per-epoch', '3', '--cache-dir', join(root, '.cache'), '--log-every', '1',
    '--out', out, '--quiet', '--json');
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.model, 'wrn28-2');
  assert.ok(summary.accuracy >= 0 && summary.accuracy <= 1);
  const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.kind === 'step');
  assert.equal(steps.length, 3);
  assert.ok(steps.every((s) => Number.isFinite(s.loss.total)));

  const weights = loadSafetensors(join(out, 'model.safetensors')).tensors;
  const keys = [...weights.keys()];
  for (const k of ['backbone.conv1.weight', 'backbone.block1.layer.0.convShortcut.weight', 'backbone.block3.layer.3.conv2.weight', 'backbone.bn1.running_var']) {
    assert.ok(keys.includes(k), k);
  }
  assert.deepEqual(weights.get('backbone.block3.layer.0.convShortcut.weight')!.shape, [128, 64, 1, 1]);
  for (const t of weights.values()) t.dispose();

  const ev = semifer('eval', '--run', out, '--cache-dir', join(root, '.cache'), '--json');
  assert.equal(ev.status, 0, ev.stderr);
  assert.equal(JSON.parse(ev.stdout).accuracy, summary.accuracy, 'eval rebuilds the WRN from the model file');
});
