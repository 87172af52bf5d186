/**
 * CK+ (extended Cohn-Kanade), as downloaded:
 *   cohn-kanade-images/S005/001/S005_001_00000001.png …   (a sequence, neutral → peak)
 *   Emotion/S005/001/S005_001_00000011_emotion.txt         (one float, e.g. '   3.0000000e+00')
 *   FACS/S005/001/S005_001_00000011_facs.txt               (optional: action units of that frame; ckplusFacs.ts)
 *   Landmarks/S005/001/S005_001_00000011_landmarks.txt     (optional: 68 AAM points 'x y' of every frame)
 * (The layout is the one CK+'s distribution ReadMe describes, Phase 1, 2010.)
 * Codes: 0 neutral, 1 anger, 2 contempt, 3 disgust, 4 fear, 5 happy, 6 sadness, 7 surprise.
 * Only sequences with an emotion file are used: their last `peakFrames` frames
 * carry the label and, with `includeNeutral`, their first frame is neutral.
 * CK+ has no official split: everything is 'train' (use subjectKFold for a
 * subject-independent evaluation). `subject` is the Sxxx folder name.
 * Where FACS/ is there, the frame a FACS file names carries its action units
 * (`Sample.actionUnits`); CK+ codes the peak frame, the one the emotion file names.
 * With `uncodedEmotions`, the FACS-coded sequences without an emotion file are
 * read too: only their coded frame, with its AUs and label -1 (action-unit runs).
 * With `variant: 'aligned'` every frame is aligned from its own landmarks with
 * predict's similarity transform (eye and outer-lip centres of the 68 points);
 * the default is the whole 640×490 frame, as before.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EIGHT_CLASSES, SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset, type Sample } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { facePointsFrom68 } from '../../deploy/align.js';
import { parseLabelCode, parseNumber } from './fields.js';
import { childDirectories, imagesDirectlyIn, isDirectory, isFile, relativeId, requireDirectory, requireRoot } from './files.js';
import { readFacsFile } from './ckplusFacs.js';
import type { ClassCount } from './options.js';

export interface CkplusOptions {
  /** How many of the last frames of a sequence carry its label (default 3). */
  peakFrames?: number;
  /** Add each labelled sequence's first frame as neutral (default true). */
  includeNeutral?: boolean;
  /** 7 (default: contempt sequences dropped) or 8. */
  classes?: ClassCount;
  /** 'original' (default): whole frames; 'aligned': frames aligned from Landmarks/ (a frame without landmarks is skipped). */
  variant?: 'original' | 'aligned';
  /**
   * Also read the sequences that are FACS-coded but have no emotion label (266 of
   * CK+'s 593): their coded frame, with its AUs and no expression (label -1).
   * For action-unit training (src/train/actionUnits/auData.ts); off by default, so
   * expression runs see the dataset as before.
   */
  uncodedEmotions?: boolean;
}

/** CK+ code → canonical index. */
const CKPLUS_TO_CANONICAL = [0, 6, 7, 5, 4, 1, 2, 3] as const;

