// A run's own config.json goes back through `semifer train --config`: the
// recorded metadata is ignored, the keys without a flag of their own map back
// to flags, and the rerun writes the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOptionsDetailed } from '../../src/cli/options/index.js';
import { UsageError } from '../../src/cli/errors.js';
import { TRAIN_OPTIONS } from '../../src/cli/commands/trainOptions.js';
import { trainConfigEntries } from '../../src/cli/commands/trainConfigFile.js';
import { tinyDataset } from '../train/fixtures.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

test('config.json keys map back to flags; metadata is ignored; a no-flag key off its default is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-cfgjson-'));
  const file = join(dir, 'config.json');
  const doc = {
    dataset: 'imagefolder', root: '/data/x', method: 'fixmatch', out: '/runs/a', labels: 'n:4', model: 'small', size: 32,
    unlabelled: { dataset: 'unlabelled', root: '/data/u' }, readerOptions: { classes: ['a', 'b', 'c'] }, hyper: { threshold: 0.9, lambdaU: 2 },
    pretrained: null, warmupSteps: 0, evalBatch: 128, command: 'semifer train …', startTime: '2026-12-06T00:00:00.000Z',
  };
  writeFileSync(file, JSON.stringify(doc));
  const { values } = resolveOptionsDetailed(TRAIN_OPTIONS, [], { configFile: file, configEntries: trainConfigEntries });
  const v = values as Record<string, unknown>;
  assert.equal(v.unlabelledDataset, 'unlabelled');
  assert.equal(v.unlabelledRoot, '/data/u');
  assert.equal(v.classes, 'a,b,c');
  assert.equal(v.hyper, 'threshold=0.9,lambdaU=2');
  assert.equal(v.labels, 'n:4');
  assert.equal(v.warmupSteps, 0, 'warmupSteps has its flag, --warmup-steps');
  writeFileSync(file, JSON.stringify({ ...doc, evalBatch: 64 }));
  assert.throws(() => resolveOptionsDetailed(TRAIN_OPTIONS, [], { configFile: file, configEntries: trainConfigEntries }),
    (e: Error) => e instanceof UsageError && /config\.json:1: unknown key 'evalBatch'/.test(e.message));
  // Without the command's mapping (as before): the run's own file was refused.
  writeFileSync(file, JSON.stringify(doc));
  assert.throws(() => resolveOptionsDetailed(TRAIN_OPTIONS, [], { configFile: file }), /unknown key 'command'/);
});

test('train --config RUNDIR/config.json --out OTHER reruns the same run', { timeout: 120_000 }, async () => {
  const root = await tinyDataset();
  const a = mkdtempSync(join(tmpdir(), 'semifer-cfgjson-a-'));
  const b = mkdtempSync(join(tmpdir(), 'semifer-cfgjson-b-'));
  const first = spawnSync(process.execPath, [cli, 'train', '--dataset', 'rafdb', '--root', root, '--method', 'fixmatch', '--labels-per-class', '3', '--model', 'small',
    '--size', '32', '--batch', '4', '--epochs', '1', '--steps-per-epoch', '2', '--threshold', '0.7', '--lr', '0.001', '--seed', '9',
    '--cache-dir', join(root, '.cache'), '--out', a, '--quiet'], { encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  const again = spawnSync(process.execPath, [cli, 'train', '--config', join(a, 'config.json'), '--out', b, '--quiet'], { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  const strip = (dir: string) => {
    const c = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    for (const k of ['out', 'command', 'startTime']) delete c[k];
    return c;
  };
  assert.deepEqual(strip(b), strip(a));
  assert.ok(readFileSync(join(a, 'model.safetensors')).equals(readFileSync(join(b, 'model.safetensors'))));
  // The file names its own folder: without --out it is refused there (a finished run), not overwritten.
  const same = spawnSync(process.execPath, [cli, 'train', '--config', join(a, 'config.json'), '--quiet'], { encoding: 'utf8' });
  assert.equal(same.status, 2, same.stderr);
  assert.match(same.stderr, /is not empty/);
});
