// Subject-independent folds: disjoint subjects, every image tested once, the
// training part of a fold free of its subjects, the cut of decoded images, and
// the errors for datasets that cannot be folded.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readCkplus } from '../../src/data/readers/ckplus.js';
import type { Dataset, DecodedImages, Sample } from '../../src/data/types.js';
import { planFolds, foldSamples, cutFold, FoldError } from '../../src/train/foldSplit.js';
import { meanStd, formatFoldTable, type FoldsSummary } from '../../src/train/foldSummary.js';
import { ckplusDataset, type CkplusFixture } from './ckplusFixture.js';
import { exitCodeOf } from '../../src/cli/errors.js';

let fx: CkplusFixture;
let ds: Dataset;
before(async () => {
  fx = await ckplusDataset({ subjects: 7, size: 8 });
  ds = await readCkplus(fx.root);
});

test('fixture: CK+ reader lists every image with its subject', () => {
  assert.equal(ds.splits.train!.length, fx.images);
  assert.deepEqual([...new Set(ds.splits.train!.map((s) => s.subject))].sort(), fx.subjects);
});

for (const K of [2, 3, 7]) {
  test(`${K} folds: subjects disjoint, every image tested exactly once, training parts exclude the fold's subjects`, () => {
    const plan = planFolds(ds, K, 5);
    assert.equal(plan.test.length, K);
    assert.deepEqual(plan.ignoredSplits, []);
    const subjectFold = new Map<string, number>();
    plan.test.forEach((f, i) => {
      assert.ok(f.subjects.length >= 1, `fold ${i + 1} has a subject`);
      for (const s of f.subjects) {
        assert.ok(!subjectFold.has(s), `subject ${s} in folds ${subjectFold.get(s)} and ${i + 1}`);
        subjectFold.set(s, i + 1);
      }
    });
    assert.equal(subjectFold.size, fx.subjects.length, 'every subject is in a fold');
    const tested = plan.test.flatMap((f) => f.ids);
    assert.equal(tested.length, ds.splits.train!.length);
    assert.equal(new Set(tested).size, tested.length, 'no image tested twice');
    const byId = new Map(ds.splits.train!.map((s) => [s.id, s] as const));
    for (let k = 1; k <= K; k++) {
      const { train, test: held } = foldSamples(ds, plan, k);
      const own = new Set(plan.test[k - 1]!.subjects);
      assert.deepEqual(held.map((s) => s.id), plan.test[k - 1]!.ids);
      assert.ok(held.every((s) => own.has(s.subject!)), 'fold k tests only its subjects');
      assert.ok(train.every((s) => !own.has(s.subject!)), "fold k's training part has none of its subjects");
      assert.equal(train.length + held.length, ds.splits.train!.length);
      assert.ok(plan.test[k - 1]!.ids.every((id) => own.has(byId.get(id)!.subject!)));
    }
  });
}

test('folds depend on the seed, and are reproducible for one seed', () => {
  assert.deepEqual(planFolds(ds, 3, 1), planFolds(ds, 3, 1));
  const seeds = [1, 2, 3, 4].map((s) => JSON.stringify(planFolds(ds, 3, s).test.map((f) => f.subjects)));
  assert.ok(new Set(seeds).size > 1, 'different seeds give different folds');
});

test("cutFold: decoded images split into the fold's training and test parts; the dataset's train split becomes the fold's", () => {
  const train = ds.splits.train!;
  const size = 2;
  const frame = size * size * 3;
  // A fake decode of the whole split: image i is filled with i % 251; one image "failed to decode".
  const kept = train.slice(1);
  const decoded: DecodedImages = {
    size, count: kept.length,
    pixels: Uint8Array.from({ length: kept.length * frame }, (_, j) => (Math.floor(j / frame) + 1) % 251),
    labels: Int32Array.from(kept, (s) => s.label), ids: kept.map((s) => s.id),
    skipped: [{ file: train[0]!.id, message: 'corrupt' }],
  };
  const plan = planFolds(ds, 3, 0);
  const seen = new Set<string>();
  for (let k = 1; k <= 3; k++) {
    const f = cutFold(ds, decoded, { k, folds: 3 }, 0);
    assert.equal(f.testName, `fold-${k}`);
    const own = new Set(plan.test[k - 1]!.subjects);
    const subjectOf = new Map(train.map((s) => [s.id, s.subject!] as const));
    assert.ok(f.test.ids.every((id) => own.has(subjectOf.get(id)!)));
    assert.ok(f.train.ids.every((id) => !own.has(subjectOf.get(id)!)));
    assert.equal(f.train.count + f.test.count, kept.length);
    assert.equal(f.train.pixels.length, f.train.count * frame);
    // Pixels travel with their ids.
    f.test.ids.forEach((id, i) => assert.equal(f.test.pixels[i * frame], (kept.findIndex((s) => s.id === id) + 1) % 251));
    f.test.ids.forEach((id, i) => assert.equal(f.test.labels[i], kept.find((s) => s.id === id)!.label));
    assert.deepEqual(f.dataset.splits.train!.map((s: Sample) => s.id), foldSamples(ds, plan, k).train.map((s) => s.id));
    assert.equal(f.train.skipped.length + f.test.skipped.length, 1, 'the undecodable image is counted once');
    for (const id of f.test.ids) seen.add(id);
  }
  assert.equal(seen.size, kept.length, 'every decoded image is tested once over the folds');
});

