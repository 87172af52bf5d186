import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DataError, type Dataset } from '../../src/data/types.js';
import { DATASET_FORMATS, readDataset } from '../../src/data/readers/index.js';
import { readRafdb } from '../../src/data/readers/rafdb.js';
import { readFer2013 } from '../../src/data/readers/fer2013.js';
import { readFerplus } from '../../src/data/readers/ferplus.js';
import { readAffectnet } from '../../src/data/readers/affectnet.js';
import { readSfew } from '../../src/data/readers/sfew.js';
import { readCkplus } from '../../src/data/readers/ckplus.js';
import { readExpw } from '../../src/data/readers/expw.js';
import { readImagefolder } from '../../src/data/readers/imagefolder.js';
import { readUnlabelled } from '../../src/data/readers/unlabelled.js';
import { parseCsvLine, readCsvRecords } from '../../src/data/readers/csv.js';
import { LABELLED_FORMATS } from '../../src/cli/commands/datasetOptions.js';
import { BLUE, GREEN, makeTempDir, RED, writeSolid, writeText, rejectsWith } from './fixtures.js';

const tmp = makeTempDir('readers');
after(tmp.cleanup);
let n = 0;
/** A fresh dataset root per test. */
const fresh = (name: string): string => join(tmp.dir, `${name}-${n++}`);


const ids = (d: Dataset, split: string): string[] => (d.splits[split] ?? []).map((s) => s.id);
const labelOf = (d: Dataset, split: string, id: string): string => d.classes[d.splits[split]!.find((s) => s.id === id)!.label]!;
const skipped = (d: Dataset) => d.problems.filter((p) => p.severity !== 'warning');

// ---------- CSV ----------

test('csv: quoted fields, escaped quotes, empty fields and multi-line records', async () => {
  assert.deepEqual(parseCsvLine('a,"b,c",d'), ['a', 'b,c', 'd']);
  assert.deepEqual(parseCsvLine('"say ""hi""",,x,'), ['say "hi"', '', 'x', '']);
  assert.deepEqual(parseCsvLine('"1.0;2.0";3'), ['1.0;2.0;3']);
  assert.equal(parseCsvLine('a,"open'), undefined);
  const root = fresh('csv');
  writeText(join(root, 'f.csv'), '\ufeffh1,h2\r\n1,"two\nlines"\r\n\r\n3,4\n');
  const recs = [];
  for await (const r of readCsvRecords(join(root, 'f.csv'))) recs.push(r);
  assert.deepEqual(recs, [
    { fields: ['h1', 'h2'], line: 1 },
    { fields: ['1', 'two\nlines'], line: 2 },
    { fields: ['3', '4'], line: 5 },
  ]);
});

// ---------- RAF-DB ----------

async function makeRafdb(root: string, lines: string[]): Promise<void> {
  writeText(join(root, 'EmoLabel', 'list_patition_label.txt'), lines.join('\n') + '\n');
}

