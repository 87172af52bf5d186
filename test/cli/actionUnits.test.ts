// `semifer train --task au` through the compiled CLI on a CK+ fixture in the
// published layout with FACS files (test/train/ckplusFixture.ts): the run
// folder, the model file's task and AU list, eval's per-AU F1 against a hand
// computation from the saved predictions, the report's AU section, --resume,
// and the refusals (no AU labels, a semi-supervised method, an AU model where
// an expression classifier is needed).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ckplusDataset, FIXTURE_AUS, type CkplusFixture } from '../train/ckplusFixture.js';
import { runAndStop } from '../train/runAndStop.js';
import { loadSafetensors } from '../../src/torch/index.js';

const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const semifer = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

let fx: CkplusFixture;
let plain: CkplusFixture;
let runs: string;
before(async () => {
  fx = await ckplusDataset({ subjects: 8, size: 24, facs: true });
  plain = await ckplusDataset({ subjects: 3, size: 24 });
  runs = mkdtempSync(join(tmpdir(), 'semifer-au-'));
});

const trainArgs = (root: string, out: string, epochs = 2) => ['train', '--task', 'au', '--dataset', 'ckplus', '--root', root, '--method', 'supervised',
  '--model', 'small', '--size', '32', '--batch', '4', '--epochs', String(epochs), '--steps-per-epoch', '3', '--cache-dir', join(root, '.cache'),
  '--log-every', '1', '--prefetch', '0', '--out', out];

/** Per-AU precision/recall/F1 counted from au-predictions.csv, the plain way. */
function handScores(csv: string) {
  const [header, ...rows] = csv.trim().split('\n').map((l) => l.split(','));
  const aus = header!.slice(1).filter((h) => !h.endsWith('_true'));
  return aus.map((name) => {
    const p = header!.indexOf(name), t = header!.indexOf(`${name}_true`);
    let tp = 0, fp = 0, fn = 0;
    for (const r of rows) {
      const pred = Number(r[p]) >= 0.5, truth = r[t] === '1';
      if (pred && truth) tp++;
      else if (pred) fp++;
      else if (truth) fn++;
    }
    const precision = tp + fp ? tp / (tp + fp) : 0, recall = tp + fn ? tp / (tp + fn) : 0;
    return { name, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, coded: tp + fn, predicted: tp + fp, images: rows.length };
  });
}

test('train --task au: run folder, model file with task and AUs, eval per-AU F1 = hand computation from au-predictions.csv, report', { timeout: 240_000 }, () => {
  const out = join(runs, 'au');
  const r = semifer(...trainArgs(fx.root, out), '--json');
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.deepEqual(JSON.parse(r.stdout), summary);
  // The AUs coded in the fixture (all emotions appear in every subject's sequences, so in the training subjects).
  const all = [...new Set(Object.values(FIXTURE_AUS).flat().map(([au]) => au))].sort((a, b) => a - b);
  assert.deepEqual(summary.actionUnits, all);
  assert.equal(summary.task, 'au');
  assert.equal(summary.posWeight, 'balanced');
  // Only FACS-coded (peak) frames: one per sequence; 8 subjects × 6 labelled sequences (odd subjects lack surprise)
  // and one coded sequence without an emotion file each, which AU runs read too.
  assert.equal(summary.numTrain + summary.numValidation + summary.numTest, 8 * 6 - 4 + 8);
  assert.equal(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).readerOptions.uncodedEmotions, true);
  for (const f of ['config.json', 'metrics.jsonl', 'checkpoint-last.safetensors', 'checkpoint-best.safetensors', 'model.safetensors', 'au-predictions.csv', 'eval.json']) assert.ok(existsSync(join(out, f)), f);
  const meta = JSON.parse(loadSafetensors(join(out, 'model.safetensors')).metadata.semifer!);
  assert.equal(meta.task, 'au');
  assert.deepEqual(meta.actionUnits, all);
  assert.deepEqual(meta.classes, all.map((a) => `AU${a}`));
  // Selection by validation mean F1: checkpoint-best's epoch holds the highest epoch value.
  const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((row) => row.kind === 'epoch');
  assert.equal(epochs.length, 2);
  const bestF1 = Math.max(...epochs.map((e) => e.actionUnits.meanF1));
  assert.equal(summary.best.meanF1, bestF1);
  assert.equal(epochs[summary.best.epoch - 1].actionUnits.meanF1, bestF1);

  const hand = handScores(readFileSync(join(out, 'au-predictions.csv'), 'utf8'));
  const ev = semifer('eval', '--run', out, '--cache-dir', join(fx.root, '.cache'), '--json');
  assert.equal(ev.status, 0, ev.stderr);
  const e = JSON.parse(ev.stdout);
  assert.equal(e.task, 'au');
  assert.equal(e.images, hand[0]!.images);
  assert.equal(e.perAu.length, hand.length);
  hand.forEach((h, k) => {
    const got = e.perAu[k];
    assert.equal(`AU${got.au}`, h.name);
    for (const key of ['precision', 'recall', 'f1'] as const) assert.ok(Math.abs(got[key] - h[key]) < 1e-12, `${h.name} ${key}: eval ${got[key]} vs hand ${h[key]}`);
    assert.equal(got.support, h.coded);
    assert.equal(got.predicted, h.predicted);
  });
  const scored = hand.filter((h) => h.coded > 0 || h.predicted > 0);
  assert.ok(Math.abs(e.meanF1 - scored.reduce((s, h) => s + h.f1, 0) / scored.length) < 1e-12, 'mean F1 over the AUs coded or predicted');
  assert.ok(Math.abs(e.meanF1 - summary.meanF1) < 1e-12, 'eval --run scores the run\'s own test subjects');
  const text = semifer('eval', '--run', out, '--cache-dir', join(fx.root, '.cache'));
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /AU12 /);
  assert.match(text.stdout, /mean F1 +\d+\.\d\d %/);

  const rep = semifer('report', '--run', out);
  assert.equal(rep.status, 0, rep.stderr);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /data-table="action-units"/);
  assert.ok(html.includes(`data-mean-f1>${(100 * e.meanF1).toFixed(2)}%`), 'the report shows eval\'s mean F1');

  // An AU model is no expression classifier: export refuses it as bad input.
  const ex = semifer('export', '--run', out, '--format', 'onnx', '--out', join(runs, 'au.onnx'));
  assert.equal(ex.status, 2, ex.stderr);
  assert.match(ex.stderr, /action-unit model/);
});

