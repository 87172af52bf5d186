/**
 * RAF-DB (basic emotions), as downloaded:
 *   EmoLabel/list_patition_label.txt   lines 'train_00001.jpg 5'
 *   Image/aligned/train_00001_aligned.jpg   (100×100 aligned faces)
 *   Image/original/train_00001.jpg          (full images)
 * Split from the file-name prefix: train_ → train, test_ → test.
 */
import { join, sep } from 'node:path';
import { SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { parseLabelCode } from './fields.js';
import { isFile, requireFile, requireRoot } from './files.js';
import type { BaseReaderOptions } from './options.js';
import { readTextLineBatches, splitWhitespace } from './textLines.js';

export interface RafdbOptions extends BaseReaderOptions {
  /** Which images to use (default 'aligned'); when the chosen one is missing the other is used and counted in notes. */
  variant?: 'aligned' | 'original';
  /** Explicit label list path (default <root>/EmoLabel/list_patition_label.txt). */
  labelFile?: string;
}

/** RAF-DB code 1..7 → canonical index: 1 Surprise, 2 Fear, 3 Disgust, 4 Happiness, 5 Sadness, 6 Anger, 7 Neutral. */
const RAFDB_TO_CANONICAL = [-1, 3, 4, 5, 1, 2, 6, 0] as const;

export async function readRafdb(root: string, opts: RafdbOptions = {}): Promise<Dataset> {
  requireRoot(root, 'RAF-DB', 'EmoLabel/list_patition_label.txt and Image/aligned/');
  const labelFile = opts.labelFile ?? join(root, 'EmoLabel', 'list_patition_label.txt');
  requireFile(labelFile, "RAF-DB's label list (lines like 'train_00001.jpg 5')");
  const variant = opts.variant ?? 'aligned';
  const checkImages = opts.checkImages ?? true;
  const b = new DatasetBuilder('rafdb', root, [...SEVEN_CLASSES]);
  b.source(labelFile);
  // Joined once: path.join per line was the largest cost of reading the list.
  const dirs = { aligned: join(root, 'Image', 'aligned') + sep, original: join(root, 'Image', 'original') + sep };

  for await (const lines of readTextLineBatches(labelFile)) {
    for (const { text, line } of lines) {
      const cols = splitWhitespace(text);
      if (cols.length === 0) continue;
      if (cols.length !== 2) throw new DataError(labelFile, line, `expected 2 space-separated columns '<image name> <label 1-7>', found ${cols.length}`);
      const [name, code] = cols as [string, string];
      const split = name.startsWith('train_') ? 'train' : name.startsWith('test_') ? 'test' : undefined;
      if (!split) throw new DataError(labelFile, line, `image name must start with 'train_' or 'test_', found '${name}'`);
      const label = RAFDB_TO_CANONICAL[parseLabelCode(labelFile, line, code, 'label', 1, 7)]!;
      const path = imagePath(dirs, name, variant, checkImages, b);
      b.addFile(split, { id: name, source: { kind: 'file', path }, label }, { file: labelFile, line }, checkImages);
    }
  }
  return b.finish({ expected: "lines like 'train_00001.jpg 5' in the label list" });
}

/** The image for a list entry in the preferred variant, falling back to the other when missing. */
function imagePath(dirs: { aligned: string; original: string }, name: string, variant: 'aligned' | 'original', check: boolean, b: DatasetBuilder): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '.jpg';
  const aligned = `${dirs.aligned}${stem}_aligned${ext}`;
  const original = dirs.original + name;
  const [first, second] = variant === 'aligned' ? [aligned, original] : [original, aligned];
  if (!check || isFile(first)) return first;
  if (isFile(second)) {
    b.note(`rafdb: ${variant} image missing, used the ${variant === 'aligned' ? 'original' : 'aligned'} one`);
    return second;
  }
  return first; // neither exists: addFile reports the preferred path as missing
}