test('rafdb: layout, label mapping, train/test by prefix, original fallback, missing and duplicate entries', async () => {
  const root = fresh('rafdb');
  await makeRafdb(root, ['train_00001.jpg 4', 'train_00002.jpg 6', 'test_00001.jpg 7', 'train_00003.jpg 1', 'train_00004.jpg 2', 'train_00001.jpg 4', '']);
  await writeSolid(join(root, 'Image', 'aligned', 'train_00001_aligned.jpg'), RED);
  await writeSolid(join(root, 'Image', 'aligned', 'train_00002_aligned.jpg'), GREEN);
  await writeSolid(join(root, 'Image', 'aligned', 'test_00001_aligned.jpg'), BLUE);
  await writeSolid(join(root, 'Image', 'original', 'train_00003.jpg'), BLUE); // only the original exists
  const d = await readRafdb(root);
  assert.equal(d.format, 'rafdb');
  assert.deepEqual(d.classes, ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger']);
  assert.deepEqual(ids(d, 'train'), ['train_00001.jpg', 'train_00002.jpg', 'train_00003.jpg']);
  assert.deepEqual(ids(d, 'test'), ['test_00001.jpg']);
  const first = d.splits['train']![0]!;
  assert.equal(first.label, 1); // RAF-DB 4 Happiness → canonical index 1
  assert.equal(labelOf(d, 'train', 'train_00002.jpg'), 'anger');
  assert.equal(labelOf(d, 'test', 'test_00001.jpg'), 'neutral');
  assert.equal(labelOf(d, 'train', 'train_00003.jpg'), 'surprise');
  assert.deepEqual(first.source, { kind: 'file', path: join(root, 'Image', 'aligned', 'train_00001_aligned.jpg') });
  assert.equal((d.splits['train']![2]!.source as { path: string }).path, join(root, 'Image', 'original', 'train_00003.jpg'));
  assert.equal(Object.values(d.notes ?? {})[0], 1);
  const labelFile = join(root, 'EmoLabel', 'list_patition_label.txt');
  const s = skipped(d);
  assert.equal(s.length, 2);
  assert.equal(s[0]!.file, labelFile);
  assert.equal(s[0]!.line, 5);
  assert.match(s[0]!.message, /image not found/);
  assert.equal(s[1]!.line, 6);
  assert.match(s[1]!.message, /duplicate entry 'train_00001.jpg'.*:1\)/);
  // sad, fear, disgust have no training sample: warnings, nothing skipped
  const warnings = d.problems.filter((p) => p.severity === 'warning').map((p) => p.message);
  assert.equal(warnings.length, 4); // neutral (only in test), sad, fear, disgust
  assert.ok(warnings.some((m) => m.includes("'fear' has zero samples in the train split")));
  assert.deepEqual(d.sourceFiles, [labelFile]);
});

test('rafdb: variant original and label-only reading without images', async () => {
  const root = fresh('rafdb-orig');
  await makeRafdb(root, ['train_00001.jpg 5', 'test_00001.jpg 3']);
  await writeSolid(join(root, 'Image', 'original', 'train_00001.jpg'), RED);
  await writeSolid(join(root, 'Image', 'aligned', 'test_00001_aligned.jpg'), RED);
  const d = await readRafdb(root, { variant: 'original' });
  assert.equal((d.splits['train']![0]!.source as { path: string }).path, join(root, 'Image', 'original', 'train_00001.jpg'));
  assert.equal(labelOf(d, 'train', 'train_00001.jpg'), 'sad');
  assert.equal(labelOf(d, 'test', 'test_00001.jpg'), 'disgust');
  const bare = fresh('rafdb-bare');
  await makeRafdb(bare, ['train_00001.jpg 2']);
  const labelsOnly = await readRafdb(bare, { checkImages: false });
  assert.equal(labelsOnly.splits['train']!.length, 1);
  assert.equal(skipped(labelsOnly).length, 0);
});

test('rafdb: fatal errors name the file, the line and what was expected', async () => {
  const missing = join(tmp.dir, 'does-not-exist');
  await rejectsWith(() => readRafdb(missing), missing, 'EmoLabel/list_patition_label.txt');
  const noLabels = fresh('rafdb-nolabels');
  writeText(join(noLabels, 'readme.txt'), 'x');
  await rejectsWith(() => readRafdb(noLabels), join(noLabels, 'EmoLabel', 'list_patition_label.txt'), 'file not found');
  const cases: [string[], string[]][] = [
    [['train_00001.jpg 4', 'train_00002.jpg'], [':2:', 'expected 2 space-separated columns', 'found 1']],
    [['train_00001.jpg 4 extra'], [':1:', 'found 3']],
    [['train_00001.jpg 4', 'train_00002.jpg happy'], [':2:', "label must be an integer from 1 to 7, found 'happy'"]],
    [['train_00001.jpg 8'], [':1:', 'label out of range: expected 1..7, found 8']],
    [['train_00001.jpg 0'], [':1:', 'out of range']],
    [['val_00001.jpg 3'], [':1:', "must start with 'train_' or 'test_'"]],
  ];
  for (const [lines, fragments] of cases) {
    const root = fresh('rafdb-bad');
    await makeRafdb(root, lines);
    await rejectsWith(() => readRafdb(root, { checkImages: false }), join(root, 'EmoLabel', 'list_patition_label.txt'), ...fragments);
  }
  const allMissing = fresh('rafdb-allmissing');
  await makeRafdb(allMissing, ['train_00001.jpg 4']);
  await rejectsWith(() => readRafdb(allMissing), 'no usable samples', 'image not found');
});

