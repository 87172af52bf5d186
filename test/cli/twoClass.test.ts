// Any class set end to end: a 2-class smile task (GENKI-4K layout) through
// train → eval → report, and the clear errors when a model's classes and a
// dataset's do not fit (resume on another dataset, eval with no class in common).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeGenki } from '../data/labFixtures.js';
import { tinyDataset } from '../train/fixtures.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const semifer = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('a 2-class dataset trains, evaluates and reports with its own class names; mismatches name both class lists', { timeout: 240_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'semifer-genki-'));
  const n = 40;
  await makeGenki(root, Array.from({ length: n }, (_, i) => `${i % 2} 0.1 -0.2 0.05`), Array.from({ length: n }, (_, i) => i + 1));
  const runs = mkdtempSync(join(tmpdir(), 'semifer-2class-'));
  const out = join(runs, 'smile');
  const common = ['--dataset', 'genki4k', '--root', root, '--model', 'small', '--size', '32', '--batch', '4', '--epochs', '1', '--steps-per-epoch', '2',
    '--cache-dir', join(root, '.cache'), '--log-every', '1', '--prefetch', '0', '--quiet'];
  const r = semifer('train', ...common, '--method', 'adacm', '--labels-per-class', '4', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.deepEqual(summary.classes, ['no-smile', 'smile']);

  const ev = semifer('eval', '--run', out, '--cache-dir', join(root, '.cache'), '--json');
  assert.equal(ev.status, 0, ev.stderr);
  const evj = JSON.parse(ev.stdout);
  assert.equal(evj.accuracy, summary.accuracy);
  assert.equal(evj.confusion.length, 2);
  assert.deepEqual(evj.classes, ['no-smile', 'smile']);

  const rep = semifer('report', '--run', out);
  assert.equal(rep.status, 0, rep.stderr);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /no-smile/);
  assert.doesNotMatch(html, /surprise|contempt/, 'no expression class leaks into a smile report');

  // The smile model on a 7-expression dataset: nothing in common, both lists named.
  const seven = await tinyDataset();
  const cross = semifer('eval', '--run', out, '--dataset', 'rafdb', '--root', seven, '--cache-dir', join(seven, '.cache'));
  assert.equal(cross.status, 1);
  assert.match(cross.stderr, /model's classes \[no-smile, smile\] and the dataset's \[neutral, happy, sad, surprise, fear, disgust, anger\] have no class in common/);

  // Resuming the smile run on the 7-class dataset: refused before anything is decoded, the run's dataset and this one named.
  const resume = semifer('train', '--dataset', 'rafdb', '--root', seven, '--model', 'small', '--size', '32', '--batch', '4', '--epochs', '2',
    '--steps-per-epoch', '2', '--cache-dir', join(seven, '.cache'), '--prefetch', '0', '--quiet', '--method', 'adacm', '--labels-per-class', '4', '--out', out, '--resume');
  assert.equal(resume.status, 2);
  assert.match(resume.stderr, /--dataset: rafdb now, genki4k in the run/);

  // A fresh run (--overwrite) in the old folder draws its own split instead of reusing split.json.
  const again = semifer('train', ...common, '--method', 'supervised', '--labels-per-class', '2', '--out', out, '--json', '--overwrite');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(JSON.parse(readFileSync(join(out, 'split.json'), 'utf8')).labelled.length, 2 * 2);
});
