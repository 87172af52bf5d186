/**
 * RaFD (Radboud Faces Database), as distributed: JPEGs anywhere under the
 * root, named
 *   Rafd090_01_Caucasian_female_angry_frontal.jpg
 *   camera angle (000, 045, 090 = frontal, 135, 180) _ person number _
 *   ethnicity (Caucasian, Moroccan, Kid, …; not checked) _ sex (female/male) _
 *   expression _ gaze (frontal, left, right)
 * Expressions: angry, contemptuous, disgusted, fearful, happy, neutral, sad,
 * surprised — 8 classes with contempt by default; option classes 7 drops the
 * contempt images (counted in notes).
 * Only camera angle 090 is read by default; option `angles` selects others
 * ('045,090,135', ['0', '180'], 'all'). All gaze directions are read by
 * default; option `gaze` selects some. Left-out images are counted in notes.
 * A name that does not fit the pattern is reported with its file name and
 * skipped. RaFD has no official split: everything is 'train' (use
 * subjectKFold); `subject` is the person number as written ('01').
 */
import { EIGHT_CLASSES, SEVEN_CLASSES, type CanonicalClass } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { parseChoiceList, type ChoiceList } from './choiceOption.js';
import { requireRoot } from './files.js';
import { PictureSet, listNamedImages } from './namedImages.js';
import type { ClassCount } from './options.js';

export interface RafdOptions {
  /** Camera angles to read: 000, 045, 090 (frontal, default), 135, 180, or 'all'; a list or a comma-separated string. */
  angles?: ChoiceList;
  /** Gaze directions to read: frontal, left, right (default all). */
  gaze?: ChoiceList;
  /** 8 (default, with contempt) or 7 (contempt images dropped). */
  classes?: ClassCount;
}

const RAFD_EXPRESSIONS: Record<string, CanonicalClass> = {
  angry: 'anger', contemptuous: 'contempt', disgusted: 'disgust', fearful: 'fear',
  happy: 'happy', neutral: 'neutral', sad: 'sad', surprised: 'surprise',
};

/** Angle spellings accepted by option `angles`, lower-case → the file name's three digits. */
const ANGLE_SPELLINGS: Record<string, string> = {
  '000': '000', '0': '000', '045': '045', '45': '045',
  '090': '090', '90': '090', frontal: '090', front: '090',
  '135': '135', '180': '180',
};
const ANGLES = new Set(Object.values(ANGLE_SPELLINGS));
const GAZES: Record<string, string> = { frontal: 'frontal', front: 'frontal', left: 'left', right: 'right' };
const SEXES = new Set(['female', 'male']);

/** Rafd<angle>_<number>_<ethnicity>_<sex>_<expression>_<gaze> */
const RAFD_NAME = /^rafd(\d{3})_(\d+)_([a-z-]+)_([a-z]+)_([a-z]+)_([a-z]+)$/i;

export async function readRafd(root: string, opts: RafdOptions = {}): Promise<Dataset> {
  requireRoot(root, 'RaFD', "JPEG images named like 'Rafd090_01_Caucasian_female_angry_frontal.jpg'");
  const numClasses = opts.classes ?? 8;
  if (numClasses !== 7 && numClasses !== 8) throw new DataError(root, undefined, `option classes must be 7 or 8, got ${String(numClasses)}`);
  const angles = parseChoiceList(root, 'angles', opts.angles, ANGLE_SPELLINGS, ['090']);
  const gazes = parseChoiceList(root, 'gaze', opts.gaze, GAZES, ['frontal', 'left', 'right']);
  const classes = [...(numClasses === 8 ? EIGHT_CLASSES : SEVEN_CLASSES)];
  const b = new DatasetBuilder('rafd', root, classes);
  const pictures = new PictureSet(b);

  for (const img of listNamedImages(root)) {
    const m = RAFD_NAME.exec(img.stem);
    if (!m) {
      pictures.malformed(img, "does not fit RaFD's pattern 'Rafd<angle>_<number>_<ethnicity>_<sex>_<expression>_<gaze>' (e.g. 'Rafd090_01_Caucasian_female_angry_frontal.jpg')");
      continue;
    }
    const [, angle, person, , sex, expression, gaze] = m.map((s) => s.toLowerCase()) as [string, string, string, string, string, string, string];
    const name = RAFD_EXPRESSIONS[expression];
    const why =
      !ANGLES.has(angle) ? `has an unknown camera angle '${angle}' (expected one of ${[...ANGLES].join(', ')})`
      : !SEXES.has(sex) ? `has an unknown sex '${sex}' (expected female or male)`
      : name === undefined ? `has an unknown expression '${expression}' (expected one of ${Object.keys(RAFD_EXPRESSIONS).join(', ')})`
      : GAZES[gaze] !== gaze ? `has an unknown gaze '${gaze}' (expected frontal, left or right)`
      : undefined;
    if (why !== undefined || name === undefined) {
      pictures.malformed(img, why!);
      continue;
    }
    if (!angles.has(angle)) {
      b.note(`rafd: images of other camera angles left out (angles ${[...angles].join(',')})`);
      continue;
    }
    if (!gazes.has(gaze)) {
      b.note(`rafd: images of other gaze directions left out (gaze ${[...gazes].join(',')})`);
      continue;
    }
    const label = classes.indexOf(name);
    if (label < 0) {
      b.note('rafd: contempt images dropped (7 classes)');
      continue;
    }
    pictures.add(img, label, person);
  }
  return b.finish({ expected: `images named like 'Rafd090_01_Caucasian_female_angry_frontal.jpg' of camera angles ${[...angles].join(',')}` });
}
