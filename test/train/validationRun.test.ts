/**
 * Model selection on validation images: a run scores its validation images
 * after every epoch, picks checkpoint-best by them, records them in split.json,
 * and decodes the test split only after the last epoch (unless asked to score
 * it every epoch). The decoding of a split shows as a 'decode <format>/<split>'
 * progress event when its cache is cold, so the order of events shows when the
 * test split was first read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train, defaultConfig, type TrainConfig, type TrainEvents } from '../../src/train/index.js';
import { parseMetricsJsonl } from '../../src/report/metricsJsonl.js';
import { tinyDataset } from './fixtures.js';

async function run(method: string, extra: Partial<TrainConfig>) {
  const root = await tinyDataset();
  const out = mkdtempSync(join(tmpdir(), `semifer-val-${method}-`));
  // A cold cache of its own, so every split read is a decode with progress events.
  const cfg = defaultConfig({
    dataset: 'rafdb', root, method, out, model: 'small', size: 32, labels: 'n:3', epochs: 3, stepsPerEpoch: 2, batch: 4, mu: 1, logEvery: 1,
    cacheDir: join(out, 'cache'), seed: 2, prefetch: 0, evalBatch: 64, ...extra,
  });
  const log: string[] = [];
  const events: TrainEvents = {
    onProgress: (what) => { if (log[log.length - 1] !== what) log.push(what); },
    onEpoch: (e) => log.push(`epoch ${e.epoch} ${e.split}`),
  };
  const summary = await train(cfg, { events });
  const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return { cfg, out, summary, log, epochs: rows.filter((r) => r.kind === 'epoch'), split: JSON.parse(readFileSync(join(out, 'split.json'), 'utf8')) };
}

test('the test split is decoded after the last epoch; validation images select checkpoint-best and are in split.json', async () => {
  const r = await run('meanteacher', { valPerClass: 4 });
  assert.deepEqual(r.log, ['decode rafdb/train', 'epoch 1 validation', 'epoch 2 validation', 'epoch 3 validation', 'decode rafdb/test']);
  // split.json: 4 validation images per class from outside the 3 labelled ones, in none of the other lists.
  assert.equal(r.split.validation.length, 28);
  assert.equal(r.split.validationSource, 'held-out-unlabelled');
  assert.equal(r.split.labelled.length, 21);
  const other = new Set([...r.split.labelled, ...r.split.unlabelled]);
  assert.ok(r.split.validation.every((id: string) => !other.has(id)));
  assert.equal(r.summary.numValidation, 28);
  assert.equal(r.summary.numLabelled, 21);
  // Every epoch row is on the validation split; checkpoint-best is the first epoch of the teacher's best validation accuracy.
  assert.ok(r.epochs.every((e) => e.split === 'validation' && e.teacher && !('test' in e)));
  const accs = r.epochs.map((e) => e.teacher.accuracy);
  const bestEpoch = accs.indexOf(Math.max(...accs)) + 1;
  assert.deepEqual([r.summary.best?.epoch, r.summary.best?.accuracy, r.summary.best?.split], [bestEpoch, Math.max(...accs), 'validation']);
  assert.ok(r.summary.best!.test.accuracy >= 0 && r.summary.best!.test.accuracy <= 1);
  if (bestEpoch === 3) assert.equal(r.summary.best!.test.accuracy, r.summary.accuracy, 'best is the final model');
  assert.equal(r.summary.validation?.accuracy, accs[2], "the final teacher's validation accuracy");
  assert.ok(existsSync(join(r.out, 'checkpoint-best.safetensors')));
  // The report reads the validation curves.
  const parsed = parseMetricsJsonl(readFileSync(join(r.out, 'metrics.jsonl'), 'utf8'));
  assert.deepEqual(parsed.skipped, []);
});

test('without validation (--val-per-class 0) epochs are not scored and there is no checkpoint-best; --eval-test-every-epoch scores the test split, never selecting', async () => {
  const none = await run('supervised', { valPerClass: 0, epochs: 2 });
  assert.deepEqual(none.log, ['decode rafdb/train', 'epoch 1 null', 'epoch 2 null', 'decode rafdb/test']);
  assert.ok(none.epochs.every((e) => e.split === null && !('student' in e)));
  assert.equal(none.summary.best, null);
  assert.equal(none.summary.validation, null);
  assert.equal(none.split.validation, undefined);
  assert.ok(!existsSync(join(none.out, 'checkpoint-best.safetensors')));
  assert.ok(existsSync(join(none.out, 'checkpoint-last.safetensors')));
  assert.deepEqual(parseMetricsJsonl(readFileSync(join(none.out, 'metrics.jsonl'), 'utf8')).skipped, [], 'the report reads unscored epoch rows');

  const every = await run('supervised', { valPerClass: 2, epochs: 2, evalTestEveryEpoch: true });
  assert.deepEqual(every.log, ['decode rafdb/train', 'decode rafdb/test', 'epoch 1 validation', 'epoch 2 validation']);
  assert.ok(every.epochs.every((e) => e.split === 'validation' && e.test.student.accuracy >= 0));
  assert.equal(every.epochs[1].test.student.accuracy, every.summary.accuracy, 'the last epoch\'s test score is the final one');
  assert.equal(every.summary.best?.split, 'validation');
});
