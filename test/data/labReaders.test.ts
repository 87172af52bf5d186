/**
 * Readers of the lab-posed datasets whose labels live in file names (JAFFE,
 * KDEF/AKDEF, RaFD) and of GENKI-4K, on small generated copies: labels,
 * classes, subjects, what is skipped (with the file name) and what is counted
 * in notes; decoding JAFFE's TIFFs; `semifer data inspect` on a JAFFE folder.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError, type Dataset } from '../../src/data/types.js';
import { EIGHT_CLASSES, SEVEN_CLASSES } from '../../src/data/classes.js';
import { DATASET_FORMATS, readDataset, readGenki4k, readJaffe, readKdef, readRafd } from '../../src/data/readers/index.js';
import { decodeMany } from '../../src/data/decode.js';
import { subjectKFold } from '../../src/data/splits.js';
import { makeTempDir, meanRgb, near, rejectsWith } from './fixtures.js';
import { JAFFE_COLOURS, makeGenki, makeJaffe, makeKdef, makeRafd, writeAkdef } from './labFixtures.js';

const tmp = makeTempDir('lab');
after(tmp.cleanup);
let n = 0;
const fresh = (name: string): string => join(tmp.dir, `${name}-${n++}`);


/** id → [class name, subject] of the train split. */
const labelled = (d: Dataset): Record<string, [string, string | undefined]> =>
  Object.fromEntries(d.splits['train']!.map((s) => [s.id, [d.classes[s.label]!, s.subject]]));
const skipped = (d: Dataset) => d.problems.filter((p) => p.severity !== 'warning');
const warnings = (d: Dataset) => d.problems.filter((p) => p.severity === 'warning');

test('the four formats are registered', () => {
  for (const f of ['jaffe', 'kdef', 'rafd', 'genki4k']) assert.ok(DATASET_FORMATS.includes(f as never), f);
});

// ---------- JAFFE ----------

test('jaffe: labels and subjects from names, TIFF in any case, bad names and a copy skipped with the file name', async () => {
  const root = fresh('jaffe');
  const { malformed, duplicate } = await makeJaffe(root);
  const d = await readDataset('jaffe', root);
  assert.equal(d.format, 'jaffe');
  assert.deepEqual(d.classes, [...SEVEN_CLASSES]);
  assert.deepEqual(Object.keys(d.splits), ['train']);
  assert.deepEqual(labelled(d), {
    'jaffedbase/KA.AN1.39.tiff': ['anger', 'KA'],
    'jaffedbase/KA.HA2.40.tiff': ['happy', 'KA'],
    'jaffedbase/KL.NE1.1.tif': ['neutral', 'KL'],
    'jaffedbase/YM.SU3.60.TIFF': ['surprise', 'YM'],
  });
  const s = skipped(d);
  assert.equal(s.length, 3, JSON.stringify(s));
  for (const name of malformed) assert.ok(s.some((p) => p.file.endsWith(name) && p.message.includes(`'${name}'`)), name);
  assert.ok(s.some((p) => p.message.includes("unknown expression code 'XX'")));
  const dup = s.find((p) => p.file === duplicate);
  assert.ok(dup && dup.message.includes('duplicate') && dup.message.includes('KA.AN1.39.tiff'), JSON.stringify(dup));
  assert.ok(!d.problems.some((p) => p.file.endsWith('README')), 'non-image files are ignored');
  assert.equal(d.notes, undefined);
  // Three classes have no image here: warned, nothing left out.
  assert.deepEqual(warnings(d).map((p) => p.message).sort(), ['disgust', 'fear', 'sad'].map((c) => `class '${c}' has zero samples in the train split`));
});

