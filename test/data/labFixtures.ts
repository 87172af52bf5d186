/**
 * Small copies of the lab-posed datasets whose labels live in file names
 * (JAFFE, KDEF/AKDEF, RaFD) and of GENKI-4K: real 16×16 images in each naming
 * scheme, with the oddities the readers must handle (malformed names, other
 * views/angles, non-image files, a duplicate picture, a missing image).
 * Each builder returns what the test needs to know about what it wrote.
 */
import { join } from 'node:path';
import { writeSolid, writeText, type Rgb } from './fixtures.js';

/** One colour per JAFFE file, so a decoded image can be matched to its file. */
export const JAFFE_COLOURS: Record<string, Rgb> = {
  'KA.AN1.39.tiff': [200, 40, 40],
  'KA.HA2.40.tiff': [40, 200, 40],
  'KL.NE1.1.tif': [40, 40, 200],
  'YM.SU3.60.TIFF': [120, 120, 120],
};

/** JAFFE as distributed (one folder of TIFFs and a README), plus two bad names and a copy. */
export async function makeJaffe(root: string): Promise<{ malformed: string[]; duplicate: string }> {
  const dir = join(root, 'jaffedbase');
  for (const [name, colour] of Object.entries(JAFFE_COLOURS)) await writeSolid(join(dir, name), colour);
  writeText(join(dir, 'README'), 'The JAFFE images may be used only for non-commercial scientific research.\n');
  const malformed = ['KA_AN1_41.tiff', 'KA.XX1.42.tiff'];
  for (const name of malformed) await writeSolid(join(dir, name), [0, 0, 0]);
  const duplicate = join(root, 'spare', 'KA.AN1.39.tif'); // after jaffedbase/ in the walk
  await writeSolid(duplicate, [0, 0, 0]);
  return { malformed, duplicate };
}

/** KDEF in per-sitting folders, with an AKDEF folder beside it. */
export async function makeKdef(root: string): Promise<{ malformed: string[] }> {
  const kdef = join(root, 'KDEF');
  const files = [
    'AF01/AF01ANS.JPG', // session A, female 01, angry, straight
    'AF01/AF01AFS.JPG', // afraid → fear
    'AF01/AF01HAHL.JPG', // half left: not read by default
    'BF01/BF01SUS.JPG', // session B of the same person: subject F01 again
    'AM02/AM02DIS.JPG',
    'AM02/AM02NEFR.JPG', // full right
  ];
  for (const f of files) await writeSolid(join(kdef, f), [90, 90, 90]);
  const malformed = ['AF01XXS.JPG', 'AF01ANQ.JPG', 'IMG_0001.JPG'];
  for (const name of malformed) await writeSolid(join(kdef, 'AF01', name), [0, 0, 0]);
  writeText(join(kdef, 'AF01', 'Thumbs.db'), 'not an image');
  await writeAkdef(join(root, 'AKDEF'));
  return { malformed };
}

/** AKDEF: the averaged female and male, named sex + expression + view. */
export async function writeAkdef(dir: string): Promise<void> {
  for (const name of ['FAFS.JPG', 'MHAS.JPG', 'FSUHL.JPG']) await writeSolid(join(dir, name), [150, 150, 150]);
}

/** RaFD in one folder: frontal camera and other angles, three gazes, contempt, bad names. */
export async function makeRafd(root: string): Promise<{ malformed: string[] }> {
  const files = [
    'Rafd090_01_Caucasian_female_angry_frontal.jpg',
    'Rafd090_01_Caucasian_female_contemptuous_left.jpg',
    'Rafd090_02_Moroccan_male_happy_right.jpg',
    'Rafd090_04_Kid_female_surprised_frontal.jpg',
    'Rafd045_01_Caucasian_female_sad_frontal.jpg',
    'Rafd180_02_Moroccan_male_neutral_frontal.jpg',
  ];
  for (const f of files) await writeSolid(join(root, f), [70, 100, 130]);
  const malformed = [
    'Rafd090_03_Caucasian_female_angry.jpg', // gaze missing
    'Rafd090_03_Caucasian_female_bored_frontal.jpg', // not a RaFD expression
    'Rafd100_03_Caucasian_female_angry_frontal.jpg', // no such camera angle
    'Rafd090_03_Caucasian_female_angry_up.jpg', // no such gaze
  ];
  for (const f of malformed) await writeSolid(join(root, f), [0, 0, 0]);
  writeText(join(root, 'license.txt'), 'RaFD terms of use\n');
  return { malformed };
}

/**
 * GENKI-4K: labels.txt and files/fileNNNN.jpg. `lines` are written as given;
 * `images` lists the line numbers whose image exists.
 */
export async function makeGenki(root: string, lines: string[], images: number[]): Promise<void> {
  writeText(join(root, 'labels.txt'), lines.join('\n'));
  for (const n of images) await writeSolid(join(root, 'files', `file${String(n).padStart(4, '0')}.jpg`), [180, 160, 140]);
  writeText(join(root, 'README.txt'), 'GENKI 4K\n');
}
