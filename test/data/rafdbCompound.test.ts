/**
 * RAF-DB's compound subset and its manual annotations, on fixtures in the
 * published layout (RAF-DB's README: EmoLabel/list_patition_label.txt with
 * '<image> <code>' lines, Image/aligned/<stem>_aligned.jpg, Image/original/,
 * Annotation/manual/<stem>_manu_attri.txt with 5 landmark lines 'x<TAB>y' then
 * gender, race and age codes, one per line).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { readerOptionsFromFlags } from '../../src/cli/commands/datasetOptions.js';
import { UsageError } from '../../src/cli/errors.js';
import { readDataset } from '../../src/data/readers/index.js';
import { decodeSample } from '../../src/data/decode.js';
import { formatInspectReport, inspectLoadedDataset } from '../../src/data/inspect.js';
import { alignFace, FACE_TEMPLATE } from '../../src/deploy/align.js';
import { GRAY, makeTempDir, rejectsWith, writeRaw, writeSolid, writeText, RED } from './fixtures.js';

const tmp = makeTempDir('rafdb-compound');
after(tmp.cleanup);
let n = 0;
const fresh = (name: string): string => join(tmp.dir, `${name}-${n++}`);

/** A grey W×H photo with a red left eye, a green right eye and a blue mouth, as discs. */
async function writeFacePhoto(path: string, W: number, H: number, eyes: [[number, number], [number, number]], mouth: [number, number]): Promise<void> {
  const raw = Buffer.alloc(W * H * 3);
  const marks: Array<{ at: [number, number]; c: number[] }> = [{ at: eyes[0], c: [230, 20, 20] }, { at: eyes[1], c: [20, 220, 20] }, { at: mouth, c: [20, 20, 230] }];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const m = marks.find((k) => Math.hypot(x + 0.5 - k.at[0], y + 0.5 - k.at[1]) <= 5);
      raw.set(m ? m.c : [128, 128, 128], (y * W + x) * 3);
    }
  }
  await writeRaw(path, raw, W, H, 3);
}

/** A manual annotation as RAF-DB writes it: five 'x\ty' lines, then gender, race, age. */
function manual(points: Array<[number, number]>, gender: number, race: number, age: number): string {
  return `${points.map(([x, y]) => `${x.toFixed(2)}\t${y.toFixed(2)}`).join('\n')}\n${gender}\n${race}\n${age}\n`;
}

async function compoundFixture(root: string): Promise<void> {
  writeText(join(root, 'EmoLabel', 'list_patition_label.txt'), 'train_0001.jpg 1\ntrain_0002.jpg 11\ntrain_0003.jpg 4\ntest_0001.jpg 8\n');
  for (const stem of ['train_0001', 'train_0002', 'train_0003', 'test_0001']) await writeSolid(join(root, 'Image', 'aligned', `${stem}_aligned.jpg`), GRAY, 100, 100);
  // A tilted face in a 160×120 photo: eyes (50, 40) and (90, 50), mouth corners either side of (66, 85).
  await writeFacePhoto(join(root, 'Image', 'original', 'train_0001.jpg'), 160, 120, [[50, 40], [90, 50]], [66, 85]);
  const face: Array<[number, number]> = [[50, 40], [90, 50], [72, 64], [56, 82], [76, 88]];
  writeText(join(root, 'Annotation', 'manual', 'train_0001_manu_attri.txt'), manual(face, 1, 2, 2));
  writeText(join(root, 'Annotation', 'manual', 'train_0002_manu_attri.txt'), manual(face, 0, 0, 3));
  writeText(join(root, 'Annotation', 'manual', 'test_0001_manu_attri.txt'), manual(face, 2, 1, 4));
  // train_0003 has no annotation: counted, not fatal.
}

test('rafdb-compound: 11 classes in code order, train/test by prefix, attributes from the manual annotations', async () => {
  const root = fresh('compound');
  await compoundFixture(root);
  const d = await readDataset('rafdb-compound', root);
  assert.equal(d.format, 'rafdb-compound');
  assert.equal(d.classes.length, 11);
  assert.equal(d.classes[0], 'happily surprised');
  assert.equal(d.classes[10], 'disgustedly surprised');
  assert.deepEqual(d.splits.train!.map((s) => [s.id, s.label]), [['train_0001.jpg', 0], ['train_0002.jpg', 10], ['train_0003.jpg', 3]]);
  assert.deepEqual(d.splits.test!.map((s) => [s.id, s.label]), [['test_0001.jpg', 7]]);
  assert.deepEqual(d.attributeNames, ['gender', 'race', 'age']);
  assert.deepEqual(d.splits.train![0]!.attributes, { gender: 'female', race: 'Asian', age: '20-39' });
  assert.deepEqual(d.splits.train![1]!.attributes, { gender: 'male', race: 'Caucasian', age: '40-69' });
  assert.equal(d.splits.train![2]!.attributes, undefined);
  assert.deepEqual(d.splits.test![0]!.attributes, { gender: 'unsure', race: 'African-American', age: '70+' });
  assert.equal(d.notes?.['rafdb-compound: no manual annotation (landmarks, gender, race, age) for the image'], 1);
  // Aligned images are used as they are: no landmarks on their source.
  assert.equal(d.splits.train![0]!.source.kind === 'file' && d.splits.train![0]!.source.align, undefined);

  const report = await inspectLoadedDataset(d, { sampleImages: 0 });
  const text = formatInspectReport(report);
  assert.match(text, /happily surprised\s+1\s+0/);
  assert.match(text, /fearfully surprised\s+0\s+1/);
  assert.match(text, /gender\s+train\s+test\nfemale\s+1\s+0\nmale\s+1\s+0\nunsure\s+0\s+1\n\(unknown\)\s+1\s+0/);
  assert.match(text, /age\s+train\s+test\n20-39\s+1\s+0\n40-69\s+1\s+0\n70\+\s+0\s+1/);
});