// ---------- FER2013 ----------

const pixelRow = (value: number, count = 2304): string => Array.from({ length: count }, (_, i) => (value + (i % 3)) % 256).join(' ');

function fer2013Csv(rows: [number, string, string][]): string {
  return ['emotion,pixels,Usage', ...rows.map(([e, px, usage]) => `${e},${px},${usage}`)].join('\n') + '\n';
}

test('fer2013: usage → splits, label mapping, pixel sources, bad pixel rows skipped', async () => {
  const root = fresh('fer');
  writeText(join(root, 'fer2013.csv'), fer2013Csv([
    [0, pixelRow(10), 'Training'],
    [3, pixelRow(20), 'PublicTest'],
    [6, pixelRow(30), 'PrivateTest'],
    [4, pixelRow(40, 2303), 'Training'],
    [1, pixelRow(50).replace(/^50/, '300'), 'Training'],
    [5, pixelRow(60), 'Training'],
  ]));
  const d = await readFer2013(root);
  assert.deepEqual(ids(d, 'train'), ['fer0000000', 'fer0000005']);
  assert.deepEqual(ids(d, 'val'), ['fer0000001']);
  assert.deepEqual(ids(d, 'test'), ['fer0000002']);
  const s0 = d.splits['train']![0]!;
  assert.equal(s0.label, 6); // FER2013 0 angry → canonical anger, index 6
  assert.equal(d.classes[6], 'anger');
  assert.equal(labelOf(d, 'val', 'fer0000001'), 'happy');
  assert.equal(labelOf(d, 'test', 'fer0000002'), 'neutral');
  assert.equal(labelOf(d, 'train', 'fer0000005'), 'surprise');
  assert.equal(s0.source.kind, 'pixels');
  if (s0.source.kind === 'pixels') {
    assert.equal(s0.source.width, 48);
    assert.equal(s0.source.channels, 1);
    assert.equal(s0.source.data.length, 2304);
    assert.deepEqual(Array.from(s0.source.data.subarray(0, 4)), [10, 11, 12, 10]);
  }
  const s = skipped(d);
  assert.equal(s.length, 2);
  assert.equal(s[0]!.line, 5);
  assert.match(s[0]!.message, /expected 2304 pixel values, found 2303/);
  assert.equal(s[1]!.line, 6);
  assert.match(s[1]!.message, /over 255/);
});

test('fer2013: wrong header, bad label, bad usage and wrong column count are fatal', async () => {
  const cases: [string, string[]][] = [
    ['label,pixels,Usage\n0,1 2,Training\n', ['wrong CSV header', 'expected columns emotion,pixels,Usage', 'found label,pixels,Usage']],
    [fer2013Csv([[0, pixelRow(1), 'Training'], [7, pixelRow(1), 'Training']]), [':3:', 'emotion out of range: expected 0..6, found 7']],
    [fer2013Csv([[0, pixelRow(1), 'Train']]), [':2:', "Usage must be Training, PublicTest or PrivateTest, found 'Train'"]],
    ['emotion,pixels,Usage\n0,1 2 3\n', [':2:', 'expected 3 comma-separated columns, found 2']],
  ];
  for (const [text, fragments] of cases) {
    const root = fresh('fer-bad');
    writeText(join(root, 'fer2013.csv'), text);
    await rejectsWith(() => readFer2013(root), join(root, 'fer2013.csv'), ...fragments);
  }
});

// ---------- FERPlus ----------

const FERPLUS_HEADER = 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF';

async function makeFerplus(root: string, voteRows: [string, number[]][], fer2013Usages = voteRows.map(([u]) => u)): Promise<void> {
  writeText(join(root, 'fer2013.csv'), fer2013Csv(fer2013Usages.map((u, i) => [0, pixelRow(i), u] as [number, string, string])));
  writeText(
    join(root, 'fer2013new.csv'),
    [FERPLUS_HEADER, ...voteRows.map(([u, votes], i) => `${u},fer${String(i).padStart(7, '0')}.png,${votes.join(',')}`)].join('\n') + '\n',
  );
}

