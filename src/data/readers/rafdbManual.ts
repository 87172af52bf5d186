/**
 * RAF-DB's manual annotations, one file per image:
 *   Annotation/manual/train_00001_manu_attri.txt   (compound: train_0001_manu_attri.txt)
 * As RAF-DB's README (shipped with the dataset, section ANNOTATION, "manual.zip")
 * documents them: the first five lines are the (x, y) locations of five
 * landmarks — the centres of the two eyes, the tip of the nose and the two
 * corners of the mouth — in the original image's pixels; the next three lines
 * are gender (0 male, 1 female, 2 unsure), race (0 Caucasian, 1 African-American,
 * 2 Asian) and age (0: 0-3, 1: 4-19, 2: 20-39, 3: 40-69, 4: 70+).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FacePoints } from '../../deploy/align.js';
import { DataError } from '../types.js';
import { parseLabelCode, parseNumber } from './fields.js';
import { isFile } from './files.js';
import { splitWhitespace } from './textLines.js';

/** Attribute names in the order the file gives them, and each code's group name. */
export const RAFDB_ATTRIBUTES = {
  gender: ['male', 'female', 'unsure'],
  race: ['Caucasian', 'African-American', 'Asian'],
  age: ['0-3', '4-19', '20-39', '40-69', '70+'],
} as const;
export const RAFDB_ATTRIBUTE_NAMES = Object.keys(RAFDB_ATTRIBUTES) as (keyof typeof RAFDB_ATTRIBUTES)[];

export interface RafdbManual {
  /** Eyes (the one further left in the image first) and the mouth's centre, for alignment. */
  points: FacePoints;
  attributes: Record<string, string>;
}

/** The manual annotation file of a list entry ('train_00001.jpg' → …/train_00001_manu_attri.txt). */
export function manualAnnotationPath(manualDir: string, imageName: string): string {
  const dot = imageName.lastIndexOf('.');
  return join(manualDir, `${dot > 0 ? imageName.slice(0, dot) : imageName}_manu_attri.txt`);
}

/** Undefined when the file is missing; a DataError naming the line when it is malformed. */
export function readManualAnnotation(file: string): RafdbManual | undefined {
  if (!isFile(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).map((text, i) => ({ text: text.trim(), line: i + 1 })).filter((l) => l.text !== '');
  if (lines.length !== 8) throw new DataError(file, undefined, `expected 8 non-empty lines (5 landmarks 'x y', then gender, race, age), found ${lines.length}`);
  const landmarks = lines.slice(0, 5).map(({ text, line }) => {
    const cols = splitWhitespace(text);
    if (cols.length !== 2) throw new DataError(file, line, `expected a landmark 'x y' (2 numbers), found ${cols.length} fields`);
    return [parseNumber(file, line, cols[0]!, 'landmark x'), parseNumber(file, line, cols[1]!, 'landmark y')] as [number, number];
  });
  const attributes: Record<string, string> = {};
  RAFDB_ATTRIBUTE_NAMES.forEach((name, k) => {
    const { text, line } = lines[5 + k]!;
    const groups = RAFDB_ATTRIBUTES[name];
    attributes[name] = groups[parseLabelCode(file, line, text, name, 0, groups.length - 1)]!;
  });
  const [e1, e2, , m1, m2] = landmarks as [[number, number], [number, number], [number, number], [number, number], [number, number]];
  // align.ts wants the eye on the image's left first; order by x so either labelling convention works.
  const [eyeLeft, eyeRight] = e1[0] <= e2[0] ? [e1, e2] : [e2, e1];
  return { points: { eyeLeft, eyeRight, mouth: [(m1[0] + m2[0]) / 2, (m1[1] + m2[1]) / 2] }, attributes };
}
