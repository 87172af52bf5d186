/**
 * AffectNet (manually annotated part), as downloaded:
 *   Manually_Annotated_file_lists/training.csv, validation.csv — columns
 *     subDirectory_filePath, face_x, face_y, face_width, face_height,
 *     facial_landmarks (quoted ';' list), expression, valence, arousal
 *   Manually_Annotated_Images/<subDirectory_filePath>  (or directly under root)
 * Codes 0 Neutral … 6 Anger, 7 Contempt are already in canonical order; 8 None,
 * 9 Uncertain, 10 Non-Face are never expressions. 7 classes drop codes 7–10, 8
 * classes drop 8–10; drops are counted in `notes`, not Problems (they are the
 * protocol, not bad input). AffectNet has no public test set: validation.csv is
 * the 'test' split, as in the papers.
 */
import { join, sep } from 'node:path';
import { EIGHT_CLASSES, SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { expectColumnCount, locateColumns, readCsvRecordBatches } from './csv.js';
import { parseLabelCode, parseNumber } from './fields.js';
import { isDirectory, isFile, requireFile, requireRoot } from './files.js';
import type { BaseReaderOptions, ClassCount } from './options.js';

export interface AffectnetOptions extends BaseReaderOptions {
  /** 8 (default, with contempt) or 7. */
  classes?: ClassCount;
  /** Folder holding the label CSVs (default <root>/Manually_Annotated_file_lists). */
  listsDir?: string;
  /** Folder the image paths are relative to (default <root>/Manually_Annotated_Images, else <root>). */
  imagesDir?: string;
}

const COLUMNS = ['subDirectory_filePath', 'face_x', 'face_y', 'face_width', 'face_height', 'facial_landmarks', 'expression', 'valence', 'arousal'] as const;
const NON_EXPRESSION = ['None', 'Uncertain', 'Non-Face'] as const;

export async function readAffectnet(root: string, opts: AffectnetOptions = {}): Promise<Dataset> {
  requireRoot(root, 'AffectNet', 'Manually_Annotated_file_lists/ and Manually_Annotated_Images/');
  const numClasses = opts.classes ?? 8;
  if (numClasses !== 7 && numClasses !== 8) throw new DataError(root, undefined, `option classes must be 7 or 8, got ${String(numClasses)}`);
  const listsDir = opts.listsDir ?? join(root, 'Manually_Annotated_file_lists');
  const trainCsv = join(listsDir, 'training.csv');
  const valCsv = join(listsDir, 'validation.csv');
  requireFile(trainCsv, `AffectNet's training list with columns ${COLUMNS.join(',')}`);
  requireFile(valCsv, `AffectNet's validation list with columns ${COLUMNS.join(',')}`);
  const imageDirs = opts.imagesDir
    ? [opts.imagesDir]
    : isDirectory(join(root, 'Manually_Annotated_Images'))
      ? [join(root, 'Manually_Annotated_Images'), root]
      : [root];
  const b = new DatasetBuilder('affectnet', root, [...(numClasses === 8 ? EIGHT_CLASSES : SEVEN_CLASSES)]);
  const ctx = { b, numClasses, imageDirs, checkImages: opts.checkImages ?? true };
  await readList(trainCsv, 'train', ctx);
  await readList(valCsv, 'test', ctx);
  return b.finish({ expected: 'rows in training.csv' });
}

interface ListContext {
  b: DatasetBuilder;
  numClasses: number;
  imageDirs: string[];
  checkImages: boolean;
}

async function readList(file: string, split: string, ctx: ListContext): Promise<void> {
  const { b } = ctx;
  b.source(file);
  let cols: Record<(typeof COLUMNS)[number], number> | undefined;
  let width = 0;
  for await (const batch of readCsvRecordBatches(file)) {
    for (const rec of batch) {
      if (!cols) {
        if (looksLikeDataRow(rec.fields)) {
          // Some copies of validation.csv ship without a header row: take the standard column order.
          cols = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<(typeof COLUMNS)[number], number>;
          width = COLUMNS.length;
          b.note(`affectnet: ${split === 'train' ? 'training' : 'validation'}.csv has no header row, standard column order assumed`);
        } else {
          cols = locateColumns(file, rec, COLUMNS);
          width = rec.fields.length;
          continue;
        }
      }
      expectColumnCount(file, rec, width);
      const f = (name: (typeof COLUMNS)[number]): string => rec.fields[cols![name]]!;
      const code = parseLabelCode(file, rec.line, f('expression'), 'expression', 0, 10);
      if (code >= ctx.numClasses) {
        const name = code >= 8 ? NON_EXPRESSION[code - 8] : 'Contempt';
        b.note(`affectnet: ${split} rows with expression ${code} (${name}) dropped for ${ctx.numClasses} classes`);
        continue;
      }
      const box = {
        x: parseNumber(file, rec.line, f('face_x'), 'face_x'),
        y: parseNumber(file, rec.line, f('face_y'), 'face_y'),
        width: parseNumber(file, rec.line, f('face_width'), 'face_width'),
        height: parseNumber(file, rec.line, f('face_height'), 'face_height'),
      };
      if (box.width <= 0 || box.height <= 0) {
        b.skip(file, rec.line, `empty face box (width ${box.width}, height ${box.height}); row skipped`);
        continue;
      }
      const rel = f('subDirectory_filePath').trim().replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
      if (rel === '') throw new DataError(file, rec.line, 'subDirectory_filePath is empty: expected an image path like 689/737db2483489148d783ef278f43f486c0a97e140fc4b6b61b84363ca.jpg');
      b.addFile(split, { id: rel, source: { kind: 'file', path: resolveImage(rel, ctx), box }, label: code }, { file, line: rec.line }, ctx.checkImages);
    }
  }
  if (!cols) throw new DataError(file, undefined, `empty file: expected the header ${COLUMNS.join(',')}`);
}

/** A first row that is data, not a header: 9 fields, an image path first and a numeric expression. */
function looksLikeDataRow(fields: string[]): boolean {
  return fields.length === COLUMNS.length && /\.(jpe?g|png|bmp|tiff?|webp|gif)$/i.test(fields[0]!.trim()) && /^\s*\d+\s*$/.test(fields[6]!);
}

/** The image path under the first image folder that has it (the first when none has). */
function resolveImage(rel: string, ctx: ListContext): string {
  // Plain concatenation: ids are clean relative paths, and path.join per row is slow on 400k rows.
  const first = ctx.imageDirs[0]! + sep + rel;
  if (!ctx.checkImages || ctx.imageDirs.length === 1 || isFile(first)) return first;
  for (const dir of ctx.imageDirs.slice(1)) {
    const p = dir + sep + rel;
    if (isFile(p)) return p;
  }
  return first;
}