// vote columns: neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF
const FERPLUS_ROWS: [string, number[]][] = [
  ['Training', [6, 4, 0, 0, 0, 0, 0, 0, 0, 0]], // neutral
  ['Training', [0, 5, 5, 0, 0, 0, 0, 0, 0, 0]], // tie happy/surprise → happy
  ['Training', [4, 0, 0, 0, 0, 0, 0, 0, 6, 0]], // unknown majority → skipped
  ['PublicTest', [0, 0, 0, 0, 4, 0, 0, 6, 0, 0]], // contempt
  ['PrivateTest', [0, 0, 0, 0, 0, 0, 0, 0, 0, 10]], // NF → skipped
  ['Training', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], // no votes → skipped
  ['Training', [0, 0, 0, 2, 0, 0, 8, 0, 0, 0]], // fear (2 sadness votes)
];

test('ferplus: majority vote, ties, unknown/NF skipped, 8 and 7 classes', async () => {
  const root = fresh('ferplus');
  await makeFerplus(root, FERPLUS_ROWS);
  const d = await readFerplus(root);
  assert.equal(d.classes.length, 8);
  assert.deepEqual(ids(d, 'train'), ['fer0000000', 'fer0000001', 'fer0000006']);
  assert.equal(labelOf(d, 'train', 'fer0000000'), 'neutral');
  assert.equal(labelOf(d, 'train', 'fer0000001'), 'happy');
  assert.equal(labelOf(d, 'train', 'fer0000006'), 'fear');
  assert.equal(labelOf(d, 'val', 'fer0000003'), 'contempt');
  assert.equal(d.splits['test'], undefined);
  assert.equal(d.notes?.['ferplus: vote tie between emotions broken by canonical class order'], 1);
  const s = skipped(d);
  assert.deepEqual(s.map((p) => p.line), [4, 6, 7]);
  assert.match(s[0]!.message, /majority vote is 'unknown'/);
  assert.match(s[1]!.message, /majority vote is 'NF'/);
  assert.match(s[2]!.message, /no votes on any of the 8 emotions/);
  assert.equal(d.splits['train']![0]!.soft, undefined);
  const px = d.splits['train']![2]!.source;
  assert.ok(px.kind === 'pixels' && px.data[0] === 6); // pixels of fer2013.csv's row 6

  const seven = await readFerplus(root, { classes: 7 });
  assert.equal(seven.classes.length, 7);
  assert.equal(seven.splits['val'], undefined);
  assert.equal(seven.notes?.['ferplus: majority contempt dropped (7 classes)'], 1);
});

test('ferplus: soft labels are the normalised vote distribution', async () => {
  const root = fresh('ferplus-soft');
  await makeFerplus(root, FERPLUS_ROWS);
  const d = await readFerplus(root, { labelMode: 'soft' });
  const s0 = d.splits['train']![0]!;
  assert.equal(s0.label, 0);
  assert.deepEqual(Array.from(s0.soft!), [0.6, 0.4, 0, 0, 0, 0, 0, 0].map((v) => Math.fround(v)));
  const fear = d.splits['train']![2]!;
  // canonical order: neutral, happy, sad, surprise, fear, disgust, anger, contempt
  assert.deepEqual(Array.from(fear.soft!), [0, 0, 0.2, 0, 0.8, 0, 0, 0].map((v) => Math.fround(v)));
  const seven = await readFerplus(root, { labelMode: 'soft', classes: 7 });
  assert.equal(seven.splits['train']![0]!.soft!.length, 7);
});

