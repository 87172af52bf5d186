// `semifer train --folds K` through the compiled CLI on a generated CK+-style
// dataset: fold folders, the per-fold and mean ± std summary, --resume of a
// finished and an unfinished fold, and the error paths.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ckplusDataset, type CkplusFixture } from '../train/ckplusFixture.js';
import { tinyDataset } from '../train/fixtures.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

function semifer(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

let fx: CkplusFixture;
let runs: string;
before(async () => {
  fx = await ckplusDataset({ subjects: 6, size: 24 });
  runs = mkdtempSync(join(tmpdir(), 'semifer-folds-'));
});

const common = (root: string, out: string, o: { dataset?: string; perClass?: number } = {}) => ['train', '--dataset', o.dataset ?? 'ckplus', '--root', root,
  '--method', 'supervised', '--labels-per-class', String(o.perClass ?? 2),
  '--model', 'small', '--size', '32', '--batch', '4', '--epochs', '1', '--steps-per-epoch', '2', '--cache-dir', join(root, '.cache'),
  '--log-every', '1', '--prefetch', '0', '--out', out];

test('--folds 2: one run per fold, per-fold results and mean ± std in RUNDIR/summary.json; --resume', { timeout: 180_000 }, () => {
  const out = join(runs, 'two');
  const r = semifer(...common(fx.root, out), '--folds', '2', '--json');
  assert.equal(r.status, 0, r.stderr);
  const printed = JSON.parse(r.stdout);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.deepEqual(printed, summary, '--json prints RUNDIR/summary.json');
  assert.equal(summary.kind, 'subject-k-fold');
  assert.equal(summary.folds, 2);
  assert.equal(summary.perFold.length, 2);
  for (const k of [1, 2]) {
    const dir = join(out, `fold-${k}`);
    for (const f of ['metrics.jsonl', 'summary.json', 'model.safetensors', 'checkpoint-last.safetensors', 'split.json', 'config.json']) {
      assert.ok(existsSync(join(dir, f)), `fold-${k}/${f}`);
    }
    const fold = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const row = summary.perFold[k - 1];
    assert.equal(row.fold, k);
    assert.equal(row.run, `fold-${k}`);
    assert.equal(row.accuracy, fold.accuracy);
    assert.equal(row.meanClassAccuracy, fold.meanClassAccuracy);
    assert.equal(row.numLabelled, 7 * 2, 'labels-per-class applies within the training folds');
    // eval --run of a fold scores that fold's test subjects, as training did.
    const ev = semifer('eval', '--run', dir, '--cache-dir', join(fx.root, '.cache'), '--json');
    assert.equal(ev.status, 0, ev.stderr);
    assert.equal(JSON.parse(ev.stdout).accuracy, fold.accuracy, `eval reproduces fold ${k}'s accuracy`);
    assert.equal(JSON.parse(ev.stdout).images, row.numTest);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).fold, { k, folds: 2 });
    // The labelled and unlabelled images of fold k are none of fold k's subjects.
    const split = JSON.parse(readFileSync(join(dir, 'split.json'), 'utf8'));
    const own = new Set<string>(row.subjects);
    for (const id of [...split.labelled, ...split.unlabelled]) assert.ok(!own.has(id.split('/')[1]), `${id} is not a test subject of fold ${k}`);
  }
  assert.equal(summary.perFold[0].numTest + summary.perFold[1].numTest, fx.images, 'every image is tested once');
  const subjects = summary.perFold.flatMap((f: { subjects: string[] }) => f.subjects);
  assert.deepEqual([...subjects].sort(), fx.subjects, 'each subject in exactly one fold');
  const accs: number[] = summary.perFold.map((f: { accuracy: number }) => f.accuracy);
  const mean = (accs[0]! + accs[1]!) / 2;
  assert.ok(Math.abs(summary.accuracy.mean - mean) < 1e-12);
  assert.ok(Math.abs(summary.accuracy.std - Math.abs(accs[0]! - accs[1]!) / Math.SQRT2) < 1e-12, 'sample std of two values');
  assert.ok(Number.isFinite(summary.meanClassAccuracy.mean) && Number.isFinite(summary.meanClassAccuracy.std));
  assert.ok(existsSync(join(out, 'folds.json')));

  // Fold 2 "was interrupted" after its last checkpoint: --resume keeps fold 1 and finishes fold 2 from its checkpoint.
  rmSync(join(out, 'fold-2', 'summary.json'));
  const again = semifer(...common(fx.root, out), '--folds', '2', '--resume');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /fold 1\/2: accuracy [\d.]+% \(finished earlier\)/);
  assert.match(again.stderr, /fold 2\/2: testing on \d+ subjects \(\d+ images\), resuming/);
  assert.match(again.stdout, /^fold\s+subjects\s+test/m);
  assert.match(again.stdout, /^mean ± std\s/m);
  assert.match(again.stdout, /accuracy [\d.]+% ± [\d.]+%/);
  const resumed = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.deepEqual(resumed.perFold, summary.perFold, 'resuming reproduces the folds');

  const otherK = semifer(...common(fx.root, out), '--folds', '3', '--resume');
  assert.equal(otherK.status, 2);
  assert.match(otherK.stderr, /was planned with --folds 2 --seed 0, not --folds 3 --seed 0/);
});