export async function readCkplus(root: string, opts: CkplusOptions = {}): Promise<Dataset> {
  requireRoot(root, 'CK+', 'cohn-kanade-images/ and Emotion/');
  const imagesRoot = join(root, 'cohn-kanade-images');
  const emotionRoot = join(root, 'Emotion');
  requireDirectory(imagesRoot, 'CK+ image sequences as cohn-kanade-images/Sxxx/yyy/*.png');
  requireDirectory(emotionRoot, 'CK+ labels as Emotion/Sxxx/yyy/*_emotion.txt');
  const peakFrames = opts.peakFrames ?? 3;
  if (!Number.isInteger(peakFrames) || peakFrames < 1) throw new DataError(root, undefined, `option peakFrames must be a positive integer, got ${peakFrames}`);
  const includeNeutral = opts.includeNeutral ?? true;
  const numClasses = opts.classes ?? 7;
  if (numClasses !== 7 && numClasses !== 8) throw new DataError(root, undefined, `option classes must be 7 or 8, got ${String(numClasses)}`);
  const b = new DatasetBuilder('ckplus', root, [...(numClasses === 8 ? EIGHT_CLASSES : SEVEN_CLASSES)]);
  const aligned = opts.variant === 'aligned';
  if (opts.variant !== undefined && opts.variant !== 'aligned' && opts.variant !== 'original') throw new DataError(root, undefined, `option variant must be 'original' or 'aligned', got ${String(opts.variant)}`);
  const landmarksRoot = join(root, 'Landmarks');
  if (aligned) requireDirectory(landmarksRoot, "CK+ landmarks as Landmarks/Sxxx/yyy/*_landmarks.txt (aligned frames need them)");
  const facsRoot = join(root, 'FACS');
  const hasFacs = isDirectory(facsRoot);
  const auNumbers = new Set<number>();
  /** 'Sxxx/yyy' of every sequence with an emotion file. */
  const withEmotion = new Set<string>();

  for (const subject of childDirectories(emotionRoot)) {
    for (const sequence of childDirectories(join(emotionRoot, subject))) {
      const labelDir = join(emotionRoot, subject, sequence);
      const labelFiles = readdirSync(labelDir).filter((n) => n.endsWith('_emotion.txt')).sort();
      if (labelFiles.length === 0) continue; // CK+ ships empty folders for unlabelled sequences
      withEmotion.add(`${subject}/${sequence}`);
      const labelFile = join(labelDir, labelFiles[0]!);
      if (labelFiles.length > 1) b.skip(join(labelDir, labelFiles[1]!), undefined, `sequence has ${labelFiles.length} emotion files; used ${labelFiles[0]}, ignored the rest`);
      b.source(labelFile);
      const code = readEmotionCode(labelFile);
      const label = CKPLUS_TO_CANONICAL[code]!;
      if (label >= numClasses) {
        b.note('ckplus: contempt sequences dropped (7 classes)');
        continue;
      }
      const seqDir = join(imagesRoot, subject, sequence);
      const frames = isDirectory(seqDir) ? imagesDirectlyIn(seqDir) : [];
      if (frames.length === 0) {
        b.skip(labelFile, undefined, `no images for this label: expected frames in ${seqDir}; sequence skipped`);
        continue;
      }
      // Keep the neutral first frame and the peak frames apart in short sequences.
      const firstPeak = Math.max(includeNeutral ? 1 : 0, frames.length - peakFrames);
      if (firstPeak >= frames.length) {
        b.skip(labelFile, undefined, `sequence ${seqDir} has only ${frames.length} frame(s): no peak frame besides the neutral first frame; sequence skipped`);
        continue;
      }
      const where = { file: labelFile };
      const coded = hasFacs ? readSequenceFacs(join(facsRoot, subject, sequence)) : new Map<string, Record<number, number>>();
      const add = (path: string, label: number): void => {
        let source: Sample['source'] = { kind: 'file', path };
        if (aligned) {
          const file = join(landmarksRoot, subject, sequence, `${frameStem(path)}_landmarks.txt`);
          if (!isFile(file)) {
            b.skip(file, undefined, `no landmarks for frame ${path}; frame skipped (aligned frames need them)`);
            return;
          }
          source = { kind: 'file', path, align: facePointsFrom68(readLandmarks(file)) };
        }
        const sample: Sample = { id: relativeId(root, path), source, label, subject };
        const aus = coded.get(frameStem(path));
        if (aus) {
          for (const au of Object.keys(aus)) auNumbers.add(Number(au));
          sample.actionUnits = aus;
        }
        b.add('train', sample, where);
      };
      if (includeNeutral) add(frames[0]!, 0);
      for (const path of frames.slice(firstPeak)) add(path, label);
    }
  }
  if (opts.uncodedEmotions && hasFacs) {
    for (const subject of childDirectories(facsRoot)) {
      for (const sequence of childDirectories(join(facsRoot, subject))) {
        if (withEmotion.has(`${subject}/${sequence}`)) continue;
        for (const [stem, aus] of readSequenceFacs(join(facsRoot, subject, sequence))) {
          const facsFile = join(facsRoot, subject, sequence, `${stem}_facs.txt`);
          const seqDir = join(imagesRoot, subject, sequence);
          const frame = isDirectory(seqDir) ? imagesDirectlyIn(seqDir).find((p) => frameStem(p) === stem) : undefined;
          if (!frame) {
            b.skip(facsFile, undefined, `no image for this FACS file: expected ${join(imagesRoot, subject, sequence, stem)}.png; skipped`);
            continue;
          }
          let source: Sample['source'] = { kind: 'file', path: frame };
          if (aligned) {
            const file = join(landmarksRoot, subject, sequence, `${stem}_landmarks.txt`);
            if (!isFile(file)) {
              b.skip(file, undefined, `no landmarks for frame ${frame}; frame skipped (aligned frames need them)`);
              continue;
            }
            source = { kind: 'file', path: frame, align: facePointsFrom68(readLandmarks(file)) };
          }
          for (const au of Object.keys(aus)) auNumbers.add(Number(au));
          b.add('train', { id: relativeId(root, frame), source, label: -1, subject, actionUnits: aus }, { file: facsFile });
        }
      }
    }
  }
  const dataset = b.finish({ expected: 'labelled sequences (Emotion/Sxxx/yyy/*_emotion.txt with frames in cohn-kanade-images/Sxxx/yyy/)' });
  if (auNumbers.size > 0) dataset.actionUnitNumbers = [...auNumbers].sort((x, y) => x - y);
  return dataset;
}

/** The 68 'x y' points of a CK+ landmarks file; anything else is a DataError naming the line. */
function readLandmarks(file: string): [number, number][] {
  const points: [number, number][] = [];
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((text, i) => {
    const cols = text.trim() === '' ? [] : text.trim().split(/\s+/);
    if (cols.length === 0) return;
    if (cols.length !== 2) throw new DataError(file, i + 1, `expected a landmark 'x y' (2 numbers), found ${cols.length} fields`);
    points.push([parseNumber(file, i + 1, cols[0]!, 'landmark x'), parseNumber(file, i + 1, cols[1]!, 'landmark y')]);
  });
  if (points.length !== 68) throw new DataError(file, undefined, `expected 68 landmark lines (CK+'s AAM points), found ${points.length}`);
  return points;
}

/** A frame's file name without folder and extension: 'S005_001_00000011'. */
function frameStem(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The FACS files of one sequence by frame stem; a sequence without a FACS folder has none. */
function readSequenceFacs(dir: string): Map<string, Record<number, number>> {
  const out = new Map<string, Record<number, number>>();
  if (!isDirectory(dir)) return out;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('_facs.txt')).sort()) {
    const file = join(dir, name);
    out.set(name.slice(0, -'_facs.txt'.length), readFacsFile(file));
  }
  return out;
}

/** The single code in an emotion file; anything else there is a malformed label file. */
function readEmotionCode(file: string): number {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const values = lines.map((text, i) => ({ text, line: i + 1 })).filter((l) => l.text.trim() !== '');
  if (values.length !== 1) throw new DataError(file, values[1]?.line ?? 1, `expected exactly one emotion code (a number 0-7), found ${values.length} non-empty lines`);
  const { text, line } = values[0]!;
  return parseLabelCode(file, line, text, 'emotion code', 0, 7);
}