test("jaffe: decodeMany decodes the TIFFs to their colours", async () => {
  const root = fresh('jaffe-decode');
  await makeJaffe(root);
  const d = await readJaffe(root);
  const samples = d.splits['train']!;
  const out = await decodeMany(samples, 8, { concurrency: 2 });
  assert.equal(out.count, samples.length);
  assert.deepEqual(out.skipped, []);
  samples.forEach((s, i) => {
    const colour = JAFFE_COLOURS[s.id.split('/').pop()!]!;
    assert.ok(near(meanRgb(out.pixels, 8, i), colour), `${s.id}: ${meanRgb(out.pixels, 8, i)} vs ${colour}`);
    assert.equal(out.labels[i], s.label);
  });
});

test('jaffe: a folder without any JAFFE name is fatal, naming what was expected', async () => {
  const root = fresh('jaffe-empty');
  await makeGenki(root, ['1 0 0 0'], [1]);
  await rejectsWith(() => readJaffe(root), root, 'no usable samples', 'KA.AN1.39', 'file0001.jpg');
  await rejectsWith(() => readJaffe(join(root, 'absent')), 'JAFFE dataset root not found');
});

// ---------- KDEF / AKDEF ----------

test('kdef: frontal views by default, subject = sex + number across sessions, AKDEF beside KDEF left out', async () => {
  const root = fresh('kdef');
  const { malformed } = await makeKdef(root);
  const d = await readDataset('kdef', root);
  assert.deepEqual(d.classes, [...SEVEN_CLASSES]);
  assert.deepEqual(labelled(d), {
    'KDEF/AF01/AF01ANS.JPG': ['anger', 'F01'],
    'KDEF/AF01/AF01AFS.JPG': ['fear', 'F01'],
    'KDEF/BF01/BF01SUS.JPG': ['surprise', 'F01'],
    'KDEF/AM02/AM02DIS.JPG': ['disgust', 'M02'],
  });
  assert.deepEqual(d.notes, {
    'kdef: images of other views left out (views S)': 2,
    'kdef: AKDEF averaged faces left out (KDEF images present; they average every subject)': 3,
  });
  const s = skipped(d);
  assert.equal(s.length, malformed.length, JSON.stringify(s));
  for (const name of malformed) assert.ok(s.some((p) => p.file.endsWith(name) && p.message.includes(`'${name}'`)), name);
  assert.ok(s.some((p) => p.message.includes("unknown expression code 'XX'")));
  assert.ok(s.some((p) => p.message.includes("unknown view 'Q'")));
  // Both sessions of F01 stay in one fold.
  const folds = subjectKFold(d.splits['train']!, 2, 0);
  const foldOf = (id: string) => folds.findIndex((f) => f.some((i) => d.splits['train']![i]!.id === id));
  assert.equal(foldOf('KDEF/AF01/AF01ANS.JPG'), foldOf('KDEF/BF01/BF01SUS.JPG'));
});

test('kdef: views option selects other views; a view that does not exist is fatal', async () => {
  const root = fresh('kdef-views');
  await makeKdef(root);
  const hl = await readKdef(root, { views: ['hl'] });
  assert.deepEqual(labelled(hl), { 'KDEF/AF01/AF01HAHL.JPG': ['happy', 'F01'] });
  assert.equal(hl.notes!['kdef: images of other views left out (views HL)'], 5);
  const some = await readKdef(root, { views: 'S,FR' });
  assert.equal(some.splits['train']!.length, 5);
  const all = await readKdef(root, { views: 'all' });
  assert.equal(all.splits['train']!.length, 6);
  assert.equal(all.notes!['kdef: images of other views left out (views S,HL,HR,FL,FR)'], undefined);
  await rejectsWith(() => readKdef(root, { views: 'S,up' }), 'option views', "unknown value \"up\"", 'HL');
  await rejectsWith(() => readKdef(root, { views: [] }), 'option views');
});

