// --resume refuses a flag that changes the run (naming it with both values,
// exit 2), accepts and records the ones that only extend it, and falls back to
// checkpoint-best when checkpoint-last is corrupt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/train/config.js';
import { checkResumeConfig, ResumeMismatchError } from '../../src/train/resumeCheck.js';
import { tinyDataset } from './fixtures.js';
import { exitCodeOf } from '../../src/cli/errors.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

test('checkResumeConfig: meaning-changing keys are refused together, allowed ones returned', () => {
  const saved = defaultConfig({ dataset: 'rafdb', root: 'a', method: 'adacm', out: 'r', seed: 11, batch: 8, hyper: { threshold: 0.9, scale: 0.97 } });
  const same = { ...saved, hyper: { scale: 0.97, threshold: 0.9 }, out: 'other/path' };
  assert.deepEqual(checkResumeConfig(saved as never, same), []);
  assert.deepEqual(checkResumeConfig(saved as never, { ...saved, epochs: 30, root: 'b' }), [
    { key: 'epochs', from: 20, to: 30 }, { key: 'root', from: 'a', to: 'b' },
  ].sort((x, y) => Object.keys(saved).indexOf(x.key) - Object.keys(saved).indexOf(y.key)));
  assert.throws(() => checkResumeConfig(saved as never, { ...saved, lr: 0.1, seed: 3, method: 'fixmatch', epochs: 30 }), (e: Error) => {
    assert.ok(e instanceof ResumeMismatchError);
    assert.equal(exitCodeOf(e), 2);
    assert.match(e.message, /--method: fixmatch now, adacm in the run/);
    assert.match(e.message, /--lr: 0\.1 now, 0\.0005 in the run/);
    assert.match(e.message, /--seed: 3 now, 11 in the run/);
    assert.doesNotMatch(e.message, /--epochs/);
    return true;
  });
});

test('train --resume: changed flags refused, --epochs recorded, corrupt checkpoint-last falls back to checkpoint-best', { timeout: 180_000 }, async () => {
  const root = await tinyDataset();
  const out = mkdtempSync(join(tmpdir(), 'semifer-resumecheck-'));
  const argv = (...extra: string[]) => [cli, 'train', '--dataset', 'rafdb', '--root', root, '--method', 'supervised', '--labels-per-class', '3', '--model', 'small',
    '--size', '32', '--batch', '8', '--steps-per-epoch', '2', '--seed', '4', '--cache-dir', join(root, '.cache'), '--out', out, '--quiet', ...extra];
  const run = (...extra: string[]) => spawnSync(process.execPath, argv(...extra), { encoding: 'utf8' });
  assert.equal(run('--epochs', '1').status, 0);

  const changed = spawnSync(process.execPath, argv('--epochs', '1', '--resume', '--lr', '0.1').map((a) => (a === '3' ? '5' : a)), { encoding: 'utf8' });
  assert.equal(changed.status, 2, changed.stderr);
  assert.match(changed.stderr, /--lr: 0\.1 now, 0\.0005 in the run/);
  assert.match(changed.stderr, /--labels \(or --labels-per-class \/ --label-fraction\): n:5 now, n:3 in the run/);
  assert.doesNotMatch(changed.stderr, /unexpected|\n\s+at /);

  const extended = run('--epochs', '2', '--resume');
  assert.equal(extended.status, 0, extended.stderr);
  assert.match(extended.stderr, /--epochs is 2 now \(1 in the run\); recorded in resumes\.jsonl/);
  const record = JSON.parse(readFileSync(join(out, 'resumes.jsonl'), 'utf8').trim().split('\n').at(-1)!);
  assert.deepEqual(record.changes, [{ key: 'epochs', from: 1, to: 2 }]);
  assert.equal(record.nextStep, 2);

  const last = join(out, 'checkpoint-last.safetensors');
  truncateSync(last, statSync(last).size - 1000);
  const fallback = run('--epochs', '3', '--resume');
  assert.equal(fallback.status, 0, fallback.stderr);
  assert.match(fallback.stderr, /checkpoint-last is unusable \(.*checkpoint-last\.safetensors.*\); resuming from .*checkpoint-best\.safetensors/);

  for (const f of ['checkpoint-last.safetensors', 'checkpoint-best.safetensors']) writeFileSync(join(out, f), 'not a checkpoint');
  const broken = run('--epochs', '4', '--resume');
  assert.equal(broken.status, 2, broken.stderr);
  assert.match(broken.stderr, /no usable checkpoint in .*checkpoint-last\.safetensors.*checkpoint-best\.safetensors/s);
  assert.doesNotMatch(broken.stderr, /unexpected|\n\s+at /);
});
