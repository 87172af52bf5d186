/**
 * CK+'s FACS files, one per coded image (the peak frame of a sequence):
 *   FACS/S005/001/S005_001_00000011_facs.txt
 * One line per action unit present, two floats in the same fixed-width
 * exponent notation as the emotion files: the AU number and its intensity
 *   '   9.0000000e+00   4.0000000e+00'
 * Intensities 1–5 are FACS's A–E; 0 means the AU was coded without an
 * intensity. (Lucey et al., "The Extended Cohn-Kanade Dataset (CK+)", CVPRW
 * 2010, and the ReadMeCohnKanadeDatabase_website.txt shipped with CK+.)
 */
import { readFileSync } from 'node:fs';
import { DataError } from '../types.js';
import { parseLabelCode } from './fields.js';
import { splitWhitespace } from './textLines.js';

/** AU number → intensity for one coded image; a malformed line is a DataError naming it. */
export function readFacsFile(file: string): Record<number, number> {
  const out: Record<number, number> = {};
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((text, i) => {
    const cols = splitWhitespace(text);
    if (cols.length === 0) return;
    const line = i + 1;
    if (cols.length !== 2) throw new DataError(file, line, `expected 2 numbers '<AU number> <intensity 0-5>', found ${cols.length} fields`);
    const au = parseLabelCode(file, line, cols[0]!, 'AU number', 1, 99);
    const intensity = parseLabelCode(file, line, cols[1]!, 'AU intensity', 0, 5);
    if (au in out) throw new DataError(file, line, `AU ${au} is listed twice`);
    out[au] = intensity;
  });
  return out;
}