test('kdef: an AKDEF folder alone is read; averaged: true mixes them in with a warning', async () => {
  const alone = fresh('akdef');
  await writeAkdef(alone);
  const a = await readKdef(alone);
  assert.deepEqual(labelled(a), { 'FAFS.JPG': ['fear', 'AKDEF-F'], 'MHAS.JPG': ['happy', 'AKDEF-M'] });
  assert.equal(a.notes!['kdef: images of other views left out (views S)'], 1);
  const root = fresh('kdef-mixed');
  await makeKdef(root);
  const mixed = await readKdef(root, { averaged: true });
  assert.equal(mixed.splits['train']!.length, 6);
  assert.ok(warnings(mixed).some((p) => p.message.includes('AKDEF averaged faces are read beside KDEF images')));
  const none = await readKdef(alone, { averaged: false, views: 'all' }).catch((e: unknown) => e);
  assert.ok(none instanceof DataError && none.message.includes('no usable samples'));
});

// ---------- RaFD ----------

test('rafd: frontal camera, every gaze and 8 classes by default; bad names skipped with the file name', async () => {
  const root = fresh('rafd');
  const { malformed } = await makeRafd(root);
  const d = await readDataset('rafd', root);
  assert.deepEqual(d.classes, [...EIGHT_CLASSES]);
  assert.deepEqual(labelled(d), {
    'Rafd090_01_Caucasian_female_angry_frontal.jpg': ['anger', '01'],
    'Rafd090_01_Caucasian_female_contemptuous_left.jpg': ['contempt', '01'],
    'Rafd090_02_Moroccan_male_happy_right.jpg': ['happy', '02'],
    'Rafd090_04_Kid_female_surprised_frontal.jpg': ['surprise', '04'],
  });
  assert.deepEqual(d.notes, { 'rafd: images of other camera angles left out (angles 090)': 2 });
  const s = skipped(d);
  assert.equal(s.length, malformed.length, JSON.stringify(s));
  for (const name of malformed) assert.ok(s.some((p) => p.file.endsWith(name) && p.message.includes(`'${name}'`)), name);
  assert.ok(s.some((p) => p.message.includes("unknown expression 'bored'")));
  assert.ok(s.some((p) => p.message.includes("unknown camera angle '100'")));
  assert.ok(s.some((p) => p.message.includes("unknown gaze 'up'")));
});

test('rafd: 7 classes drop contempt into notes; angles and gaze are selectable; bad options are fatal', async () => {
  const root = fresh('rafd-opts');
  await makeRafd(root);
  const seven = await readRafd(root, { classes: 7 });
  assert.deepEqual(seven.classes, [...SEVEN_CLASSES]);
  assert.equal(seven.splits['train']!.length, 3);
  assert.equal(seven.notes!['rafd: contempt images dropped (7 classes)'], 1);
  const angles = await readRafd(root, { angles: '45,090,180' });
  assert.equal(angles.splits['train']!.length, 6);
  const profile = await readRafd(root, { angles: ['180'] });
  assert.deepEqual(labelled(profile), { 'Rafd180_02_Moroccan_male_neutral_frontal.jpg': ['neutral', '02'] });
  const frontalGaze = await readRafd(root, { gaze: 'frontal' });
  assert.deepEqual(Object.keys(labelled(frontalGaze)).sort(), ['Rafd090_01_Caucasian_female_angry_frontal.jpg', 'Rafd090_04_Kid_female_surprised_frontal.jpg']);
  assert.equal(frontalGaze.notes!['rafd: images of other gaze directions left out (gaze frontal)'], 2);
  await rejectsWith(() => readRafd(root, { classes: 9 as never }), 'option classes must be 7 or 8');
  await rejectsWith(() => readRafd(root, { angles: '060' }), 'option angles', '"060"');
  await rejectsWith(() => readRafd(root, { gaze: ['down'] }), 'option gaze', '"down"');
});

// ---------- GENKI-4K ----------

