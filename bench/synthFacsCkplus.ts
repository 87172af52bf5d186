/**
 * Synthetic faces in CK+'s layout with FACS files, for measuring AU training
 * (docs/action-units.md) where CK+ itself is not at hand:
 *   node dist/bench/synthFacsCkplus.js OUT [SUBJECTS=40] [SIZE=64]
 * Each subject (one drawn identity) gets one sequence per basic expression: a
 * neutral first frame and a peak frame, the peak's emotion file, and its FACS
 * file listing every AU the generator drew above 0.3, with intensity
 * ceil(5 × value) (A–E). The generator's units map to the FACS numbers its
 * comments name (src/data/synth/actionUnits.ts); where it merges several AUs
 * (AU23/24 lip press, AU25–27 jaw drop) the file names one of them.
 * Prints how many peak frames code each AU.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, sampleIdentity, generateFaceParams, renderFace, type ActionUnitName } from '../src/data/synth/index.js';

const AU_NUMBER: Record<ActionUnitName, number> = {
  innerBrowRaise: 1, outerBrowRaise: 2, browLower: 4, upperLidRaise: 5, cheekRaise: 6, lidTighten: 7, noseWrinkle: 9, upperLipRaise: 10,
  lipCornerPull: 12, lipCornerDepress: 15, chinRaise: 17, lipStretch: 20, lipFunnel: 22, lipPress: 23, jawDrop: 26, lidDroop: 43,
};
/** Present above this drawn value. */
const PRESENT = 0.3;
/** CK+'s emotion code of each canonical expression (1 happy … 6 anger). */
const CK_CODE: Record<number, number> = { 1: 5, 2: 6, 3: 7, 4: 4, 5: 3, 6: 1 };
/** CK+'s number format: '   1.2000000e+01'. */
const ck = (v: number): string => `   ${v.toExponential(7).replace(/e([+-])(\d)$/, 'e$10$2')}`;

const [root, subjectsArg, sizeArg] = process.argv.slice(2);
if (!root) {
  console.error('usage: node dist/bench/synthFacsCkplus.js OUT [SUBJECTS=40] [SIZE=64]');
  process.exit(2);
}
const subjects = Number(subjectsArg ?? 40), size = Number(sizeArg ?? 64);
const counts: Record<number, number> = {};
for (let s = 0; s < subjects; s++) {
  const subject = `S${String(s + 100).padStart(3, '0')}`;
  const identity = sampleIdentity(new Rng(1000 + s));
  for (let e = 1; e <= 6; e++) {
    const seq = String(e).padStart(3, '0');
    const dir = (top: string): string => {
      const d = join(root, top, subject, seq);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const stem = (f: number): string => `${subject}_${seq}_${String(f).padStart(8, '0')}`;
    const neutral = generateFaceParams(new Rng(s * 100 + e * 10), 0, { identity });
    const peak = generateFaceParams(new Rng(s * 100 + e * 10 + 1), e, { identity });
    writeFileSync(join(dir('cohn-kanade-images'), `${stem(1)}.png`), await renderFace(neutral, size));
    writeFileSync(join(dir('cohn-kanade-images'), `${stem(2)}.png`), await renderFace(peak, size));
    writeFileSync(join(dir('Emotion'), `${stem(2)}_emotion.txt`), `${ck(CK_CODE[e]!)}\n`);
    const present = (Object.entries(peak.au) as [ActionUnitName, number][]).filter(([, v]) => v > PRESENT);
    for (const [k] of present) counts[AU_NUMBER[k]] = (counts[AU_NUMBER[k]] ?? 0) + 1;
    writeFileSync(join(dir('FACS'), `${stem(2)}_facs.txt`), present.map(([k, v]) => `${ck(AU_NUMBER[k])}${ck(Math.min(5, Math.ceil(5 * v)))}\n`).join(''));
  }
}
console.log(`${subjects * 6} coded peak frames in ${root}; frames coding each AU: ${Object.entries(counts).map(([au, n]) => `AU${au} ${n}`).join(', ')}`);