test('without --folds a lab dataset is held out by subject, and eval --run scores that holdout', { timeout: 120_000 }, () => {
  const out = join(runs, 'holdout');
  const r = semifer(...common(fx.root, out), '--json');
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  const split = JSON.parse(readFileSync(join(out, 'split.json'), 'utf8'));
  const trainIds: string[] = [...split.labelled, ...split.unlabelled, ...(split.validation ?? [])]; // validation: held out of the training split
  const trainSubjects = new Set<string>(trainIds.map((id: string) => id.split('/')[1]!));
  const ev = semifer('eval', '--run', out, '--cache-dir', join(fx.root, '.cache'), '--json');
  assert.equal(ev.status, 0, ev.stderr);
  const evj = JSON.parse(ev.stdout);
  assert.equal(evj.accuracy, summary.accuracy, 'eval reproduces the summary');
  assert.ok(evj.images > 0 && evj.images + trainIds.length === fx.images, 'holdout + training = every image');
  assert.ok(trainSubjects.size < 6, 'some subjects are held out entirely');
});

test('--folds errors: a dataset without subjects, more folds than subjects, a label budget a fold cannot meet', { timeout: 120_000 }, async () => {
  const raf = await tinyDataset();
  const noSubjects = semifer(...common(raf, join(runs, 'raf'), { dataset: 'rafdb' }), '--folds', '5');
  assert.equal(noSubjects.status, 2, noSubjects.stderr);
  assert.match(noSubjects.stderr, /--folds needs subject ids .* the rafdb dataset at .* has none; formats with subject ids: ckplus, jaffe, kdef, rafd/);
  assert.ok(!existsSync(join(runs, 'raf', 'fold-1')), 'nothing trained');

  const tooMany = semifer(...common(fx.root, join(runs, 'many')), '--folds', '7');
  assert.equal(tooMany.status, 2);
  assert.match(tooMany.stderr, /--folds 7: the ckplus dataset at .* has 6 subject\(s\), fewer than the folds; use --folds 6 or fewer/);

  const budget = semifer(...common(fx.root, join(runs, 'budget'), { perClass: 9 }), '--folds', '2');
  assert.equal(budget.status, 2, budget.stderr);
  assert.match(budget.stderr, /fold 1 of 2 trains on the \d+ images of the other fold\(s\): class '\w+' has \d+ training samples but 9 are asked for/);
  assert.ok(!existsSync(join(runs, 'budget', 'fold-1')), 'nothing trained');

  const resumeNothing = semifer(...common(fx.root, join(runs, 'none')), '--folds', '2', '--resume');
  assert.equal(resumeNothing.status, 2);
  assert.match(resumeNothing.stderr, /--resume: .*none holds no k-fold run/);
});
