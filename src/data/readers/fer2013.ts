/**
 * FER2013 (Kaggle): one CSV, `emotion,pixels,Usage`, 48×48 grayscale pixels as
 * 2304 space-separated values. Usage Training → train, PublicTest → val,
 * PrivateTest → test. Sample ids are 'fer' + the 0-based data-row index in 7
 * digits ('fer0000000'), the naming FERPlus uses for the same rows.
 */
import { join } from 'node:path';
import { SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { expectColumnCount, locateColumns, readCsvRecords } from './csv.js';
import { parseLabelCode, parsePixelRow } from './fields.js';
import { requireFile, requireRoot } from './files.js';

export const FER2013_SIDE = 48;
export const FER2013_PIXELS = FER2013_SIDE * FER2013_SIDE;

/** FER2013 code 0..6 → canonical index: 0 angry, 1 disgust, 2 fear, 3 happy, 4 sad, 5 surprise, 6 neutral. ExpW uses the same codes. */
export const FER2013_TO_CANONICAL = [6, 5, 4, 1, 2, 3, 0] as const;

const USAGE_TO_SPLIT: Record<string, string> = { training: 'train', publictest: 'val', privatetest: 'test' };

export interface Fer2013Options {
  /** Explicit CSV path (default <root>/fer2013.csv). */
  csv?: string;
}

/** One data row of fer2013.csv. */
export interface Fer2013Row {
  /** 0-based index among data rows (the header is not a row). */
  index: number;
  line: number;
  /** The raw emotion code 0..6. */
  emotion: number;
  split: string;
  /** The pixels, or why they are unusable (the row is then skipped and counted). */
  pixels: Uint8Array | string;
}

/** The conventional id of a FER2013/FERPlus row. */
export function ferRowId(index: number): string {
  return `fer${String(index).padStart(7, '0')}`;
}

/** Streams fer2013.csv's rows; malformed labels/usage/column counts are fatal, pixel problems are returned. */
export async function* readFer2013Rows(file: string): AsyncGenerator<Fer2013Row> {
  let cols: { emotion: number; pixels: number; usage: number } | undefined;
  let width = 0;
  let index = 0;
  for await (const rec of readCsvRecords(file)) {
    if (!cols) {
      const c = locateColumns(file, rec, ['emotion', 'pixels', 'Usage'] as const);
      cols = { emotion: c.emotion, pixels: c.pixels, usage: c.Usage };
      width = rec.fields.length;
      continue;
    }
    expectColumnCount(file, rec, width);
    const emotion = parseLabelCode(file, rec.line, rec.fields[cols.emotion]!, 'emotion', 0, 6);
    const usage = rec.fields[cols.usage]!.trim();
    const split = USAGE_TO_SPLIT[usage.toLowerCase()];
    if (!split) throw new DataError(file, rec.line, `Usage must be Training, PublicTest or PrivateTest, found '${usage}'`);
    const pixels = parsePixelRow(rec.fields[cols.pixels]!, FER2013_PIXELS);
    yield { index, line: rec.line, emotion, split, pixels };
    index++;
  }
  if (!cols) throw new DataError(file, undefined, 'empty file: expected the header emotion,pixels,Usage');
}

export async function readFer2013(root: string, opts: Fer2013Options = {}): Promise<Dataset> {
  if (!opts.csv) requireRoot(root, 'FER2013', 'fer2013.csv');
  const file = opts.csv ?? join(root, 'fer2013.csv');
  requireFile(file, 'the FER2013 CSV with columns emotion,pixels,Usage');
  const b = new DatasetBuilder('fer2013', root, [...SEVEN_CLASSES]);
  b.source(file);
  for await (const row of readFer2013Rows(file)) {
    if (typeof row.pixels === 'string') {
      b.skip(file, row.line, `${row.pixels}; row skipped`);
      continue;
    }
    const source = { kind: 'pixels' as const, width: FER2013_SIDE, height: FER2013_SIDE, channels: 1 as const, data: row.pixels };
    b.add(row.split, { id: ferRowId(row.index), source, label: FER2013_TO_CANONICAL[row.emotion]! }, { file, line: row.line });
  }
  return b.finish({ expected: 'data rows in fer2013.csv' });
}