test('ferplus: misaligned files, wrong header and explicit paths', async () => {
  const root = fresh('ferplus-bad');
  await makeFerplus(root, FERPLUS_ROWS.slice(0, 3), ['Training', 'PublicTest', 'Training']);
  await rejectsWith(() => readFerplus(root), join(root, 'fer2013new.csv'), ':3:', 'not row-aligned');
  const short = fresh('ferplus-short');
  await makeFerplus(short, FERPLUS_ROWS.slice(0, 2));
  writeText(join(short, 'fer2013.csv'), fer2013Csv([[0, pixelRow(1), 'Training']]));
  await rejectsWith(() => readFerplus(short), 'more rows than');
  const header = fresh('ferplus-header');
  await makeFerplus(header, FERPLUS_ROWS.slice(0, 1));
  writeText(join(header, 'fer2013new.csv'), 'Usage,Image name,neutral,happiness\nTraining,a,1,2\n');
  await rejectsWith(() => readFerplus(header), 'wrong CSV header', 'expected columns Usage,Image name,neutral', 'found Usage,Image name,neutral,happiness', 'missing');
  const elsewhere = fresh('ferplus-paths');
  await makeFerplus(elsewhere, FERPLUS_ROWS.slice(0, 1));
  const d = await readFerplus(join(tmp.dir, 'no-root'), { fer2013Csv: join(elsewhere, 'fer2013.csv'), ferplusCsv: join(elsewhere, 'fer2013new.csv') });
  assert.equal(d.splits['train']!.length, 1);
});

// ---------- AffectNet ----------

const AFFECTNET_HEADER = 'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal';

async function makeAffectnet(root: string): Promise<void> {
  const lists = join(root, 'Manually_Annotated_file_lists');
  writeText(join(lists, 'training.csv'), [
    AFFECTNET_HEADER,
    '1/a.jpg,2,3,10,12,"1.5;2.5;3.5,4.5",1,0.5,0.2',
    '1/b.jpg,0,0,16,16,"1;2",7,0.1,0.1',
    '2/c.jpg,0,0,16,16,"1;2",8,0,0',
    '2/d.jpg,0,0,16,16,1;2,10,0,0',
    '2/e.png,1,1,8,8,"1;2",3,0,0',
  ].join('\n') + '\n');
  writeText(join(lists, 'validation.csv'), [AFFECTNET_HEADER, '3/f.jpg,0,0,16,16,"",6,-0.5,0.7'].join('\n') + '\n');
  const imgs = join(root, 'Manually_Annotated_Images');
  for (const p of ['1/a.jpg', '1/b.jpg', '2/c.jpg', '2/d.jpg', '3/f.jpg']) await writeSolid(join(imgs, p), RED);
  await writeSolid(join(root, '2', 'e.png'), GREEN); // directly under root
}

test('affectnet: quoted landmarks, boxes, validation as test, 8 vs 7 classes', async () => {
  const root = fresh('affectnet');
  await makeAffectnet(root);
  const d = await readAffectnet(root);
  assert.equal(d.classes.length, 8);
  assert.deepEqual(ids(d, 'train'), ['1/a.jpg', '1/b.jpg', '2/e.png']);
  assert.deepEqual(ids(d, 'test'), ['3/f.jpg']);
  assert.equal(d.splits['val'], undefined);
  const a = d.splits['train']![0]!;
  assert.equal(d.classes[a.label], 'happy');
  assert.deepEqual(a.source, { kind: 'file', path: join(root, 'Manually_Annotated_Images', '1', 'a.jpg'), box: { x: 2, y: 3, width: 10, height: 12 } });
  assert.equal(labelOf(d, 'train', '1/b.jpg'), 'contempt');
  assert.equal(labelOf(d, 'test', '3/f.jpg'), 'anger');
  assert.equal((d.splits['train']![2]!.source as { path: string }).path, join(root, '2', 'e.png'));
  assert.equal(d.notes?.['affectnet: train rows with expression 8 (None) dropped for 8 classes'], 1);
  assert.equal(d.notes?.['affectnet: train rows with expression 10 (Non-Face) dropped for 8 classes'], 1);
  assert.equal(skipped(d).length, 0);

  const seven = await readAffectnet(root, { classes: 7 });
  assert.equal(seven.classes.length, 7);
  assert.deepEqual(ids(seven, 'train'), ['1/a.jpg', '2/e.png']);
  assert.equal(seven.notes?.['affectnet: train rows with expression 7 (Contempt) dropped for 7 classes'], 1);
});

