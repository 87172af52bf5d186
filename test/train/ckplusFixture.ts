// A small CK+-layout dataset with several subjects, for the k-fold tests:
// cohn-kanade-images/Sxxx/yyy/Sxxx_yyy_0000000f.png + Emotion/Sxxx/yyy/…_emotion.txt.
// Every subject has one 4-frame sequence per emotion (odd-numbered subjects
// lack surprise, so subjects differ in size); with CK+'s reader defaults
// (3 peak frames, neutral first frame) each sequence gives 3 labelled images
// and one neutral image. Frames are solid colours by
// class with a per-subject tint, so a model can learn something.
// With `facs`, each sequence's peak (last) frame also gets its FACS file,
// FACS/Sxxx/yyy/Sxxx_yyy_00000004_facs.txt: one line per AU present, the AU
// number and its intensity as CK+ writes its numbers ('   1.2000000e+01'),
// the layout of CK+'s ReadMe (Lucey et al., CVPRW 2010). The AUs are each
// emotion's prototype (EMFACS), so they follow the frame's colour; each subject
// also gets a FACS-coded sequence 009 without an emotion file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSolid, writeText, type Rgb } from '../data/fixtures.js';

/** CK+ emotion codes used (1 anger … 7 surprise; 2 contempt is left out, as 7-class CK+ drops it). */
const CODES = [1, 3, 4, 5, 6, 7];
const CLASS_COLOUR: Record<number, Rgb> = { 0: [128, 128, 128], 1: [200, 40, 40], 3: [40, 160, 40], 4: [60, 60, 200], 5: [230, 210, 40], 6: [40, 170, 200], 7: [200, 60, 200] };

/** AU number and intensity (1–5 for A–E, 0 uncoded) on each emotion's peak frame. */
export const FIXTURE_AUS: Record<number, Array<[number, number]>> = {
  1: [[4, 3], [5, 2], [7, 3], [23, 4]],
  3: [[9, 4], [15, 2], [17, 3]],
  4: [[1, 3], [2, 2], [4, 2], [5, 4], [20, 3], [26, 0]],
  5: [[6, 3], [12, 5], [25, 0]],
  6: [[1, 3], [4, 4], [15, 3], [17, 2]],
  7: [[1, 4], [2, 4], [5, 2], [25, 0], [26, 4]],
};

/** CK+'s number format: '   1.2000000e+01'. */
const ck = (v: number): string => `   ${v.toExponential(7).replace(/e([+-])(\d)$/, 'e$10$2')}`;

export interface CkplusFixture {
  root: string;
  subjects: string[];
  /** Frames written (with `facs`, including the emotion-less sequences' frames, which expression runs do not list). */
  images: number;
}

export async function ckplusDataset(o: { subjects?: number; size?: number; facs?: boolean } = {}): Promise<CkplusFixture> {
  const n = o.subjects ?? 6;
  const size = o.size ?? 24;
  const root = mkdtempSync(join(tmpdir(), 'semifer-ckplus-'));
  const subjects = Array.from({ length: n }, (_, i) => `S${String(i + 10).padStart(3, '0')}`);
  let images = 0;
  for (const [si, subject] of subjects.entries()) {
    for (const [qi, code] of CODES.entries()) {
      if (code === 7 && si % 2 === 1) continue;
      const seq = String(qi + 1).padStart(3, '0');
      for (let f = 1; f <= 4; f++) {
        const base = f === 1 ? CLASS_COLOUR[0]! : CLASS_COLOUR[code]!;
        const tint = (si * 9) % 40;
        const colour: Rgb = [Math.min(255, base[0] + tint), base[1], Math.max(0, base[2] - tint)];
        await writeSolid(join(root, 'cohn-kanade-images', subject, seq, `${subject}_${seq}_${String(f).padStart(8, '0')}.png`), colour, size, size);
        images++;
      }
      writeText(join(root, 'Emotion', subject, seq, `${subject}_${seq}_00000004_emotion.txt`), `   ${code}.0000000e+00\n`);
      if (o.facs) writeText(join(root, 'FACS', subject, seq, `${subject}_${seq}_00000004_facs.txt`), FIXTURE_AUS[code]!.map(([au, i]) => `${ck(au)}${ck(i)}\n`).join(''));
    }
    if (o.facs) {
      // A FACS-coded sequence without an emotion file, as 266 of CK+'s are: a happy face's AUs, no label.
      const seq = '009';
      for (let f = 1; f <= 4; f++) await writeSolid(join(root, 'cohn-kanade-images', subject, seq, `${subject}_${seq}_${String(f).padStart(8, '0')}.png`), f === 1 ? CLASS_COLOUR[0]! : CLASS_COLOUR[5]!, size, size);
      writeText(join(root, 'FACS', subject, seq, `${subject}_${seq}_00000004_facs.txt`), FIXTURE_AUS[5]!.map(([au, i]) => `${ck(au)}${ck(i)}\n`).join(''));
      images += 4;
    }
  }
  return { root, subjects, images };
}
