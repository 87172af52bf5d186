/**
 * The label protocol is parsed once, from the flags, before any image is
 * decoded: a malformed --labels is a usage error (exit 2) naming the flag,
 * and 'all' is a kind of LabelSpec like the others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveOptions } from '../../src/cli/options/index.js';
import { TRAIN_OPTIONS } from '../../src/cli/commands/trainOptions.js';
import { trainConfigFrom } from '../../src/cli/commands/train.js';
import { exitCodeOf, UsageError } from '../../src/cli/errors.js';
import { parseLabelSpec, describeLabelSpec, labelCounts, splitLabelled } from '../../src/data/splits.js';
import { train, defaultConfig } from '../../src/train/index.js';
import { RunConfigError } from '../../src/train/runChecks.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const base = ['--dataset', 'rafdb', '--root', 'data/none', '--out', 'runs/none'];

test("'all' is a LabelSpec: every sample labelled, in input order, counts = what is available", () => {
  assert.deepEqual(parseLabelSpec(' all '), { kind: 'all' });
  assert.equal(describeLabelSpec({ kind: 'all' }), 'all');
  assert.deepEqual(labelCounts({ kind: 'all' }, ['a', 'b'], [3, 5]), [3, 5]);
  const samples = [{ id: 'x', label: 1 }, { id: 'y', label: 0 }, { id: 'z', label: -1 }] as never;
  assert.deepEqual(splitLabelled(samples, ['a', 'b'], { kind: 'all' }, 7), { seed: 7, protocol: 'all', labelled: ['x', 'y', 'z'], unlabelled: [] });
});

test('the flags give the config one protocol string; unset: the default', async () => {
  const cfg = async (argv: string[]) => (await trainConfigFrom(resolveOptions(TRAIN_OPTIONS, [...base, ...argv]))).labels;
  assert.equal(await cfg(['--labels-per-class', '25']), 'n:25');
  assert.equal(await cfg(['--label-fraction', '0.05']), 'fraction:0.05');
  assert.equal(await cfg(['--labels', 'counts:fear=10,happy=15']), 'counts:fear=10,happy=15');
  assert.equal(await cfg(['--labels', 'all']), 'all');
  assert.equal(await cfg([]), defaultConfig({ dataset: '', root: '', method: '', out: '' }).labels);
});

test('a malformed --labels is a UsageError from the flags, and a RunConfigError from the API before any image is read', async () => {
  await assert.rejects(trainConfigFrom(resolveOptions(TRAIN_OPTIONS, [...base, '--labels', 'n:ten'])), (e: Error) => e instanceof UsageError && /^--labels: unknown label protocol 'n:ten'/.test(e.message));
  const out = mkdtempSync(join(tmpdir(), 'semifer-labels-'));
  try {
    // The root does not exist: reading the data would fail differently, so this error comes first.
    await assert.rejects(train(defaultConfig({ dataset: 'rafdb', root: join(out, 'nowhere'), method: 'supervised', out: join(out, 'run'), labels: 'counts:fear' })),
      (e: Error) => e instanceof RunConfigError && exitCodeOf(e) === 2 && /^--labels: label protocol 'counts:fear'/.test(e.message));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('semifer train --labels with a typo exits 2 with one line and no stack trace', () => {
  const out = mkdtempSync(join(tmpdir(), 'semifer-labels-'));
  try {
    const r = spawnSync(process.execPath, [MAIN, 'train', '--dataset', 'rafdb', '--root', join(out, 'nowhere'), '--out', join(out, 'run'), '--labels', 'fractoin:0.1'], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--labels: unknown label protocol 'fractoin:0.1'/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
