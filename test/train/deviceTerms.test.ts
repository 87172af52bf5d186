// Loss terms stay on the device between log steps; divergence is still caught
// at the step where it happened, and a diverged run keeps its last good checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../../src/torch/index.js';
import { DeviceTerms, averageRead, type TermsRead } from '../../src/train/deviceTerms.js';
import { train, defaultConfig, TrainingDivergedError } from '../../src/train/index.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { tinyDataset } from './fixtures.js';
import { exitCodeOf } from '../../src/cli/errors.js';

const s = (v: number) => torch.scalarTensor(v);

test('the latest terms and statistics come back at a read; the first non-finite step since the previous read is reported', () => {
  const before = torch.memory().tensors;
  const log = new DeviceTerms();
  torch.tidy(() => {
    log.record(0, { total: s(3), Lx: s(1) }, { maskRate: torch.tensor([0.25]).mean(), thresholds: [0.5, 0.6], subsetI: 2 });
    log.record(1, { total: s(2), Lx: s(0.5) });
  });
  assert.deepEqual(log.read(), { terms: { total: 2, Lx: 0.5 }, stats: {} });
  torch.tidy(() => {
    log.record(2, { total: s(2), Lx: s(NaN) }, { maskRate: torch.tensor([0.25, 0.75]).mean(), thresholds: [0.5, 0.6] });
    log.record(3, { total: s(Infinity), Lx: s(1) });
    log.record(4, { total: s(7), Lx: s(0.5) }, { alphaMean: torch.tensor([0.5, 0.25]).mean(), n: 3 });
  });
  const r = log.read();
  assert.deepEqual(r.terms, { total: 7, Lx: 0.5 });
  assert.deepEqual(r.stats, { alphaMean: 0.375, n: 3 });
  assert.equal(r.diverged?.step, 2);
  assert.equal(r.diverged?.term, 'Lx');
  assert.ok(Number.isNaN(r.diverged?.value));
  // The record is cleared by the read.
  torch.tidy(() => log.record(5, { total: s(1), Lx: s(1) }));
  assert.equal(log.read().diverged, undefined);
  // Terms that change name (a method's phase) do not lose a pending divergence.
  torch.tidy(() => {
    log.record(6, { total: s(-Infinity), Lx: s(1) });
    log.record(7, { total: s(1), WCE: s(1), RR: s(0) });
  });
  const r2 = log.read();
  assert.deepEqual(r2.terms, { total: 1, WCE: 1, RR: 0 });
  assert.deepEqual(r2.diverged, { step: 6, term: 'total', value: -Infinity });
  log.dispose();
  assert.equal(torch.memory().tensors, before, 'no tensor outlives dispose()');
});

test('a run that diverges between log steps stops with the first bad step and keeps the checkpoint from before it', async () => {
  const root = await tinyDataset();
  // Epoch 1 trains normally; from epoch 2 the learning rate is 1e35 and the loss blows up.
  const cfg = defaultConfig({
    dataset: 'rafdb', root, method: 'supervised', out: mkdtempSync(join(tmpdir(), 'semifer-diverge-')),
    model: 'small', size: 32, labels: 'n:3', epochs: 3, stepsPerEpoch: 4, batch: 4, mu: 1, logEvery: 100,
    optimizer: 'sgd', lr: 1e-3, schedule: 'step:1:1e38', cacheDir: join(root, '.cache'), seed: 5, prefetch: 1, evalBatch: 64,
  });
  let error: TrainingDivergedError | undefined;
  await assert.rejects(train(cfg), (e: Error) => {
    assert.ok(e instanceof TrainingDivergedError, String(e));
    error = e;
    return true;
  });
  assert.equal(exitCodeOf(error), 3);
  assert.ok(error!.step >= 4 && error!.step < 8, `diverged in epoch 2, reported at step ${error!.step}`);
  assert.match(error!.message, /^training diverged at step \d+: loss term (total|Lx) is (NaN|-?Infinity)/);
  const last = join(cfg.out, 'checkpoint-last.safetensors');
  assert.ok(existsSync(last));
  const ck = loadCheckpoint(last);
  assert.equal(ck.meta.nextStep, 4, 'the checkpoint is the one from the end of epoch 1');
  for (const t of ck.student.values()) assert.ok(t.isfinite().all().item(), 'its weights are finite');
  assert.equal(torch.scopeDepth(), 0);
});

test("averageRead: over two ranks, terms and rates average element-wise, counts add up, and one rank's divergence reaches both", () => {
  const rank0: TermsRead = { terms: { total: 1, Lx: 2 }, stats: { maskRate: 0.5, subsetI: 3, thresholds: [0.8, 0.6] } };
  const rank1: TermsRead = { terms: { total: 3, Lx: 4 }, stats: { maskRate: 0, subsetI: 1, thresholds: [0.6, 0.6] }, diverged: { step: 7, term: 'Lx', value: Number.NaN } };
  const flat = (r: TermsRead) => [...Object.values(r.terms), ...Object.values(r.stats).flat(), r.diverged ? 1 : 0];
  // What the all-reduce gives a rank: the element-wise mean of its list and the other rank's.
  const both = (r: TermsRead) => averageRead(r, (v) => v.map((x, i) => (x + flat(r === rank0 ? rank1 : rank0)[i]!) / 2), 2);
  const a = both(rank0);
  assert.deepEqual(a.terms, { total: 2, Lx: 3 });
  assert.deepEqual(a.stats, { maskRate: 0.25, subsetI: 4, thresholds: [0.7, 0.6] });
  assert.ok(a.diverged, 'rank 0 learns that rank 1 diverged');
  assert.deepEqual(both(rank1).diverged, rank1.diverged, 'a rank keeps its own divergence report');
  assert.deepEqual(averageRead(rank0, (v) => [...v], 1).stats, rank0.stats, 'one rank: unchanged');
});
