/**
 * CK+'s FACS files on a fixture in the published layout: FACS/Sxxx/yyy/
 * Sxxx_yyy_<frame>_facs.txt beside Emotion/ and cohn-kanade-images/, one line
 * per AU with the AU number and its intensity as '%15.7e' floats, the way CK+
 * writes its emotion files (Lucey et al., CVPRW 2010; CK+'s own ReadMe), and
 * Landmarks/…/<frame>_landmarks.txt with 68 'x y' lines for every frame.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readDataset } from '../../src/data/readers/index.js';
import { formatInspectReport, inspectLoadedDataset } from '../../src/data/inspect.js';
import { decodeSample } from '../../src/data/decode.js';
import { alignFace } from '../../src/deploy/align.js';
import sharp from 'sharp';
import { spawnSync } from 'node:child_process';
import { GREEN, RED, makeTempDir, rejectsWith, writeSolid, writeText } from './fixtures.js';

const tmp = makeTempDir('ckplus-facs');
after(tmp.cleanup);
let n = 0;
const fresh = (name: string): string => join(tmp.dir, `${name}-${n++}`);

/** CK+'s number format: '   1.0000000e+00'. */
const ck = (v: number): string => `   ${v.toExponential(7).replace(/e([+-])(\d)$/, 'e$10$2')}`;

async function sequence(root: string, subject: string, seq: string, frames: number, emotion: number, aus?: Array<[number, number]>): Promise<void> {
  const stem = (f: number): string => `${subject}_${seq}_${String(f).padStart(8, '0')}`;
  for (let f = 1; f <= frames; f++) await writeSolid(join(root, 'cohn-kanade-images', subject, seq, `${stem(f)}.png`), f === 1 ? GREEN : RED, 8, 8);
  writeText(join(root, 'Emotion', subject, seq, `${stem(frames)}_emotion.txt`), `${ck(emotion)}\n`);
  if (aus) writeText(join(root, 'FACS', subject, seq, `${stem(frames)}_facs.txt`), aus.map(([au, i]) => `${ck(au)}${ck(i)}\n`).join(''));
}

test('ckplus with FACS/: the peak frame carries its action units; inspect counts images per AU', async () => {
  const root = fresh('facs');
  await sequence(root, 'S005', '001', 4, 3, [[9, 4], [17, 2], [25, 0]]); // disgust: AU9D, AU17B, AU25 (no intensity)
  await sequence(root, 'S010', '002', 3, 5, [[6, 3], [12, 4], [25, 0]]); // happy
  await sequence(root, 'S011', '001', 3, 7); // surprise, not FACS-coded
  assert.equal(ck(9), '   9.0000000e+00');
  const d = await readDataset('ckplus', root, { peakFrames: 2 });
  assert.deepEqual(d.actionUnitNumbers, [6, 9, 12, 17, 25]);
  const byId = new Map(d.splits.train!.map((s) => [s.id.split('/').pop(), s.actionUnits]));
  assert.deepEqual(byId.get('S005_001_00000004.png'), { 9: 4, 17: 2, 25: 0 });
  assert.deepEqual(byId.get('S010_002_00000003.png'), { 6: 3, 12: 4, 25: 0 });
  // Only the coded frame: the frame before the peak and the neutral first frame have none.
  assert.equal(byId.get('S005_001_00000003.png'), undefined);
  assert.equal(byId.get('S005_001_00000001.png'), undefined);
  assert.equal(byId.get('S011_001_00000003.png'), undefined);

  const text = formatInspectReport(await inspectLoadedDataset(d, { sampleImages: 0 }));
  assert.match(text, /action unit\s+train\nAU6\s+1\nAU9\s+1\nAU12\s+1\nAU17\s+1\nAU25\s+2\nFACS-coded images\s+2/);
});

test('ckplus uncodedEmotions: the coded frame of a FACS-coded sequence without an emotion file, unlabelled; off by default', async () => {
  const root = fresh('facs-only');
  await sequence(root, 'S005', '001', 3, 3, [[9, 4]]);
  // S005/002: frames and a FACS file, no Emotion file.
  for (let f = 1; f <= 3; f++) await writeSolid(join(root, 'cohn-kanade-images', 'S005', '002', `S005_002_${String(f).padStart(8, '0')}.png`), RED, 8, 8);
  writeText(join(root, 'FACS', 'S005', '002', 'S005_002_00000003_facs.txt'), `${ck(1)}${ck(2)}\n${ck(2)}${ck(3)}\n`);
  // S006/001: a FACS file whose frame is missing is skipped and named.
  writeText(join(root, 'FACS', 'S006', '001', 'S006_001_00000005_facs.txt'), `${ck(12)}${ck(1)}\n`);
  const plain = await readDataset('ckplus', root);
  assert.equal(plain.splits.train!.filter((s) => s.id.includes('S005_002')).length, 0);
  assert.deepEqual(plain.actionUnitNumbers, [9]);
  const d = await readDataset('ckplus', root, { uncodedEmotions: true });
  const extra = d.splits.train!.filter((s) => s.id.includes('S005_002'));
  assert.deepEqual(extra.map((s) => [s.id, s.label, s.subject, s.actionUnits]), [['cohn-kanade-images/S005/002/S005_002_00000003.png', -1, 'S005', { 1: 2, 2: 3 }]]);
  assert.deepEqual(d.actionUnitNumbers, [1, 2, 9]);
  assert.ok(d.problems.some((p) => p.file.endsWith('S006_001_00000005_facs.txt') && /no image for this FACS file/.test(p.message)));
});

