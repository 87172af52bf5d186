import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readRafdb } from '../../src/data/readers/rafdb.js';
import { Rng, rngFor } from '../../src/data/random.js';
import {
  applySplit, describeLabelSpec, flipLabels, loadSplit, parseLabelSpec, PRESET_NAMES, saveSplit, splitLabelled, SplitError,
  stratifiedHoldout, subjectHoldout, subjectKFold, withHoldout, type LabelSpec,
} from '../../src/data/splits.js';
import { DataError, type Dataset, type Sample } from '../../src/data/types.js';
import { makeTempDir, writeText } from './fixtures.js';

const tmp = makeTempDir('splits');
after(tmp.cleanup);

/** RAF-DB's real train counts by RAF label 1..7 (docs/methods.md §5); 3068 test lines. */
const RAFDB_TRAIN_COUNTS = [1290, 281, 717, 4772, 1982, 705, 2524];

let rafdb: Dataset | undefined;
/** A full-size RAF-DB label list without images (label-only read). */
async function fakeRafdb(): Promise<Dataset> {
  if (rafdb) return rafdb;
  const codes: number[] = [];
  RAFDB_TRAIN_COUNTS.forEach((n, i) => codes.push(...new Array<number>(n).fill(i + 1)));
  new Rng(7).shuffle(codes);
  const lines = codes.map((c, i) => `train_${String(i + 1).padStart(5, '0')}.jpg ${c}`);
  for (let i = 0; i < 3068; i++) lines.push(`test_${String(i + 1).padStart(4, '0')}.jpg ${(i % 7) + 1}`);
  const root = join(tmp.dir, 'rafdb');
  writeText(join(root, 'EmoLabel', 'list_patition_label.txt'), lines.join('\n') + '\n');
  rafdb = await readRafdb(root, { checkImages: false });
  return rafdb;
}

