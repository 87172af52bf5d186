/**
 * JAFFE (Japanese Female Facial Expression), as distributed: one folder of
 * TIFF images (some copies ship .tif/.TIFF or a converted format) named
 *   KA.AN1.39.tiff   subject KA . expression AN + pose number 1 . image number 39
 * Expression codes: AN anger, DI disgust, FE fear, HA happy, NE neutral,
 * SA sad, SU surprise (7 classes). Images are found anywhere under the root;
 * the README and other non-image files are ignored.
 * A name that does not fit the pattern is reported with its file name and
 * skipped. JAFFE has no official split: everything is 'train' (use
 * subjectKFold for a subject-independent evaluation); `subject` is the
 * two-letter code, upper-cased.
 */
import { SEVEN_CLASSES, type CanonicalClass } from '../classes.js';
import type { Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { requireRoot } from './files.js';
import { PictureSet, listNamedImages } from './namedImages.js';

/** JAFFE's expression codes → canonical class names. */
const JAFFE_CODES: Record<string, CanonicalClass> = {
  AN: 'anger', DI: 'disgust', FE: 'fear', HA: 'happy', NE: 'neutral', SA: 'sad', SU: 'surprise',
};

/** subject . expression code + pose number . image number */
const JAFFE_NAME = /^([A-Za-z]+)\.([A-Za-z]{2})(\d+)\.(\d+)$/;

export async function readJaffe(root: string): Promise<Dataset> {
  requireRoot(root, 'JAFFE', "TIFF images named like 'KA.AN1.39.tiff'");
  const classes = [...SEVEN_CLASSES];
  const b = new DatasetBuilder('jaffe', root, classes);
  const pictures = new PictureSet(b);
  for (const img of listNamedImages(root)) {
    const m = JAFFE_NAME.exec(img.stem);
    if (!m) {
      pictures.malformed(img, "does not fit JAFFE's pattern 'SUBJECT.EXPRESSION<pose>.<number>' (e.g. 'KA.AN1.39.tiff')");
      continue;
    }
    const code = m[2]!.toUpperCase();
    const name = JAFFE_CODES[code];
    if (name === undefined) {
      pictures.malformed(img, `has an unknown expression code '${m[2]}' (expected one of ${Object.keys(JAFFE_CODES).join(', ')})`);
      continue;
    }
    pictures.add(img, classes.indexOf(name), m[1]!.toUpperCase());
  }
  return b.finish({ expected: "images named like 'KA.AN1.39.tiff' under the root" });
}
