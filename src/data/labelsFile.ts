/**
 * The labels file `semifer label serve` writes and `semifer train --dataset
 * labels` reads: a CSV next to the faces it names, one answer per line, in the
 * order they were given (so undo removes the last line):
 *
 *     # semifer labels v1; classes: neutral,happy,sad
 *     image,label
 *     faces/3f9c01d2a4b7.png,happy
 *     faces/77aa0c9e1f02.png,not-a-face
 *
 * `image` is relative to the file's folder; `label` is a class name or one of
 * the non-class answers (skip, not-a-face, unsure), which training leaves out.
 * The first line fixes the class list and its order (the label indices), so a
 * file means the same thing to every reader. One image appears at most once.
 * Written whole to a temporary file and renamed over the old one: a kill at
 * any moment leaves either the previous file or the new one, never half.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files/writeFileAtomic.js';
import { parseCsvLine } from './readers/csv.js';
import { DataError } from './types.js';

/** Answers that are not a class: the face is left out of training. */
export const NON_CLASS_ANSWERS = ['skip', 'not-a-face', 'unsure'] as const;
export type NonClassAnswer = (typeof NON_CLASS_ANSWERS)[number];

/** The file name `label serve`, `suggest` and `status` use inside a faces folder unless told otherwise. */
export const DEFAULT_LABELS_FILE = 'labels.csv';

const MAGIC = '# semifer labels v1; classes: ';
const HEADER = 'image,label';

export interface LabelAnswer {
  /** Path relative to the labels file's folder, '/'-separated. */
  image: string;
  label: string;
}

export interface LabelsFile {
  classes: string[];
  answers: LabelAnswer[];
}

/** Refuses class lists the file could not hold or that would clash with an answer. */
export function checkLabelClasses(classes: readonly string[], where = 'classes'): void {
  if (classes.length < 2) throw new Error(`${where}: a classifier needs at least 2 classes, got ${classes.length}`);
  for (const c of classes) {
    if (c === '' || /[,\n\r"]/.test(c) || c !== c.trim()) throw new Error(`${where}: class name '${c}' must be non-empty, without commas, quotes, line breaks or surrounding spaces`);
    if ((NON_CLASS_ANSWERS as readonly string[]).includes(c)) throw new Error(`${where}: '${c}' is reserved for a non-class answer (${NON_CLASS_ANSWERS.join(', ')})`);
  }
  if (new Set(classes).size !== classes.length) throw new Error(`${where}: a class is named twice in ${classes.join(',')}`);
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatLabelsFile(f: LabelsFile): string {
  checkLabelClasses(f.classes);
  const lines = [MAGIC + f.classes.join(','), HEADER, ...f.answers.map((a) => `${csvField(a.image)},${csvField(a.label)}`)];
  return `${lines.join('\n')}\n`;
}

/** Parses the text of a labels file; every problem is a DataError naming the line. */
export function parseLabelsFile(text: string, file: string): LabelsFile {
  const lines = text.split(/\r?\n/);
  if (!lines[0]?.startsWith(MAGIC)) throw new DataError(file, 1, `expected a first line '${MAGIC}<class>,<class>,…' (a labels file written by semifer label serve)`);
  const classes = lines[0].slice(MAGIC.length).split(',').map((c) => c.trim());
  try {
    checkLabelClasses(classes, 'classes');
  } catch (err) {
    throw new DataError(file, 1, (err as Error).message);
  }
  if (lines[1]?.trim() !== HEADER) throw new DataError(file, 2, `expected the header '${HEADER}', found '${lines[1] ?? ''}'`);
  const valid = new Set<string>([...classes, ...NON_CLASS_ANSWERS]);
  const seen = new Map<string, number>();
  const answers: LabelAnswer[] = [];
  for (let i = 2; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const fields = parseCsvLine(text);
    if (!fields || fields.length !== 2) throw new DataError(file, i + 1, `expected 2 comma-separated columns 'image,label', found ${fields ? fields.length : 'an unterminated quote'}`);
    const [image, label] = fields as [string, string];
    if (image === '') throw new DataError(file, i + 1, 'empty image path');
    if (!valid.has(label)) throw new DataError(file, i + 1, `label '${label}' is neither a class (${classes.join(', ')}) nor an answer (${NON_CLASS_ANSWERS.join(', ')})`);
    const first = seen.get(image);
    if (first !== undefined) throw new DataError(file, i + 1, `image '${image}' is answered twice (first on line ${first})`);
    seen.set(image, i + 1);
    answers.push({ image, label });
  }
  return { classes, answers };
}

export function readLabelsFile(file: string): LabelsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(file, undefined, code === 'ENOENT' ? 'no such labels file' : `cannot read the labels file (${(err as Error).message})`);
  }
  return parseLabelsFile(text, file);
}

/** The file's answers, or none with the given classes when it does not exist yet; an existing file must have the same classes. */
export function openLabelsFile(file: string, classes: readonly string[]): LabelsFile {
  if (!existsSync(file)) {
    checkLabelClasses(classes);
    return { classes: [...classes], answers: [] };
  }
  const f = readLabelsFile(file);
  if (f.classes.join(',') !== classes.join(',')) {
    throw new DataError(file, 1, `the file's classes (${f.classes.join(',')}) differ from the ones asked for (${classes.join(',')}); use another --labels-file or the same classes`);
  }
  return f;
}

/** Atomic write: a crash while answering cannot leave an empty or half labels file. */
export function writeLabelsFile(file: string, f: LabelsFile): void {
  writeFileAtomic(file, formatLabelsFile(f));
}

/** The answers with `image` answered `label`: a new answer goes last; answering again moves it there. */
export function withAnswer(answers: readonly LabelAnswer[], image: string, label: string): LabelAnswer[] {
  return [...answers.filter((a) => a.image !== image), { image, label }];
}

export function isClassAnswer(label: string, classes: readonly string[]): boolean {
  return classes.includes(label);
}
