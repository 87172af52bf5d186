/**
 * KDEF (Karolinska Directed Emotional Faces) and AKDEF (its averaged faces),
 * as distributed: JPEGs anywhere under the root, KDEF usually in one folder
 * per sitting (KDEF/AF01/AF01ANS.JPG).
 *
 * KDEF names, e.g. AF01ANS.JPG:
 *   A      session: A or B (each person was photographed twice)
 *   F      sex: F or M
 *   01     person number (01–35 per sex)
 *   AN     expression: AF afraid, AN angry, DI disgusted, HA happy, NE neutral,
 *          SA sad, SU surprised (7 classes)
 *   S      view: S straight (frontal), HL/HR half left/right, FL/FR full left/right
 * `subject` is sex + number ('F01'): both sessions of a person are one subject.
 *
 * AKDEF names (per the AKDEF documentation), e.g. FAFFL.JPG: sex F/M,
 * expression code, view — an averaged female and an averaged male, 70 images.
 * Their `subject` is 'AKDEF-F' / 'AKDEF-M'. An average is made of every KDEF
 * person, so AKDEF images beside KDEF ones would leak every subject across
 * folds: by default AKDEF images are read only when the root holds no KDEF
 * image (the root is the AKDEF folder); beside KDEF images they are left out
 * and counted in notes. Option `averaged` forces either way (including both
 * adds a warning).
 *
 * Only the frontal view (S) is read by default; option `views` selects others
 * ('S,HL', ['HL', 'HR'], 'all'); images of other views are counted in notes.
 * A name that fits neither pattern is reported with its file name and skipped.
 * KDEF has no official split: everything is 'train' (use subjectKFold).
 */
import { SEVEN_CLASSES, type CanonicalClass } from '../classes.js';
import type { Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { parseChoiceList, type ChoiceList } from './choiceOption.js';
import { requireRoot } from './files.js';
import { PictureSet, listNamedImages, type NamedImage } from './namedImages.js';

export type KdefView = 'S' | 'HL' | 'HR' | 'FL' | 'FR';

export interface KdefOptions {
  /** Views to read: S (frontal, default), HL, HR, FL, FR, or 'all'; a list or a comma-separated string. */
  views?: ChoiceList;
  /** Read AKDEF averaged faces: default only when the root has no KDEF image. */
  averaged?: boolean;
}

const KDEF_CODES: Record<string, CanonicalClass> = {
  AF: 'fear', AN: 'anger', DI: 'disgust', HA: 'happy', NE: 'neutral', SA: 'sad', SU: 'surprise',
};

/** View spellings accepted by option `views`, lower-case → view code. */
const VIEW_SPELLINGS: Record<string, KdefView> = {
  s: 'S', straight: 'S', frontal: 'S', front: 'S',
  hl: 'HL', 'half-left': 'HL', hr: 'HR', 'half-right': 'HR',
  fl: 'FL', 'full-left': 'FL', fr: 'FR', 'full-right': 'FR',
};
const VIEWS = new Set<string>(Object.values(VIEW_SPELLINGS));

/** session, sex, person number, expression, view */
const KDEF_NAME = /^([AB])([FM])(\d{2})([A-Z]{2})([A-Z]{1,2})$/i;
/** sex, expression, view */
const AKDEF_NAME = /^([FM])([A-Z]{2})([A-Z]{1,2})$/i;

interface Parsed { img: NamedImage; averaged: boolean; label: number; view: string; subject: string }

export async function readKdef(root: string, opts: KdefOptions = {}): Promise<Dataset> {
  requireRoot(root, 'KDEF', "JPEG images named like 'AF01ANS.JPG' (KDEF) or 'FAFS.JPG' (AKDEF)");
  const views = parseChoiceList(root, 'views', opts.views, VIEW_SPELLINGS, ['S']);
  const classes = [...SEVEN_CLASSES];
  const b = new DatasetBuilder('kdef', root, classes);
  const pictures = new PictureSet(b);

  const parsed: Parsed[] = [];
  for (const img of listNamedImages(root)) {
    const p = parseName(img, classes);
    if (typeof p === 'string') pictures.malformed(img, p);
    else parsed.push(p);
  }

  const hasIndividuals = parsed.some((p) => !p.averaged);
  const includeAveraged = opts.averaged ?? !hasIndividuals;
  const kept = [...views].join(',');
  let averagedAdded = false;
  for (const p of parsed) {
    if (p.averaged && !includeAveraged) {
      b.note(opts.averaged === false ? 'kdef: AKDEF averaged faces left out (option averaged: false)' : 'kdef: AKDEF averaged faces left out (KDEF images present; they average every subject)');
      continue;
    }
    if (!views.has(p.view)) {
      b.note(`kdef: images of other views left out (views ${kept})`);
      continue;
    }
    pictures.add(p.img, p.label, p.subject);
    averagedAdded ||= p.averaged;
  }
  if (averagedAdded && hasIndividuals) {
    b.warn(root, 'AKDEF averaged faces are read beside KDEF images: each average is made of every KDEF subject, so subject folds are not independent');
  }
  return b.finish({ expected: `images named like 'AF01ANS.JPG' (KDEF) or 'FAFS.JPG' (AKDEF) of views ${kept}` });
}

/** A KDEF or AKDEF name's fields, or why the name is malformed. */
function parseName(img: NamedImage, classes: readonly string[]): Parsed | string {
  const k = KDEF_NAME.exec(img.stem);
  const a = k ? undefined : AKDEF_NAME.exec(img.stem);
  if (!k && !a) return "fits neither KDEF's pattern (e.g. 'AF01ANS.JPG': session A/B, sex F/M, number, expression, view) nor AKDEF's (e.g. 'FAFS.JPG')";
  const [sex, code, view] = (k ? [k[2]!, k[4]!, k[5]!] : [a![1]!, a![2]!, a![3]!]).map((s) => s.toUpperCase()) as [string, string, string];
  const name = KDEF_CODES[code];
  if (name === undefined) return `has an unknown expression code '${code}' (expected one of ${Object.keys(KDEF_CODES).join(', ')})`;
  if (!VIEWS.has(view)) return `has an unknown view '${view}' (expected one of ${[...VIEWS].join(', ')})`;
  return { img, averaged: !k, label: classes.indexOf(name), view, subject: k ? `${sex}${k[3]}` : `AKDEF-${sex}` };
}
