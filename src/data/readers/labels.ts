/**
 * A labels file written by `semifer label serve` (src/data/labelsFile.ts):
 * `--dataset labels --root FILE` (or the folder holding labels.csv). Every
 * face answered with a class is a training sample; faces answered skip,
 * not-a-face or unsure are left out and counted in the notes. There is no
 * test split: training holds out a stratified fifth, as for CK+.
 */
import { join, resolve } from 'node:path';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { isDirectory, isFile } from './files.js';
import { DEFAULT_LABELS_FILE, NON_CLASS_ANSWERS, readLabelsFile } from '../labelsFile.js';

export type LabelsReaderOptions = Record<string, never>;

/** The labels file a `--root` names: the file itself, or labels.csv inside the folder. */
export function labelsFilePath(root: string): string {
  return isDirectory(root) ? join(root, DEFAULT_LABELS_FILE) : root;
}

export async function readLabels(root: string): Promise<Dataset> {
  const file = labelsFilePath(root);
  if (!isFile(file)) throw new DataError(file, undefined, `no labels file here (expected a file written by semifer label serve, or a folder holding ${DEFAULT_LABELS_FILE})`);
  const { classes, answers } = readLabelsFile(file);
  const b = new DatasetBuilder('labels', root, classes);
  b.source(file);
  const dir = resolve(file, '..');
  answers.forEach((a, i) => {
    const label = classes.indexOf(a.label);
    if (label < 0) {
      b.note(`labels: answered '${a.label}' (${(NON_CLASS_ANSWERS as readonly string[]).includes(a.label) ? 'not a class' : '?'}), left out`);
      return;
    }
    // Line i + 3: the class line and the header come first.
    b.addFile('train', { id: a.image, source: { kind: 'file', path: join(dir, a.image) }, label }, { file, line: i + 3 }, true);
  });
  return b.finish({ expected: 'faces answered with a class in the labels file' });
}
