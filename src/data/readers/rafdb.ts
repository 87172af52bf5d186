/**
 * RAF-DB, as downloaded (the layout and codes are documented in the README that
 * ships with the dataset, sections IMAGE, ANNOTATION and EMOTION_LABEL):
 *   EmoLabel/list_patition_label.txt   lines 'train_00001.jpg 5'
 *   Image/aligned/train_00001_aligned.jpg   (100×100 aligned faces)
 *   Image/original/train_00001.jpg          (full images)
 *   Annotation/manual/train_00001_manu_attri.txt  (5 landmarks, gender, race, age; rafdbManual.ts)
 * Split from the file-name prefix: train_ → train, test_ → test.
 *
 * Two subsets ship side by side (basic/ and compound/), each in this layout:
 * 'rafdb' reads the basic one (7 expressions), 'rafdb-compound' the compound one.
 * The compound list codes 11 classes, 1 Happily Surprised … 11 Disgustedly
 * Surprised (the code table distributed with the compound subset). The project
 * page speaks of 12 compound classes without naming a twelfth code; the list
 * has none, so a code 12 is an error like any other (docs/datasets.md).
 *
 * Where the manual annotations are there, every face carries gender, race and
 * age as attributes (per-group evaluation), and original images are aligned
 * from the five landmarks with predict's similarity transform.
 */
import { join, sep } from 'node:path';
import { SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { parseLabelCode } from './fields.js';
import { isDirectory, isFile, requireFile, requireRoot } from './files.js';
import type { BaseReaderOptions } from './options.js';
import { RAFDB_ATTRIBUTE_NAMES, manualAnnotationPath, readManualAnnotation } from './rafdbManual.js';
import { readTextLineBatches, splitWhitespace } from './textLines.js';

export interface RafdbOptions extends BaseReaderOptions {
  /**
   * Which images to use (default 'aligned'); when the chosen one is missing the other is used and counted in notes.
   * 'original' images are aligned from the manual landmarks where the annotation exists.
   */
  variant?: 'aligned' | 'original';
  /** Explicit label list path (default <root>/EmoLabel/list_patition_label.txt). */
  labelFile?: string;
}

/** RAF-DB code 1..7 → canonical index: 1 Surprise, 2 Fear, 3 Disgust, 4 Happiness, 5 Sadness, 6 Anger, 7 Neutral. */
const RAFDB_TO_CANONICAL = [-1, 3, 4, 5, 1, 2, 6, 0] as const;

/** The compound classes in code order (code k is index k − 1). */
export const RAFDB_COMPOUND_CLASSES: readonly string[] = [
  'happily surprised', 'happily disgusted', 'sadly fearful', 'sadly angry', 'sadly surprised', 'sadly disgusted',
  'fearfully angry', 'fearfully surprised', 'angrily surprised', 'angrily disgusted', 'disgustedly surprised',
];

interface Subset {
  format: string;
  /** The name messages use. */
  title: string;
  classes: readonly string[];
  /** Label code (1-based) → class index. */
  toIndex: (code: number) => number;
}

const BASIC: Subset = { format: 'rafdb', title: 'RAF-DB', classes: SEVEN_CLASSES, toIndex: (code) => RAFDB_TO_CANONICAL[code]! };
const COMPOUND: Subset = { format: 'rafdb-compound', title: 'RAF-DB compound', classes: RAFDB_COMPOUND_CLASSES, toIndex: (code) => code - 1 };

export function readRafdb(root: string, opts: RafdbOptions = {}): Promise<Dataset> {
  return readRafdbSubset(root, opts, BASIC);
}

export function readRafdbCompound(root: string, opts: RafdbOptions = {}): Promise<Dataset> {
  return readRafdbSubset(root, opts, COMPOUND);
}

async function readRafdbSubset(root: string, opts: RafdbOptions, subset: Subset): Promise<Dataset> {
  const maxCode = subset.classes.length;
  requireRoot(root, subset.title, 'EmoLabel/list_patition_label.txt and Image/aligned/');
  const labelFile = opts.labelFile ?? join(root, 'EmoLabel', 'list_patition_label.txt');
  requireFile(labelFile, `RAF-DB's label list (lines like 'train_00001.jpg <code 1-${maxCode}>')`);
  const variant = opts.variant ?? 'aligned';
  const checkImages = opts.checkImages ?? true;
  const b = new DatasetBuilder(subset.format, root, [...subset.classes]);
  b.source(labelFile);
  // Joined once: path.join per line was the largest cost of reading the list.
  const dirs = { aligned: join(root, 'Image', 'aligned') + sep, original: join(root, 'Image', 'original') + sep };
  const manualDir = join(root, 'Annotation', 'manual');
  const hasManual = isDirectory(manualDir);

  for await (const lines of readTextLineBatches(labelFile)) {
    for (const { text, line } of lines) {
      const cols = splitWhitespace(text);
      if (cols.length === 0) continue;
      if (cols.length !== 2) throw new DataError(labelFile, line, `expected 2 space-separated columns '<image name> <label 1-${maxCode}>', found ${cols.length}`);
      const [name, code] = cols as [string, string];
      const split = name.startsWith('train_') ? 'train' : name.startsWith('test_') ? 'test' : undefined;
      if (!split) throw new DataError(labelFile, line, `image name must start with 'train_' or 'test_', found '${name}'`);
      const label = subset.toIndex(parseLabelCode(labelFile, line, code, 'label', 1, maxCode));
      const image = imagePath(dirs, name, variant, checkImages, b);
      const manual = hasManual ? readManualAnnotation(manualAnnotationPath(manualDir, name)) : undefined;
      if (hasManual && !manual) b.note(`${subset.format}: no manual annotation (landmarks, gender, race, age) for the image`);
      const source = manual && image.variant === 'original'
        ? { kind: 'file' as const, path: image.path, align: manual.points }
        : { kind: 'file' as const, path: image.path };
      if (source.align) b.note(`${subset.format}: original images aligned from the manual landmarks`);
      const sample = manual ? { id: name, source, label, attributes: manual.attributes } : { id: name, source, label };
      b.addFile(split, sample, { file: labelFile, line }, checkImages);
    }
  }
  const dataset = b.finish({ expected: `lines like 'train_00001.jpg 5' in the label list` });
  if (hasManual) dataset.attributeNames = [...RAFDB_ATTRIBUTE_NAMES];
  return dataset;
}

/** The image for a list entry in the preferred variant, falling back to the other when missing. */
function imagePath(dirs: { aligned: string; original: string }, name: string, variant: 'aligned' | 'original', check: boolean, b: DatasetBuilder): { path: string; variant: 'aligned' | 'original' } {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '.jpg';
  const paths = { aligned: `${dirs.aligned}${stem}_aligned${ext}`, original: dirs.original + name };
  const other = variant === 'aligned' ? 'original' : 'aligned';
  if (!check || isFile(paths[variant])) return { path: paths[variant], variant };
  if (isFile(paths[other])) {
    b.note(`${b.format}: ${variant} image missing, used the ${other} one`);
    return { path: paths[other], variant: other };
  }
  return { path: paths[variant], variant }; // neither exists: addFile reports the preferred path as missing
}