test('affectnet: headerless validation.csv, wrong header, bad expression', async () => {
  const root = fresh('affectnet-nohead');
  await makeAffectnet(root);
  writeText(join(root, 'Manually_Annotated_file_lists', 'validation.csv'), '3/f.jpg,0,0,16,16,"1;2",6,-0.5,0.7\n');
  const d = await readAffectnet(root);
  assert.deepEqual(ids(d, 'test'), ['3/f.jpg']);
  const train = join(root, 'Manually_Annotated_file_lists', 'training.csv');
  writeText(train, 'path,x,y,w,h,landmarks,expression,valence,arousal\n1/a.jpg,0,0,1,1,"",1,0,0\n');
  await rejectsWith(() => readAffectnet(root), train, 'wrong CSV header', `expected columns ${AFFECTNET_HEADER}`, 'found path,x,y');
  writeText(train, `${AFFECTNET_HEADER}\n1/a.jpg,0,0,16,16,"1;2",11,0,0\n`);
  await rejectsWith(() => readAffectnet(root), `${train}:2:`, 'expression out of range: expected 0..10, found 11');
  writeText(train, `${AFFECTNET_HEADER}\n1/a.jpg,zero,0,16,16,"1;2",1,0,0\n`);
  await rejectsWith(() => readAffectnet(root), `${train}:2:`, "face_x must be a number, found 'zero'");
  writeText(train, `${AFFECTNET_HEADER}\n1/a.jpg,0,0,16,16,1;2,1,0\n`);
  await rejectsWith(() => readAffectnet(root), `${train}:2:`, 'expected 9 comma-separated columns, found 8');
});

// ---------- SFEW ----------

test('sfew: Train/Val class folders, val doubles as test, unknown folder is fatal', async () => {
  const root = fresh('sfew');
  await writeSolid(join(root, 'Train', 'Angry', 'a.jpg'), RED);
  await writeSolid(join(root, 'Train', 'Happy', 'b.png'), GREEN);
  await writeSolid(join(root, 'Val', 'Sad', 'c.jpg'), BLUE);
  await writeSolid(join(root, 'Test', 'x.jpg'), BLUE); // unlabelled official test
  const d = await readSfew(root);
  assert.deepEqual(ids(d, 'train'), ['Train/Angry/a.jpg', 'Train/Happy/b.png']);
  assert.equal(labelOf(d, 'train', 'Train/Angry/a.jpg'), 'anger');
  assert.equal(labelOf(d, 'train', 'Train/Happy/b.png'), 'happy');
  assert.deepEqual(ids(d, 'val'), ['Val/Sad/c.jpg']);
  assert.equal(d.splits['test'], d.splits['val']);
  assert.equal(d.notes?.['sfew: Test/ has no class folders (unlabelled official test set), ignored'], 1);
  await writeSolid(join(root, 'Train', 'Bored', 'z.jpg'), RED);
  await rejectsWith(() => readSfew(root), join(root, 'Train', 'Bored'), "class folder 'Bored'");
  await rejectsWith(() => readSfew(fresh('sfew-empty')), 'SFEW dataset root not found');
});

// ---------- CK+ ----------

async function makeSequence(root: string, subject: string, seq: string, frames: number, code?: string): Promise<void> {
  for (let f = 1; f <= frames; f++) await writeSolid(join(root, 'cohn-kanade-images', subject, seq, `${subject}_${seq}_${String(f).padStart(8, '0')}.png`), f === 1 ? GREEN : RED, 8, 8);
  const emo = join(root, 'Emotion', subject, seq);
  if (code !== undefined) writeText(join(emo, `${subject}_${seq}_${String(frames).padStart(8, '0')}_emotion.txt`), code);
  else writeText(join(emo, '.keep'), ''); // CK+ ships empty folders for unlabelled sequences
}