test('rafdb-compound original images are aligned from the manual landmarks with predict\'s similarity transform', async () => {
  const root = fresh('compound-orig');
  await compoundFixture(root);
  const d = await readDataset('rafdb-compound', root, { variant: 'original', checkImages: false });
  const s = d.splits.train![0]!;
  assert.ok(s.source.kind === 'file');
  // Eyes as given (the one further left first); the mouth is the corners' midpoint.
  assert.deepEqual(s.source.align, { eyeLeft: [50, 40], eyeRight: [90, 50], mouth: [66, 85] });
  assert.equal(d.notes?.['rafdb-compound: original images aligned from the manual landmarks'], 3);
  const size = 64;
  const crop = await decodeSample(s, size);
  // The same pixels predict's alignment makes from the decoded photo ...
  const { data, info } = await sharp(join(root, 'Image', 'original', 'train_0001.jpg')).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual(crop, alignFace({ rgb: new Uint8Array(data), width: info.width, height: info.height }, s.source.align!, size));
  // ... and the red eye lands at the template's left eye, level with the green one.
  const at = (x: number, y: number): number[] => [...crop.subarray((Math.floor(y) * size + Math.floor(x)) * 3, (Math.floor(y) * size + Math.floor(x)) * 3 + 3)];
  const [ex, ey] = [FACE_TEMPLATE.eyeLeft[0] * size, FACE_TEMPLATE.eyeLeft[1] * size];
  const red = at(ex, ey);
  assert.ok(red[0]! > 180 && red[1]! < 80, `left eye pixel ${red}`);
  const green = at(FACE_TEMPLATE.eyeRight[0] * size, ey);
  assert.ok(green[1]! > 180 && green[0]! < 80, `right eye pixel ${green}`);
});

test('rafdb-compound and manual annotations: bad input names the file, the line and what was expected', async () => {
  const root = fresh('compound-bad');
  await compoundFixture(root);
  writeText(join(root, 'EmoLabel', 'list_patition_label.txt'), 'train_0001.jpg 12\n');
  await rejectsWith(() => readDataset('rafdb-compound', root), 'list_patition_label.txt:1', 'label out of range: expected 1..11, found 12');

  const root2 = fresh('manual-bad');
  await compoundFixture(root2);
  const file = join(root2, 'Annotation', 'manual', 'train_0001_manu_attri.txt');
  writeText(file, manual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]], 3, 0, 0));
  await rejectsWith(() => readDataset('rafdb-compound', root2), `${file}:6`, 'gender out of range: expected 0..2, found 3');
  writeText(file, '1 2\n3 4\n5 6\n7 8\n0\n0\n0\n');
  await rejectsWith(() => readDataset('rafdb-compound', root2), file, 'expected 8 non-empty lines');
  writeText(file, '1 2\n3 4\n5 6\n7 8 9\n9 10\n0\n0\n0\n');
  await rejectsWith(() => readDataset('rafdb-compound', root2), `${file}:4`, "expected a landmark 'x y'");
});

test('rafdb basic: the manual annotations give the same attributes; without them nothing changes', async () => {
  const root = fresh('basic');
  writeText(join(root, 'EmoLabel', 'list_patition_label.txt'), 'train_00001.jpg 4\ntest_0001.jpg 7\n');
  await writeSolid(join(root, 'Image', 'aligned', 'train_00001_aligned.jpg'), RED, 100, 100);
  await writeSolid(join(root, 'Image', 'aligned', 'test_0001_aligned.jpg'), RED, 100, 100);
  const plain = await readDataset('rafdb', root);
  assert.equal(plain.attributeNames, undefined);
  writeText(join(root, 'Annotation', 'manual', 'train_00001_manu_attri.txt'), manual([[30, 40], [70, 40], [50, 55], [35, 75], [65, 75]], 0, 1, 1));
  writeText(join(root, 'Annotation', 'manual', 'test_0001_manu_attri.txt'), manual([[30, 40], [70, 40], [50, 55], [35, 75], [65, 75]], 1, 0, 0));
  const d = await readDataset('rafdb', root);
  assert.deepEqual(d.splits.train![0]!.attributes, { gender: 'male', race: 'African-American', age: '4-19' });
  assert.deepEqual(d.splits.test![0]!.attributes, { gender: 'female', race: 'Caucasian', age: '0-3' });
  assert.equal(d.splits.train![0]!.label, 1); // 4 Happiness → canonical happy
});

test('semifer data inspect --dataset rafdb-compound --images original: counts per class and attribute, photos aligned; --images refused elsewhere', async () => {
  const root = fresh('compound-cli');
  await compoundFixture(root);
  const main = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
  const r = spawnSync(process.execPath, [main, 'data', 'inspect', '--dataset', 'rafdb-compound', '--root', root, '--images', 'original', '--sample-images', '0', '--no-check-images'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Classes \(11\): happily surprised, happily disgusted/);
  assert.match(r.stdout, /race\s+train\s+test\nAfrican-American\s+0\s+1\nAsian\s+1\s+0\nCaucasian\s+1\s+0/);
  assert.match(r.stdout, /3 × rafdb-compound: original images aligned from the manual landmarks/);
  assert.deepEqual(readerOptionsFromFlags('rafdb', { images: 'original' }), { variant: 'original' });
  assert.deepEqual(readerOptionsFromFlags('ckplus', { images: 'aligned' }), { variant: 'aligned' });
  assert.throws(() => readerOptionsFromFlags('fer2013', { images: 'original' }), (e: unknown) => e instanceof UsageError && /--images applies to --dataset rafdb, rafdb-compound and ckplus, not fer2013/.test(e.message));
});
