// train records what it left out of the dataset: the count in the log and in
// summary.json, the list (file, line, reason) in RUNDIR/skipped.jsonl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeDataset } from '../../src/data/synth/index.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

test('a missing image and a truncated JPEG are counted in the log and summary and listed in skipped.jsonl', { timeout: 120_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'semifer-skipped-'));
  await synthesizeDataset({ out: root, n: 140, format: 'rafdb', size: 32, seed: 8 });
  const images = join(root, 'Image', 'aligned');
  const labels = readFileSync(join(root, 'EmoLabel', 'list_patition_label.txt'), 'utf8').split('\n');
  const missingLine = labels.findIndex((l) => l.startsWith('train_00004.jpg')) + 1;
  rmSync(join(images, 'train_00004_aligned.jpg'));
  const cut = join(images, 'train_00009_aligned.jpg');
  truncateSync(cut, Math.floor(statSync(cut).size / 3));
  const out = mkdtempSync(join(tmpdir(), 'semifer-skipped-run-'));
  const r = spawnSync(process.execPath, [cli, 'train', '--dataset', 'rafdb', '--root', root, '--method', 'supervised', '--labels-per-class', '2', '--model', 'small',
    '--size', '32', '--batch', '4', '--epochs', '1', '--steps-per-epoch', '1', '--cache-dir', join(root, '.cache'), '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /\(2 dataset entries skipped: missing, unreadable or malformed; listed in .*skipped\.jsonl\)/);
  assert.equal(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).skipped, 2);
  const rows = readFileSync(join(out, 'skipped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 2);
  const missing = rows.find((x) => x.line !== null);
  assert.equal(missing.line, missingLine);
  assert.match(missing.file, /list_patition_label\.txt$/);
  assert.match(missing.reason, /train_00004/);
  const corrupt = rows.find((x) => x.line === null);
  assert.match(corrupt.file, /train_00009_aligned\.jpg$/);
  assert.match(corrupt.reason, /could not decode image/);
});