test('ckplus: peak frames, neutral first frame, subjects, contempt 7 vs 8', async () => {
  const root = fresh('ckplus');
  await makeSequence(root, 'S005', '001', 6, '   3.0000000e+00\n');
  await makeSequence(root, 'S010', '002', 4, '   2.0000000e+00\n');
  await makeSequence(root, 'S011', '001', 5); // no label: unused
  const d = await readCkplus(root);
  assert.equal(d.classes.length, 7);
  const train = d.splits['train']!;
  assert.deepEqual(train.map((s) => s.id), [
    'cohn-kanade-images/S005/001/S005_001_00000001.png',
    'cohn-kanade-images/S005/001/S005_001_00000004.png',
    'cohn-kanade-images/S005/001/S005_001_00000005.png',
    'cohn-kanade-images/S005/001/S005_001_00000006.png',
  ]);
  assert.deepEqual(train.map((s) => d.classes[s.label]), ['neutral', 'disgust', 'disgust', 'disgust']);
  assert.ok(train.every((s) => s.subject === 'S005'));
  assert.equal(d.notes?.['ckplus: contempt sequences dropped (7 classes)'], 1);

  const eight = await readCkplus(root, { classes: 8, peakFrames: 1, includeNeutral: false });
  assert.deepEqual(eight.splits['train']!.map((s) => [s.id.split('/').pop(), eight.classes[s.label], s.subject]), [
    ['S005_001_00000006.png', 'disgust', 'S005'],
    ['S010_002_00000004.png', 'contempt', 'S010'],
  ]);
});

test('ckplus: malformed emotion file and missing folders are fatal', async () => {
  const root = fresh('ckplus-bad');
  await makeSequence(root, 'S005', '001', 3, 'three\n');
  const file = join(root, 'Emotion', 'S005', '001', 'S005_001_00000003_emotion.txt');
  await rejectsWith(() => readCkplus(root), `${file}:1:`, "emotion code must be an integer from 0 to 7, found 'three'");
  writeText(file, '   9.0000000e+00\n');
  await rejectsWith(() => readCkplus(root), `${file}:1:`, 'out of range: expected 0..7, found 9');
  writeText(file, '1\n2\n');
  await rejectsWith(() => readCkplus(root), `${file}:2:`, 'exactly one emotion code');
  const noEmotion = fresh('ckplus-noemo');
  await writeSolid(join(noEmotion, 'cohn-kanade-images', 'S005', '001', 'a.png'), RED);
  await rejectsWith(() => readCkplus(noEmotion), join(noEmotion, 'Emotion'), 'Emotion/Sxxx/yyy/*_emotion.txt');
});

// ---------- ExpW ----------

test('expw: faces with boxes, FER2013 label order, missing image skipped, malformed line fatal', async () => {
  const root = fresh('expw');
  writeText(join(root, 'label', 'label.lst'), ['a.jpg 0 10 5 25 30 80.5 3', 'a.jpg 1 0 0 8 8 50.2 0', 'gone.jpg 0 0 0 8 8 50 6', 'a.jpg 2 5 5 5 9 10 1'].join('\n') + '\n');
  await writeSolid(join(root, 'image', 'origin', 'a.jpg'), RED, 32, 32);
  const d = await readExpw(root);
  assert.deepEqual(ids(d, 'train'), ['a.jpg#0', 'a.jpg#1']);
  const face = d.splits['train']![0]!;
  assert.equal(d.classes[face.label], 'happy');
  assert.deepEqual(face.source, { kind: 'file', path: join(root, 'image', 'origin', 'a.jpg'), box: { x: 5, y: 10, width: 20, height: 20 } });
  assert.equal(labelOf(d, 'train', 'a.jpg#1'), 'anger');
  assert.deepEqual(skipped(d).map((p) => p.line), [3, 4]);
  writeText(join(root, 'label', 'label.lst'), 'a.jpg 0 10 5 25 30 3\n');
  await rejectsWith(() => readExpw(root), `${join(root, 'label', 'label.lst')}:1:`, 'expected 8 space-separated columns');
});

// ---------- ImageFolder & unlabelled ----------

