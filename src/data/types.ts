/**
 * The shapes every dataset reader produces. Readers only parse label files and
 * list images; decoding (sharp) and caching are separate steps, so `inspect`
 * can report on a 100k-image dataset without decoding it.
 */

import type { FacePoints } from '../deploy/align.js';

/** A face box in source-image pixels. */
export interface Box { x: number; y: number; width: number; height: number }

/** Where a sample's pixels come from. */
export type ImageSource =
  /**
   * An image file on disk, optionally cropped to a face box before resizing, or
   * aligned from the dataset's own landmarks (eyes and mouth centre, in the
   * image's pixels) with the similarity transform `predict` uses (deploy/align.ts).
   */
  | { kind: 'file'; path: string; box?: Box; align?: FacePoints }
  /** Raw pixels in memory (FER2013/FERPlus CSV rows): row-major, `channels` interleaved. */
  | { kind: 'pixels'; width: number; height: number; channels: 1 | 3; data: Uint8Array };

export interface Sample {
  /** Stable id, unique within the dataset (file path relative to root, or csv row). */
  id: string;
  source: ImageSource;
  /** Index into `Dataset.classes`; -1 when the sample has no label. */
  label: number;
  /** Soft label (e.g. FERPlus vote distribution), length = classes.length, sums to 1. */
  soft?: Float32Array;
  /** Subject / identity id where the dataset has one (CK+, JAFFE, KDEF, RaFD). */
  subject?: string;
  /**
   * Group attributes of the face (RAF-DB's gender/race/age, a manifest's columns,
   * what the synthetic generator drew), by attribute name; values are group names.
   * Evaluation breaks its numbers down by each (src/eval/groups.ts).
   */
  attributes?: Record<string, string>;
  /**
   * FACS action units coded for this image (CK+'s FACS files): AU number →
   * intensity (1–5 for A–E; 0 when the coder gave no intensity). AUs not listed
   * are absent. Undefined when the image was not FACS-coded.
   */
  actionUnits?: Record<number, number>;
}

/** One problem found while reading: what file, which line, what was expected. */
export interface Problem {
  file: string;
  line?: number;
  message: string;
  /**
   * 'skipped': the entry was left out (missing image, duplicate, bad pixel row, …);
   * 'warning': nothing was left out but something looks wrong (a class with no
   * training samples). Absent means 'skipped'.
   */
  severity?: 'skipped' | 'warning';
}

export interface Dataset {
  /**
   * Reader name: 'rafdb' | 'rafdb-compound' | 'fer2013' | 'ferplus' | 'affectnet' | 'sfew' | 'ckplus' | 'expw' |
   * 'imagefolder' | 'unlabelled' | 'jaffe' | 'kdef' | 'rafd' | 'genki4k'.
   */
  format: string;
  root: string;
  /** Class names, in label-index order (canonical names for the expression datasets). */
  classes: string[];
  /** Splits the dataset ships: always 'train'; 'test' and/or 'val' where it has them. */
  splits: Record<string, Sample[]>;
  /** Non-fatal problems (skipped entries), each naming the file and line. */
  problems: Problem[];
  /**
   * Counted deliberate decisions that are not problems, by reason: rows dropped by
   * the class selection (AffectNet 'None', CK+ contempt in 7 classes), FERPlus vote
   * ties broken by canonical order, RAF-DB variant fallbacks, …
   */
  notes?: Record<string, number>;
  /** The AU numbers that occur in `Sample.actionUnits`, ascending; absent when no image is FACS-coded. */
  actionUnitNumbers?: number[];
  /** Names of the attributes samples carry (`Sample.attributes`), in display order; absent when none. */
  attributeNames?: string[];
  /** Label/CSV files the reader read (for cache fingerprints). */
  sourceFiles?: string[];
}

/** Thrown for fatal input errors (malformed label file, missing root, …). */
export class DataError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, message: string) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${message}`);
    this.name = 'DataError';
  }
}

/** Decoded images of one split at one size: N × size × size × 3, uint8, RGB, row-major (NHWC). */
export interface DecodedImages {
  size: number;
  count: number;
  pixels: Uint8Array;
  labels: Int32Array;
  /** Sample ids in the same order. */
  ids: string[];
  /** Samples that could not be decoded: skipped and counted, each with its reason. */
  skipped: Problem[];
  /** Soft labels (count × numClasses, row-major) when every decoded sample has one. */
  soft?: Float32Array;
}