test('ckplus FACS files: a malformed line names the file and the line', async () => {
  const root = fresh('facs-bad');
  await sequence(root, 'S005', '001', 3, 3, [[9, 4]]);
  const file = join(root, 'FACS', 'S005', '001', 'S005_001_00000003_facs.txt');
  writeText(file, `${ck(9)}${ck(4)}\n${ck(12)}\n`);
  await rejectsWith(() => readDataset('ckplus', root), `${file}:2`, "expected 2 numbers '<AU number> <intensity 0-5>'");
  writeText(file, `${ck(9)}${ck(7)}\n`);
  await rejectsWith(() => readDataset('ckplus', root), `${file}:1`, 'AU intensity out of range: expected 0..5, found 7');
  writeText(file, `${ck(9)}${ck(1)}\n${ck(9)}${ck(2)}\n`);
  await rejectsWith(() => readDataset('ckplus', root), `${file}:2`, 'AU 9 is listed twice');
});

test('ckplus --images aligned: each frame aligned from its own 68 landmarks with predict\'s transform; a frame without them is skipped', async () => {
  const root = fresh('landmarks');
  await sequence(root, 'S005', '001', 3, 3);
  // 68 points in CK+'s '%15.7e' pairs: eyes 36–41 around (20, 30) and 42–47 around (44, 30), outer lip 48–59 around (32, 52).
  const points = Array.from({ length: 68 }, (_, i): [number, number] => {
    const ring = (cx: number, cy: number, k: number, r: number): [number, number] => [cx + r * Math.cos(k), cy + r * Math.sin(k)];
    if (i >= 36 && i < 42) return ring(20, 30, (i - 36) * (Math.PI / 3), 3);
    if (i >= 42 && i < 48) return ring(44, 30, (i - 42) * (Math.PI / 3), 3);
    if (i >= 48 && i < 60) return ring(32, 52, (i - 48) * (Math.PI / 6), 6);
    return [i, 60 + (i % 5)];
  });
  const file = (f: number): string => join(root, 'Landmarks', 'S005', '001', `S005_001_0000000${f}_landmarks.txt`);
  writeText(file(1), points.map(([x, y]) => `${ck(x)}${ck(y)}\n`).join(''));
  writeText(file(3), points.map(([x, y]) => `${ck(x)}${ck(y)}\n`).join(''));
  // Frame 2 has no landmarks file.
  const d = await readDataset('ckplus', root, { variant: 'aligned', peakFrames: 2 });
  const train = d.splits.train!;
  assert.deepEqual(train.map((s) => s.id.split('/').pop()), ['S005_001_00000001.png', 'S005_001_00000003.png']);
  assert.equal(d.problems.filter((p) => p.message.startsWith('no landmarks for frame')).length, 1);
  const s = train[1]!;
  assert.ok(s.source.kind === 'file' && s.source.align);
  const near = (p: [number, number], q: [number, number]): boolean => Math.hypot(p[0] - q[0], p[1] - q[1]) < 1e-6;
  assert.ok(near(s.source.align.eyeLeft, [20, 30]) && near(s.source.align.eyeRight, [44, 30]) && near(s.source.align.mouth, [32, 52]), JSON.stringify(s.source.align));
  const crop = await decodeSample(s, 32);
  const { data, info } = await sharp(s.source.path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual(crop, alignFace({ rgb: new Uint8Array(data), width: info.width, height: info.height }, s.source.align, 32));
  // Whole frames stay the default; aligned frames need the Landmarks folder.
  const whole = (await readDataset('ckplus', root)).splits.train![0]!.source;
  assert.ok(whole.kind === 'file' && whole.align === undefined);
  const bare = fresh('no-landmarks');
  await sequence(bare, 'S005', '001', 3, 3);
  await rejectsWith(() => readDataset('ckplus', bare, { variant: 'aligned' }), join(bare, 'Landmarks'), 'folder not found');
});

test('semifer data inspect --dataset ckplus on the FACS fixture: images per AU', async () => {
  const root = fresh('facs-cli');
  await sequence(root, 'S005', '001', 3, 3, [[9, 4], [25, 0]]);
  await sequence(root, 'S010', '001', 3, 5, [[12, 3], [25, 0]]);
  const main = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
  const r = spawnSync(process.execPath, [main, 'data', 'inspect', '--dataset', 'ckplus', '--root', root, '--sample-images', '0'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /action unit\s+train\nAU9\s+1\nAU12\s+1\nAU25\s+2\nFACS-coded images\s+2/);
});