test('imagefolder: class synonyms, nested files, optional split folders, stray files', async () => {
  const root = fresh('imagefolder');
  await writeSolid(join(root, 'Happy', 'x.png'), GREEN);
  await writeSolid(join(root, 'angry', 'y.jpg'), RED);
  await writeSolid(join(root, 'SADNESS', 'sub', 'z.webp'), BLUE);
  await writeSolid(join(root, 'stray.jpg'), BLUE);
  writeText(join(root, 'Happy', 'notes.txt'), 'not an image');
  writeText(join(root, 'Happy', '._x.png'), 'AppleDouble junk');
  const d = await readImagefolder(root);
  assert.equal(d.classes.length, 7);
  assert.deepEqual(ids(d, 'train'), ['Happy/x.png', 'SADNESS/sub/z.webp', 'angry/y.jpg']);
  assert.deepEqual(d.splits['train']!.map((s) => d.classes[s.label]), ['happy', 'sad', 'anger']);
  assert.equal(skipped(d).length, 1);
  assert.match(skipped(d)[0]!.message, /not inside a class folder/);

  const split = fresh('imagefolder-split');
  await writeSolid(join(split, 'train', 'neutral', 'a.jpg'), RED);
  await writeSolid(join(split, 'train', 'Contempt', 'b.jpg'), RED);
  await writeSolid(join(split, 'test', 'neutral', 'c.jpg'), RED);
  await writeSolid(join(split, 'val', 'fear', 'd.jpg'), RED);
  const s = await readImagefolder(split);
  assert.equal(s.classes.length, 8);
  assert.deepEqual(Object.keys(s.splits).sort(), ['test', 'train', 'val']);
  assert.equal(labelOf(s, 'train', 'train/Contempt/b.jpg'), 'contempt');
  assert.equal(labelOf(s, 'val', 'val/fear/d.jpg'), 'fear');
});

test('imagefolder: unknown class folders are fatal unless classes are given', async () => {
  const root = fresh('imagefolder-pets');
  await writeSolid(join(root, 'cat', 'a.jpg'), RED);
  await writeSolid(join(root, 'Dog', 'b.jpg'), GREEN);
  await rejectsWith(() => readImagefolder(root), join(root, 'Dog'), "class folder 'Dog' is not an expression class name", 'accepted', 'angry', 'happiness');
  const d = await readImagefolder(root, { classes: ['dog', 'cat'] });
  assert.deepEqual(d.classes, ['dog', 'cat']);
  assert.equal(labelOf(d, 'train', 'cat/a.jpg'), 'cat');
  assert.equal(d.splits['train']!.find((s) => s.id === 'Dog/b.jpg')!.label, 0);
  await rejectsWith(() => readImagefolder(root, { classes: ['cat'] }), "class folder 'Dog' is not in the given class list; accepted: cat");
});

test('unlabelled: recursive folder, label -1, no class warnings; empty folder is fatal', async () => {
  const root = fresh('unlabelled');
  await writeSolid(join(root, 'a.jpg'), RED);
  await writeSolid(join(root, 'deep', 'er', 'b.png'), GREEN);
  writeText(join(root, 'list.txt'), 'x');
  const d = await readUnlabelled(root);
  assert.deepEqual(ids(d, 'train'), ['a.jpg', 'deep/er/b.png']);
  assert.ok(d.splits['train']!.every((s) => s.label === -1));
  assert.equal(d.problems.length, 0);
  const empty = fresh('unlabelled-empty');
  writeText(join(empty, 'readme.md'), '');
  await rejectsWith(() => readUnlabelled(empty), empty, 'no usable samples');
});

test('registry: every format is listed and dispatches; unknown formats are fatal', async () => {
  assert.deepEqual([...DATASET_FORMATS].sort(), ['affectnet', 'ckplus', 'expw', 'fer2013', 'ferplus', 'genki4k', 'imagefolder', 'jaffe', 'kdef', 'labels', 'rafd', 'rafdb', 'rafdb-compound', 'sfew', 'unlabelled']);
  assert.deepEqual([...LABELLED_FORMATS, 'unlabelled'].sort(), [...DATASET_FORMATS].sort(), "the CLI's --dataset list is the registry");
  const root = fresh('registry');
  await writeSolid(join(root, 'x', 'a.jpg'), RED);
  const d = await readDataset('unlabelled', root);
  assert.equal(d.format, 'unlabelled');
  await rejectsWith(() => readDataset('mmi', root), "unknown dataset format 'mmi'", 'rafdb, fer2013');
  await rejectsWith(() => readDataset('imagefolder' as string, root, { classes: 7 }), 'option classes must be a list of class names');
});