test('errors: no subject ids, fewer subjects than folds, some images without a subject, K < 2', () => {
  const noSubjects: Dataset = { ...ds, format: 'rafdb', root: '/data/raf', splits: { train: ds.splits.train!.map(({ subject: _s, ...rest }) => rest) } };
  assert.throws(() => planFolds(noSubjects, 5, 0), (e: Error) => {
    assert.ok(e instanceof FoldError);
    assert.equal(exitCodeOf(e), 2);
    assert.match(e.message, /--folds needs subject ids/);
    assert.match(e.message, /the rafdb dataset at \/data\/raf has none/);
    assert.match(e.message, /formats with subject ids: ckplus/);
    return true;
  });
  assert.throws(() => planFolds(ds, 8, 0), /--folds 8: the ckplus dataset at .* has 7 subject\(s\), fewer than the folds; use --folds 7 or fewer/);
  const partial: Dataset = { ...ds, splits: { train: ds.splits.train!.map((s, i) => (i === 3 ? { ...s, subject: undefined } : s)) } };
  assert.throws(() => planFolds(partial, 2, 0), /1 of \d+ images of the ckplus dataset .* have none \(e\.g\. cohn-kanade-images\//);
  assert.throws(() => planFolds(ds, 1, 0), /--folds must be an integer ≥ 2/);
});

test('a dataset with an official test split: folds cover the train split, the test split is reported as ignored', () => {
  const withTest: Dataset = { ...ds, splits: { train: ds.splits.train!, test: ds.splits.train!.slice(0, 3).map((s) => ({ ...s, id: `test/${s.id}` })) } };
  const plan = planFolds(withTest, 2, 0);
  assert.deepEqual(plan.ignoredSplits, ['test']);
  assert.equal(plan.test.flatMap((f) => f.ids).length, ds.splits.train!.length);
  assert.ok(!plan.test.flatMap((f) => f.ids).some((id) => id.startsWith('test/')));
});

test('meanStd is the sample standard deviation; the table has one row per fold and a mean ± std row', () => {
  const ms = meanStd([0.5, 0.7]);
  assert.ok(Math.abs(ms.mean - 0.6) < 1e-12 && Math.abs(ms.std - Math.sqrt(0.02)) < 1e-12, JSON.stringify(ms));
  assert.equal(meanStd([0.4]).std, 0);
  const r = (fold: number, accuracy: number) => ({ fold, run: `fold-${fold}`, subjects: ['S1', 'S2'], numTest: 10, numLabelled: 7, numUnlabelled: 20, accuracy, meanClassAccuracy: accuracy - 0.1, macroF1: accuracy - 0.2 });
  const s: FoldsSummary = {
    kind: 'subject-k-fold', folds: 2, dataset: 'ckplus', root: '/x', method: 'supervised', model: 'small', labels: 'n:1', seed: 0, ignoredSplits: [],
    perFold: [r(1, 0.5), r(2, 0.7)], accuracy: meanStd([0.5, 0.7]), meanClassAccuracy: meanStd([0.4, 0.6]), macroF1: meanStd([0.3, 0.5]), seconds: 1, endTime: '',
  };
  const text = formatFoldTable(s);
  const lines = text.split('\n');
  assert.match(lines[0]!, /^fold\s+subjects\s+test\s+labelled\s+unlabelled\s+accuracy %/);
  assert.match(lines[2]!, /^1\s+2\s+10\s+7\s+20\s+50\.00\s+40\.00\s+30\.00$/);
  assert.match(text, /mean ± std\s+60\.00 ± 14\.14\s+50\.00 ± 14\.14\s+40\.00 ± 14\.14/);
  assert.match(text, /accuracy 60\.00% ± 14\.14%/);
});