function countByClass(d: Dataset, ids: string[]): Record<string, number> {
  const byId = new Map(d.splits['train']!.map((s) => [s.id, s]));
  const out: Record<string, number> = {};
  for (const id of ids) {
    const name = d.classes[byId.get(id)!.label]!;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

test('fake RAF-DB has the real counts per canonical class', async () => {
  const d = await fakeRafdb();
  assert.equal(d.splits['train']!.length, 12271);
  assert.equal(d.splits['test']!.length, 3068);
  assert.deepEqual(countByClass(d, d.splits['train']!.map((s) => s.id)), { surprise: 1290, fear: 281, disgust: 717, happy: 4772, sad: 1982, anger: 705, neutral: 2524 });
});

test('adacm-rafdb presets give the exact per-class counts, rest unlabelled', async () => {
  const d = await fakeRafdb();
  const expected: Record<string, [number, number]> = { '100': [10, 15], '400': [40, 60], '1000': [100, 150], '2000': [200, 300], '4000': [250, 625] };
  assert.deepEqual([...PRESET_NAMES], Object.keys(expected).map((k) => `adacm-rafdb-${k}`));
  for (const [total, [fear, other]] of Object.entries(expected)) {
    const split = splitLabelled(d.splits['train']!, d.classes, parseLabelSpec(`adacm-rafdb-${total}`), 1);
    assert.equal(split.labelled.length, Number(total));
    assert.equal(split.protocol, `adacm-rafdb-${total}`);
    const counts = countByClass(d, split.labelled);
    for (const name of d.classes) assert.equal(counts[name], name === 'fear' ? fear : other, `${total}: ${name}`);
    assert.equal(split.labelled.length + split.unlabelled.length, 12271);
    const labelled = new Set(split.labelled);
    assert.ok(split.unlabelled.every((id) => !labelled.has(id)));
  }
});

test('splits are deterministic, seed-dependent, order-independent and nested', async () => {
  const d = await fakeRafdb();
  const train = d.splits['train']!;
  const spec: LabelSpec = { kind: 'preset', name: 'adacm-rafdb-400' };
  const a = splitLabelled(train, d.classes, spec, 42);
  const b = splitLabelled(train, d.classes, spec, 42);
  assert.deepEqual(a, b);
  const c = splitLabelled(train, d.classes, spec, 43);
  assert.notDeepEqual(new Set(a.labelled), new Set(c.labelled));
  const reversed = splitLabelled([...train].reverse(), d.classes, spec, 42);
  assert.deepEqual(new Set(reversed.labelled), new Set(a.labelled));
  const small = splitLabelled(train, d.classes, { kind: 'preset', name: 'adacm-rafdb-100' }, 42);
  const big = new Set(a.labelled);
  assert.ok(small.labelled.every((id) => big.has(id)), '100-label set is inside the 400-label set for one seed');
});

test('n per class, fraction and explicit counts', async () => {
  const d = await fakeRafdb();
  const train = d.splits['train']!;
  const n = splitLabelled(train, d.classes, parseLabelSpec('n:25'), 0);
  assert.ok(Object.values(countByClass(d, n.labelled)).every((v) => v === 25));
  const f = splitLabelled(train, d.classes, parseLabelSpec('10%'), 0);
  assert.deepEqual(countByClass(d, f.labelled), { surprise: 129, fear: 28, disgust: 72, happy: 477, sad: 198, anger: 71, neutral: 252 });
  const byName = splitLabelled(train, d.classes, parseLabelSpec('counts:fear=5,Happiness=3'), 0);
  assert.deepEqual(countByClass(d, byName.labelled), { fear: 5, happy: 3 });
  const byIndex = splitLabelled(train, d.classes, { kind: 'counts', counts: [1, 2, 3, 4, 5, 6, 7] }, 0);
  assert.equal(countByClass(d, byIndex.labelled)['anger'], 7);
  for (const text of ['adacm-rafdb-1000', 'n:3', 'fraction:0.05', 'counts:fear=5,happy=3']) assert.equal(describeLabelSpec(parseLabelSpec(text)), text);
  assert.throws(() => parseLabelSpec('adacm-rafdb-300'), /unknown label protocol 'adacm-rafdb-300'/);
  assert.throws(() => parseLabelSpec('counts:fear'), /expected counts:<class>=<n>/);
});

test('too few samples in a class names the class, asked and available', async () => {
  const d = await fakeRafdb();
  assert.throws(() => splitLabelled(d.splits['train']!, d.classes, parseLabelSpec('n:300'), 0), (e: unknown) => {
    assert.ok(e instanceof SplitError);
    assert.match(e.message, /class 'fear' has 281 training samples but 300 are asked for/);
    return true;
  });
  assert.throws(() => splitLabelled(d.splits['train']!, d.classes, parseLabelSpec('counts:bored=3'), 0), /unknown class 'bored'/);
  assert.throws(() => splitLabelled(d.splits['train']!, d.classes, { kind: 'fraction', fraction: 1.5 }, 0), /fraction must be in \(0, 1\]/);
});

test('split files: save, load, apply; unknown ids and overlaps are errors', async () => {
  const d = await fakeRafdb();
  const train = d.splits['train']!;
  const split = splitLabelled(train, d.classes, parseLabelSpec('adacm-rafdb-100'), 5);
  const file = join(tmp.dir, 'split.json');
  saveSplit(file, split);
  const loaded = loadSplit(file, train);
  assert.deepEqual(loaded, split);
  const { labelled, unlabelled } = applySplit(train, loaded);
  assert.equal(labelled.length, 100);
  assert.equal(unlabelled.length, 12171);
  assert.ok(labelled.every((s, i) => s.id === split.labelled[i]));

  const bad = join(tmp.dir, 'bad-split.json');
  writeText(bad, JSON.stringify({ ...split, labelled: [...split.labelled, 'train_99999.jpg'] }));
  assert.throws(() => loadSplit(bad, train), (e: unknown) => e instanceof DataError && e.message.startsWith(bad) && /1 id\(s\).*train_99999\.jpg/.test(e.message));
  writeText(bad, JSON.stringify({ ...split, unlabelled: [...split.unlabelled, split.labelled[0]] }));
  assert.throws(() => loadSplit(bad, train), /listed twice/);
  writeText(bad, '{"seed": 1, "protocol": "x"');
  assert.throws(() => loadSplit(bad, train), /not valid JSON/);
  writeText(bad, '{"seed": "1", "protocol": "x", "labelled": [], "unlabelled": []}');
  assert.throws(() => loadSplit(bad, train), /expected a split file/);
  assert.throws(() => loadSplit(join(tmp.dir, 'nope.json'), train), /split file not found/);
});

/** Samples with subjects of sizes 1..n (subject i has (i % 6) + 1 samples). */
function subjectSamples(subjects: number): Sample[] {
  const out: Sample[] = [];
  for (let s = 0; s < subjects; s++) {
    for (let k = 0; k <= s % 6; k++) out.push({ id: `S${s}_${k}`, label: k % 3, subject: `S${String(s).padStart(3, '0')}`, source: { kind: 'file', path: `/x/${s}_${k}.png` } });
  }
  return out;
}

test('subjectKFold: subjects never shared between folds, balanced sizes, deterministic', () => {
  const samples = subjectSamples(23);
  const folds = subjectKFold(samples, 5, 9);
  assert.equal(folds.length, 5);
  const all = folds.flat().sort((a, b) => a - b);
  assert.deepEqual(all, samples.map((_, i) => i));
  const foldOfSubject = new Map<string, number>();
  folds.forEach((fold, f) => {
    for (const i of fold) {
      const subject = samples[i]!.subject!;
      assert.equal(foldOfSubject.get(subject) ?? f, f, `subject ${subject} in two folds`);
      foldOfSubject.set(subject, f);
    }
  });
  const sizes = folds.map((f) => f.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 6, `fold sizes ${sizes}`);
  assert.deepEqual(subjectKFold(samples, 5, 9), folds);
  assert.notDeepEqual(subjectKFold(samples, 5, 10), folds);
  assert.throws(() => subjectKFold(samples.slice(0, 3), 5, 0), /2 subject\(s\) cannot fill 5/);
  assert.throws(() => subjectKFold([{ id: 'a', label: 0, source: { kind: 'file', path: '/a' } }], 2, 0), /has no subject/);
});

test('stratified holdout keeps class proportions and is seeded', async () => {
  const d = await fakeRafdb();
  const { train, test: held } = stratifiedHoldout(d.splits['train']!, 0.2, 3);
  assert.equal(train.length + held.length, 12271);
  assert.deepEqual(countByClass({ ...d, splits: { train: held } }, held.map((s) => s.id)), { surprise: 258, fear: 56, disgust: 143, happy: 954, sad: 396, anger: 141, neutral: 505 });
  assert.deepEqual(stratifiedHoldout(d.splits['train']!, 0.2, 3).test.map((s) => s.id), held.map((s) => s.id));
  const split = withHoldout({ ...d, splits: { train: d.splits['train']! } }, 0.1, 1);
  assert.equal(split.splits['train']!.length + split.splits['test']!.length, 12271);
  assert.throws(() => withHoldout(d, 0.1, 1), /already has a 'test' split/);
});

test('subject holdout: whole subjects, about the fraction, seeded; withHoldout uses it when every sample has a subject', () => {
  const samples = subjectSamples(23);
  const { train, test: held } = subjectHoldout(samples, 0.2, 4);
  assert.equal(train.length + held.length, samples.length);
  const heldSubjects = new Set(held.map((s) => s.subject));
  for (const s of train) assert.ok(!heldSubjects.has(s.subject), `subject ${s.subject} on both sides`);
  // Subjects are taken until they hold ≥ round(0.2·N) images: at most one subject's images over.
  const perSubject = Math.max(...[...new Set(samples.map((s) => s.subject))].map((sub) => samples.filter((s) => s.subject === sub).length));
  assert.ok(held.length >= Math.round(0.2 * samples.length) && held.length < Math.round(0.2 * samples.length) + perSubject, `held ${held.length}`);
  assert.deepEqual(subjectHoldout(samples, 0.2, 4).test, held, 'seeded');
  assert.notDeepEqual(subjectHoldout(samples, 0.2, 5).test.map((s) => s.subject), held.map((s) => s.subject));
  // Two subjects: one held, one kept, whatever the fraction.
  const two = samples.filter((s) => s.subject === samples[0]!.subject || s.subject === samples.at(-1)!.subject);
  const t2 = subjectHoldout(two, 0.9, 0);
  assert.equal(new Set(t2.test.map((s) => s.subject)).size, 1);
  assert.equal(new Set(t2.train.map((s) => s.subject)).size, 1);
  const ds: Dataset = { format: 'ckplus', root: '/x', classes: ['a', 'b', 'c'], splits: { train: samples }, problems: [] };
  assert.deepEqual(withHoldout(ds, 0.2, 4).splits['test'], held, 'withHoldout holds out by subject');
  assert.throws(() => subjectHoldout(samples.slice(0, 1).map((s) => ({ ...s, subject: undefined })), 0.2, 0), /has no subject/);
});

test('flipLabels flips exactly round(fraction·N) labels, always to another class', () => {
  const rng = new Rng(1);
  const labels = Int32Array.from({ length: 1001 }, () => rng.int(7));
  const copy = Int32Array.from(labels);
  const { labels: noisy, flipped } = flipLabels(labels, 0.2, 7, 11);
  assert.equal(flipped.length, 200);
  assert.deepEqual(labels, copy, 'input untouched');
  const flippedSet = new Set(flipped);
  for (let i = 0; i < labels.length; i++) {
    if (flippedSet.has(i)) assert.notEqual(noisy[i], labels[i]);
    else assert.equal(noisy[i], labels[i]);
    assert.ok(noisy[i]! >= 0 && noisy[i]! < 7);
  }
  assert.deepEqual(flipLabels(labels, 0.2, 7, 11), { labels: noisy, flipped });
  assert.equal(flipLabels(labels, 0, 7, 11).flipped.length, 0);
  assert.equal(flipLabels(labels, 1, 7, 11).flipped.length, 1001);
  // The new class is uniform over the 6 others: from class 0 over many flips, each target ≈ 1/6.
  const zeros = new Int32Array(6000);
  const all = flipLabels(zeros, 1, 7, 3).labels;
  const hist = new Array<number>(7).fill(0);
  all.forEach((l) => hist[l]!++);
  assert.equal(hist[0], 0);
  for (let c = 1; c < 7; c++) assert.ok(Math.abs(hist[c]! - 1000) < 150, `class ${c}: ${hist[c]}`);
  assert.throws(() => flipLabels([0, 9], 0.5, 7, 0), /outside 0..6/);
});

test('Rng: deterministic, in range, unbiased enough, independent purposes', () => {
  const a = new Rng(123);
  const b = new Rng(123);
  const xs = Array.from({ length: 1000 }, () => a.int(10));
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.int(10)));
  assert.ok(xs.every((x) => x >= 0 && x < 10));
  const counts = new Array<number>(10).fill(0);
  xs.forEach((x) => counts[x]!++);
  assert.ok(counts.every((c) => c > 60 && c < 140), `${counts}`);
  const f = new Rng(0).next();
  assert.ok(f >= 0 && f < 1);
  assert.notEqual(rngFor(1, 'a').nextUint32(), rngFor(1, 'b').nextUint32());
  assert.notEqual(new Rng(1).nextUint32(), new Rng(2).nextUint32());
  const p = new Rng(5).shuffle(Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
});