test('train --task au --resume: a finished run continues from checkpoint-last to more epochs', { timeout: 240_000 }, () => {
  const out = join(runs, 'resume');
  assert.equal(semifer(...trainArgs(fx.root, out, 1)).status, 0);
  const r = semifer(...trainArgs(fx.root, out, 2), '--resume', '--json');
  assert.equal(r.status, 0, r.stderr);
  const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((row) => row.kind === 'epoch');
  assert.deepEqual(epochs.map((e) => e.epoch), [1, 2]);
  assert.ok(existsSync(join(out, 'resumes.jsonl')));
});

test('train --task au: Ctrl-C mid-epoch saves a checkpoint, and --resume ends with the model of a run never stopped', { timeout: 240_000 }, async () => {
  const straight = join(runs, 'au-straight');
  assert.equal(semifer(...trainArgs(fx.root, straight, 2)).status, 0);
  const out = join(runs, 'au-stopped');
  const stopped = await runAndStop(cli, trainArgs(fx.root, out, 2), out, 3, 'SIGINT');
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.match(stopped.stderr, /checkpoint saved to .*checkpoint-last\.safetensors/);
  assert.ok(!existsSync(join(out, 'summary.json')), 'the run did not finish');
  assert.equal(semifer(...trainArgs(fx.root, out, 2), '--resume').status, 0);
  assert.ok(readFileSync(join(out, 'model.safetensors')).equals(readFileSync(join(straight, 'model.safetensors'))), 'model.safetensors differs from the uninterrupted run');
});

test('train --task au refuses: a dataset without AU labels, a semi-supervised method, --folds (exit 2, no stack trace)', { timeout: 120_000 }, () => {
  const none = semifer(...trainArgs(plain.root, join(runs, 'none')));
  assert.equal(none.status, 2, none.stderr);
  assert.match(none.stderr, new RegExp(`${plain.root}: the ckplus dataset has no action-unit labels`));
  assert.doesNotMatch(none.stderr, /\n\s+at /);
  const adacm = semifer(...trainArgs(fx.root, join(runs, 'adacm')).map((a) => (a === 'supervised' ? 'adacm' : a)));
  assert.equal(adacm.status, 2);
  assert.match(adacm.stderr, /--task au trains with --method supervised only \(got adacm\)/);
  const folds = semifer(...trainArgs(fx.root, join(runs, 'folds')), '--folds', '2');
  assert.equal(folds.status, 2);
  assert.match(folds.stderr, /--task au and --folds/);
});
