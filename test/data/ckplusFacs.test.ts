/**
 * CK+'s FACS files on a fixture in the published layout: FACS/Sxxx/yyy/
 * Sxxx_yyy_<frame>_facs.txt beside Emotion/ and cohn-kanade-images/, one line
 * per AU with the AU number and its intensity as '%15.7e' floats, the way CK+
 * writes its emotion files (Lucey et al., CVPRW 2010; CK+'s own ReadMe).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readDataset } from '../../src/data/readers/index.js';
import { formatInspectReport, inspectLoadedDataset } from '../../src/data/inspect.js';
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
