// User errors of a training command line: each exits 2 with one line naming
// the flag, before any image is decoded where the data is not needed to know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDevice, RunConfigError } from '../../src/train/runChecks.js';
import { checkSchedule } from '../../src/train/schedule.js';
import * as torch from '../../src/torch/index.js';
import { tinyDataset } from './fixtures.js';
import { exitCodeOf } from '../../src/cli/errors.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

test('checkDevice and checkSchedule name what is wrong', () => {
  checkDevice('cpu');
  assert.throws(() => checkDevice('gpu'), /--device 'gpu': expected cpu, cuda, cuda:N or lazy/);
  const n = torch.cuda.deviceCount();
  assert.throws(() => checkDevice(`cuda:${n}`), (e: Error) => e instanceof RunConfigError && exitCodeOf(e) === 2 &&
    (n === 0 ? /no CUDA device is available/ : /there (is one CUDA device|are \d+ CUDA devices)/).test(e.message));
  assert.deepEqual(checkSchedule('step:10:0.1'), { kind: 'step', stepSize: 10, gamma: 0.1 });
  assert.throws(() => checkSchedule('step:0:0'), /step size must be a whole number of epochs ≥ 1, got 0/);
  assert.throws(() => checkSchedule('step:2:0'), /gamma must be greater than 0, got 0/);
  assert.throws(() => checkSchedule('exponential:'), /gamma must be a number/);
  assert.throws(() => checkSchedule('cosine:-1'), /eta_min must be ≥ 0/);
});

test('train: bad device, schedule, batch, pretrained file and seed exit 2 with the flag named, no stack', { timeout: 120_000 }, async () => {
  const root = await tinyDataset();
  const tmp = mkdtempSync(join(tmpdir(), 'semifer-runchecks-'));
  const garbage = join(tmp, 'weights.pth');
  writeFileSync(garbage, 'this is not a checkpoint');
  const cache = join(tmp, 'cache');
  const run = (extra: string[], cacheDir = join(root, '.cache')) => spawnSync(process.execPath, [cli, 'train', '--dataset', 'rafdb', '--root', root,
    '--method', 'supervised', '--labels-per-class', '5', '--model', 'small', '--size', '32', '--batch', '8', '--epochs', '1', '--steps-per-epoch', '1',
    '--cache-dir', cacheDir, '--out', mkdtempSync(join(tmp, 'run-')), '--quiet', ...extra], { encoding: 'utf8' });
  const cases: [string[], RegExp, string?][] = [
    [['--device', 'cuda:7'], /--device cuda:7: (no CUDA device is available|there)/, cache],
    [['--schedule', 'step:0:0'], /--schedule: schedule 'step:0:0': step size must be a whole number of epochs ≥ 1, got 0/, cache],
    [['--pretrained', join(tmp, 'missing.pth')], /--pretrained .*missing\.pth: no such file/, cache],
    [['--batch', '100000'], /--batch 100000 is larger than the labelled set \(35 images with labels 'n:5'\); use --batch 35 or less/],
    [['--pretrained', garbage], /--pretrained .*weights\.pth: cannot read the weights/],
    [['--seed', '99999999999999999999'], /--seed: expected an integer in \[0, 4294967295\], got '99999999999999999999'/, cache],
  ];
  for (const [extra, message, cacheDir] of cases) {
    const r = run(extra, cacheDir);
    assert.equal(r.status, 2, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, extra.join(' '));
    assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, extra.join(' '));
    if (cacheDir) assert.ok(!existsSync(cacheDir), `${extra.join(' ')}: refused before decoding`);
  }
});
