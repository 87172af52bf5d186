/**
 * GENKI-4K (MPLab, UCSD), as distributed:
 *   labels.txt          line N: 'smile yaw pitch roll', e.g. '1 -0.021162 0.059530 -0.039662'
 *   files/file0001.jpg  the image of line N is files/fileNNNN.jpg (4000 images)
 * A two-class smile task, classes ['no-smile', 'smile'] (smile 0 → 0, 1 → 1);
 * the head pose is checked to be numeric but not used.
 * A malformed line (not 4 fields, smile not 0/1, a pose that is not a number)
 * is fatal, naming labels.txt and the line. Empty lines may only end the file:
 * one in the middle would shift every later line off its image, so it is fatal.
 * A listed image missing from files/ is skipped (checkImages, default on).
 * GENKI-4K has no official split and no subject ids: everything is 'train'.
 */
import { join } from 'node:path';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { parseLabelCode, parseNumber } from './fields.js';
import { requireDirectory, requireFile, requireRoot } from './files.js';
import type { BaseReaderOptions } from './options.js';
import { readTextLines, splitWhitespace } from './textLines.js';

export type Genki4kOptions = BaseReaderOptions;

/** Label index order: 0 = no smile, as in the label file. */
export const GENKI_CLASSES: readonly string[] = ['no-smile', 'smile'];

export async function readGenki4k(root: string, opts: Genki4kOptions = {}): Promise<Dataset> {
  requireRoot(root, 'GENKI-4K', 'labels.txt and files/');
  const labelFile = join(root, 'labels.txt');
  const filesDir = join(root, 'files');
  requireFile(labelFile, "GENKI-4K's labels (line N: 'smile yaw pitch roll' for files/fileNNNN.jpg)");
  requireDirectory(filesDir, 'GENKI-4K images as files/file0001.jpg …');
  const checkImages = opts.checkImages ?? true;
  const b = new DatasetBuilder('genki4k', root, [...GENKI_CLASSES]);
  b.source(labelFile);

  let blankLine: number | undefined;
  for await (const { text, line } of readTextLines(labelFile)) {
    const cols = splitWhitespace(text);
    if (cols.length === 0) {
      blankLine ??= line;
      continue;
    }
    if (blankLine !== undefined) throw new DataError(labelFile, blankLine, `empty line before line ${line}: line N must describe files/file${imageNumber(blankLine)}.jpg, so only the end of the file may be empty`);
    if (cols.length !== 4) throw new DataError(labelFile, line, `expected 4 space-separated fields 'smile yaw pitch roll', found ${cols.length}`);
    const label = parseLabelCode(labelFile, line, cols[0]!, 'smile (1 smile, 0 no smile)', 0, 1);
    (['yaw', 'pitch', 'roll'] as const).forEach((what, i) => parseNumber(labelFile, line, cols[i + 1]!, what));
    const name = `file${imageNumber(line)}.jpg`;
    b.addFile('train', { id: `files/${name}`, source: { kind: 'file', path: join(filesDir, name) }, label }, { file: labelFile, line }, checkImages);
  }
  return b.finish({ expected: "lines 'smile yaw pitch roll' in labels.txt with images files/fileNNNN.jpg" });
}

/** The image number of a label line: four digits, as the files are named. */
function imageNumber(line: number): string {
  return String(line).padStart(4, '0');
}
