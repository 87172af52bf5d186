// `semifer demo` end to end on a few generated faces: the README's main job
// generates its faces, trains each method, and writes the comparison. The
// face-pretrained backbone runs when it is in the model cache (a test never
// fetches 144 MB); the defaults' protocol itself is measured in docs/results.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installState, modelsCacheDir } from '../../src/models/pretrained/cache.js';
import { pretrainedByName } from '../../src/models/pretrained/catalog.js';
import { loadModelFile } from '../../src/models/index.js';
import { GraphBackbone } from '../../src/models/tfjs/graphBackbone.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const semifer = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, SEMIFER_NUM_THREADS: '1' } });
const dir = mkdtempSync(join(tmpdir(), 'semifer-demo-'));
const short = ['--data', join(dir, 'faces'), '--n', '280', '--labels-per-class', '4', '--epochs', '1', '--steps-per-epoch', '2', '--json'];

test('demo: generates the faces, trains each method with default flags, writes reports and the comparison', { timeout: 300_000 }, () => {
  const out = join(dir, 'small');
  const r = semifer('demo', ...short, '--out', out, '--methods', 'supervised', '--methods', 'dta-snl');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { runs: string[]; rows: unknown[]; compare: string };
  assert.deepEqual(j.runs, [join(out, 'supervised'), join(out, 'dta-snl')]);
  assert.ok(existsSync(j.compare));
  for (const run of j.runs) {
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as { model: string; size: number; pretrained: string | null };
    assert.deepEqual([config.model, config.size, config.pretrained], ['small', 32, null]);
    assert.ok(existsSync(join(run, 'report.html')));
  }
});

test('demo: an unknown --backbone is a usage error', () => {
  const r = semifer('demo', ...short, '--out', join(dir, 'bad'), '--backbone', 'resnet18');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /backbone/);
});

const mfn = pretrainedByName('mobilefacenet')!;
const skip = installState(mfn).state === 'installed' ? false : `mobilefacenet not in ${modelsCacheDir()} (semifer models add mobilefacenet)`;
test('demo --backbone mobilefacenet: the face-pretrained network at 64 px, its BNs calibrated and the crop padding scaled', { skip, timeout: 300_000 }, () => {
  const out = join(dir, 'mfn');
  const r = semifer('demo', ...short, '--out', out, '--methods', 'supervised', '--backbone', 'mobilefacenet');
  assert.equal(r.status, 0, r.stderr);
  const run = join(out, 'supervised');
  const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as { model: string; size: number; pretrained: string };
  assert.deepEqual([config.model, config.size], ['mobilefacenet', 64]);
  assert.match(config.pretrained, /human-models:mobilefacenet$/);
  const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { defaults: { cropPadding: number } };
  assert.equal(summary.defaults.cropPadding, 2, '8 px × 64/224, rounded');
  const { model } = loadModelFile(join(run, 'model.safetensors'));
  assert.ok(model.backbone instanceof GraphBackbone);
  assert.equal(model.backbone.frozenBatchNorm, false, 'the BNs were calibrated and trained');
});
