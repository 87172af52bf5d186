/**
 * The validation images of a run (src/data/validationSplit.ts): held out of the
 * images outside the labelled budget, or out of the budget itself, never
 * leaving a class without a labelled training image; the dataset's own val
 * split when it has a separate test split; recorded in split.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  holdOutValidation, datasetValidationSplit, splitLabelled, parseLabelSpec, saveSplit, loadSplit, type Sample, type Dataset, type LabelSplit,
} from '../../src/data/index.js';

const classes = ['a', 'b', 'c'];
/** Class sizes 6, 4 and 2; ids 'c<class>-<i>'. */
const samples: Sample[] = [6, 4, 2].flatMap((n, c) => Array.from({ length: n }, (_, i) => ({ id: `c${c}-${i}`, label: c, source: { kind: 'file', path: `c${c}-${i}.png` } as never })));
const labelOf = new Map(samples.map((s) => [s.id, s.label]));
const perClass = (ids: string[] | undefined) => classes.map((_, c) => (ids ?? []).filter((id) => labelOf.get(id) === c).length);
const disjoint = (s: LabelSplit) => {
  const all = [...s.labelled, ...s.unlabelled, ...(s.validation ?? [])];
  assert.equal(new Set(all).size, all.length, 'labelled, unlabelled and validation are disjoint');
  assert.equal(all.length, samples.length, 'every image is in one of them');
};

test('by default the validation images come from outside the budget: 1 label per class stays 1', () => {
  const split = splitLabelled(samples, classes, parseLabelSpec('n:1'), 7);
  const v = holdOutValidation(samples, classes, split, { perClass: 2, inBudget: false }, 7);
  assert.deepEqual(v.labelled, split.labelled, 'the labelled budget is untouched');
  assert.deepEqual(perClass(v.validation), [2, 2, 1], 'class c has 2 images, 1 labelled: 1 left for validation');
  assert.deepEqual(perClass(v.unlabelled), [3, 1, 0]);
  assert.equal(v.validationSource, 'held-out-unlabelled');
  assert.deepEqual(v.validationShort, [{ class: 'c', got: 1 }]);
  disjoint(v);
  // Seeded: the same request gives the same images; another seed may not.
  assert.deepEqual(holdOutValidation(samples, classes, split, { perClass: 2, inBudget: false }, 7), v);
});

test('in the budget: each class keeps at least one labelled image, so at 1 label per class there is no validation', () => {
  const one = splitLabelled(samples, classes, parseLabelSpec('n:1'), 3);
  const v1 = holdOutValidation(samples, classes, one, { perClass: 2, inBudget: true }, 3);
  assert.deepEqual(perClass(v1.labelled), [1, 1, 1]);
  assert.deepEqual(v1.validation, []);
  assert.deepEqual(v1.validationShort, [{ class: 'a', got: 0 }, { class: 'b', got: 0 }, { class: 'c', got: 0 }]);
  const two = splitLabelled(samples, classes, parseLabelSpec('n:2'), 3);
  const v2 = holdOutValidation(samples, classes, two, { perClass: 3, inBudget: true }, 3);
  assert.deepEqual(perClass(v2.validation), [1, 1, 1], 'min(3, 2 − 1) per class');
  assert.deepEqual(perClass(v2.labelled), [1, 1, 1]);
  assert.deepEqual(v2.unlabelled, two.unlabelled);
  assert.equal(v2.validationSource, 'held-out-labelled');
  disjoint(v2);
});

test('with every image labelled (--labels all) the validation images come out of the labelled set', () => {
  const all: LabelSplit = { seed: 0, protocol: 'all', labelled: samples.map((s) => s.id), unlabelled: [] };
  const v = holdOutValidation(samples, classes, all, { perClass: 3, inBudget: false }, 0);
  assert.deepEqual(perClass(v.validation), [3, 3, 1]);
  assert.deepEqual(perClass(v.labelled), [3, 1, 1]);
  assert.equal(v.validationSource, 'held-out-labelled');
  disjoint(v);
});

test("a dataset's own val split is the validation split only beside a separate test split", () => {
  const ds = (splits: Record<string, Sample[]>) => ({ format: 'imagefolder', root: '/x', classes, splits }) as unknown as Dataset;
  const [x, y, z] = samples;
  assert.equal(datasetValidationSplit(ds({ train: [x!], val: [y!], test: [z!] })), 'val');
  assert.equal(datasetValidationSplit(ds({ train: [x!], val: [y!] })), null, 'val used as the test split');
  assert.equal(datasetValidationSplit(ds({ train: [x!], val: [y!], test: [y!] })), null, "SFEW: val doubles as test");
});

test('split.json records the validation images; an id both labelled and validation is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-valsplit-'));
  const file = join(dir, 'split.json');
  const v = holdOutValidation(samples, classes, splitLabelled(samples, classes, parseLabelSpec('n:1'), 1), { perClass: 2, inBudget: false }, 1);
  saveSplit(file, v);
  assert.deepEqual(loadSplit(file, samples), v);
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...raw, validation: [...raw.validation, raw.labelled[0]] }));
  assert.throws(() => loadSplit(file, samples), /listed twice \(labelled, unlabelled and held-out validation must be disjoint\)/);
  writeFileSync(file, JSON.stringify({ ...raw, validationSource: 'test' }));
  assert.throws(() => loadSplit(file, samples), /"validationSource" must be one of/);
});
