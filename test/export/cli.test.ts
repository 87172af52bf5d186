// `semifer export` through the compiled CLI on run folders made by saving a
// fresh model with saveModelFile (no training): ONNX checked on generated
// images, TF.js on the test images of the run's (tiny synthetic) dataset, and
// the failures a user meets: no run, no model file, bad format, unwritable out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { saveModelFile } from '../../src/models/modelFile.js';
import { synthesizeDataset } from '../../src/data/synth/index.js';
import { readOnnxSemiferMetadata } from '../../src/export/index.js';
import { exportableModel, CLASSES } from './fixtures.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const semifer = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

const SIZE = 32;
const tmp = mkdtempSync(join(tmpdir(), 'semifer-export-cli-'));

/** A run folder holding only model.safetensors (and config.json when given). */
function makeRun(name: string, config?: object): string {
  const run = join(tmp, name);
  mkdirSync(run, { recursive: true });
  torch.setNumThreads(1);
  const model = exportableModel({ arch: 'small', head: 'scn' }, SIZE);
  saveModelFile(join(run, 'model.safetensors'), model, { classes: CLASSES, size: SIZE, arch: 'small', method: 'scn' });
  model.dispose();
  if (config) writeFileSync(join(run, 'config.json'), JSON.stringify(config));
  return run;
}

test('semifer export --format onnx --json: the file, its metadata and the check on generated images', { timeout: 60_000 }, () => {
  const run = makeRun('bare');
  const out = join(tmp, 'exports', 'scn.onnx');
  const r = semifer('export', run, '--format', 'onnx', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.ok, true);
  assert.equal(doc.path, out);
  assert.match(doc.check.source, /generated/);
  assert.ok(doc.check.maxAbsDiffProbabilities < 1e-4);
  assert.equal(doc.metadata.model.head, 'scn');
  assert.deepEqual(readOnnxSemiferMetadata(readFileSync(out), out), doc.metadata);
});

test('semifer export --format tfjs: a model folder, checked on the run dataset\'s test images', { timeout: 120_000 }, async () => {
  const root = join(tmp, 'faces');
  await synthesizeDataset({ out: root, n: 28, format: 'rafdb', size: SIZE, seed: 5 });
  const run = makeRun('with-data', { dataset: 'rafdb', root });
  const out = join(tmp, 'web', 'scn');
  const r = semifer('export', '--run', run, '--format', 'tfjs', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^TensorFlow\.js: .*model\.json \(\d.* small, scn head, 7 classes, 32 px NHWC\)$/m);
  assert.match(r.stdout, /^check: \d+ rafdb test images from .*: max \|Δ probability\| \d\.\de-\d+/m);
  assert.ok(existsSync(join(out, 'model.json')) && existsSync(join(out, 'group1-shard1of1.bin')));
});

test('semifer export: clear errors and exit codes', { timeout: 60_000 }, () => {
  const missing = semifer('export', '--run', join(tmp, 'nope'), '--format', 'onnx', '--out', join(tmp, 'x.onnx'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope: no such run folder/);

  const empty = join(tmp, 'empty-run');
  mkdirSync(empty);
  const noModel = semifer('export', '--run', empty, '--format', 'onnx', '--out', join(tmp, 'x.onnx'));
  assert.equal(noModel.status, 1);
  assert.match(noModel.stderr, /model\.safetensors: no model file/);

  const badFormat = semifer('export', '--run', empty, '--format', 'keras', '--out', join(tmp, 'x'));
  assert.equal(badFormat.status, 2);
  assert.match(badFormat.stderr, /--format.*keras/);

  const run = makeRun('for-unwritable');
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'not a folder');
  const unwritable = semifer('export', '--run', run, '--format', 'onnx', '--out', join(file, 'model.onnx'), '--json');
  assert.equal(unwritable.status, 1);
  const doc = JSON.parse(unwritable.stdout);
  assert.equal(doc.ok, false);
  assert.match(doc.error.message, /a-file: cannot write the export: (EEXIST|ENOTDIR)/);
});