test('genki4k: line N is files/fileNNNN.jpg, classes no-smile/smile, a missing image skipped', async () => {
  const root = fresh('genki');
  await makeGenki(root, ['1 -0.021162 0.059530 -0.039662', '0 0.1 -0.2 0.05', '1  0 0 0', '0 0 0 0', '', ''], [1, 2, 3]);
  const d = await readDataset('genki4k', root);
  assert.deepEqual(d.classes, ['no-smile', 'smile']);
  assert.deepEqual(Object.fromEntries(d.splits['train']!.map((s) => [s.id, s.label])), { 'files/file0001.jpg': 1, 'files/file0002.jpg': 0, 'files/file0003.jpg': 1 });
  assert.ok(d.splits['train']!.every((s) => s.subject === undefined));
  assert.deepEqual(skipped(d).map((p) => [p.file, p.line]), [[join(root, 'labels.txt'), 4]]);
  assert.ok(skipped(d)[0]!.message.includes(join(root, 'files', 'file0004.jpg')));
  assert.deepEqual(d.sourceFiles, [join(root, 'labels.txt')]);
  const unchecked = await readGenki4k(root, { checkImages: false });
  assert.equal(unchecked.splits['train']!.length, 4);
});

test('genki4k: a malformed line is fatal with labels.txt:line; missing label file or folder is fatal', async () => {
  const cases: [string[], string][] = [
    [['1 0 0 0', '1 0.1 0.2'], 'expected 4 space-separated fields'],
    [['1 0 0 0', 'yes 0 0 0'], 'smile (1 smile, 0 no smile) must be an integer'],
    [['1 0 0 0', '2 0 0 0'], 'out of range'],
    [['1 0 0 0', '0 0 left 0'], "pitch must be a number, found 'left'"],
  ];
  for (const [lines, fragment] of cases) {
    const root = fresh('genki-bad');
    await makeGenki(root, lines, [1, 2]);
    await rejectsWith(() => readGenki4k(root), `${join(root, 'labels.txt')}:2:`, fragment);
  }
  const gap = fresh('genki-gap');
  await makeGenki(gap, ['1 0 0 0', '', '0 0 0 0'], [1, 3]);
  await rejectsWith(() => readGenki4k(gap), `${join(gap, 'labels.txt')}:2:`, 'files/file0002.jpg');
  const noLabels = fresh('genki-nolabels');
  await makeGenki(noLabels, [], [1]);
  rmSync(join(noLabels, 'labels.txt'));
  await rejectsWith(() => readGenki4k(noLabels), 'labels.txt', 'file not found');
  const noFiles = fresh('genki-nofiles');
  await makeGenki(noFiles, ['1 0 0 0'], []);
  await rejectsWith(() => readGenki4k(noFiles), 'files', 'folder not found');
});

// ---------- CLI ----------

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const semifer = (args: string[]) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('semifer data inspect reads a JAFFE folder; --view reaches the KDEF reader and is refused for JAFFE', async () => {
  const jaffe = fresh('cli-jaffe');
  await makeJaffe(jaffe);
  const r = semifer(['data', 'inspect', '--dataset', 'jaffe', '--root', jaffe, '--sample-images', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { ok: boolean; classes: string[]; splits: { split: string; total: number }[]; problems: unknown[] };
  assert.equal(report.ok, true);
  assert.deepEqual(report.classes, [...SEVEN_CLASSES]);
  assert.deepEqual(report.splits.map((s) => [s.split, s.total]), [['train', 4]]);
  const refused = semifer(['data', 'inspect', '--dataset', 'jaffe', '--root', jaffe, '--view', 'S']);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /--view applies to --dataset kdef .* and rafd/);
  const kdef = fresh('cli-kdef');
  await makeKdef(kdef);
  const hl = semifer(['data', 'inspect', '--dataset', 'kdef', kdef, '--view', 'HL,FR', '--sample-images', '0', '--json']);
  assert.equal(hl.code, 0, hl.stderr);
  assert.deepEqual((JSON.parse(hl.stdout) as { splits: { total: number }[] }).splits.map((s) => s.total), [2]);
});
