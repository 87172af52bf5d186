/**
 * The per-photo pipeline of `semifer predict`: read (photo.ts) → detect faces
 * and landmarks (detector.ts) → align each face to the training crops'
 * template (align.ts) → classify the crops in one batch (classifier.ts).
 *
 * Photos are processed one at a time and each yields one result, so a file
 * that cannot be read, or fails in any later step, is reported and the next
 * one still runs. Coordinates in results are the photo file's own pixels,
 * upright (after EXIF orientation), even when it was shrunk for decoding or
 * detection.
 */
import { readPhoto, PhotoError, DEFAULT_MAX_SIDE, type PhotoErrorKind } from './photo.js';
import type { Detector, Point } from './detector.js';
import { alignFace } from './align.js';
import type { Classifier } from './classifier.js';
import { argmaxRows } from '../eval/metrics.js';

export interface FaceResult {
  /** 0-based, faces ordered left to right. */
  index: number;
  box: { x: number; y: number; width: number; height: number };
  /** Detector confidence. */
  score: number;
  eyeLeft: Point;
  eyeRight: Point;
  mouth: Point;
  label: string;
  /** Probability of `label` (the largest). */
  probability: number;
  /** One per class, in the classifier's class order. */
  probabilities: Float32Array;
}

export interface Timings {
  decodeMs: number;
  detectMs: number;
  alignMs: number;
  classifyMs: number;
}

export interface ImageOk {
  ok: true;
  file: string;
  /** The file's upright size. */
  width: number;
  height: number;
  faces: FaceResult[];
  /** Present when the photo was larger than the decode limit and was shrunk first. */
  downscaled?: { width: number; height: number };
  timings: Timings;
}

export interface ImageFailed {
  ok: false;
  file: string;
  /** PhotoError's kinds, or 'failed' for a later step. */
  kind: PhotoErrorKind | 'failed';
  error: string;
}

export type ImageResult = ImageOk | ImageFailed;

export interface PredictOptions {
  detector: Detector;
  classifier: Classifier;
  /** Longer side photos are shrunk to on decoding (default photo.ts's 4096). */
  maxSide?: number;
}

/** One result per file, in order. */
export async function* predictImages(files: Iterable<string>, o: PredictOptions): AsyncGenerator<ImageResult> {
  for (const file of files) yield await predictImage(file, o);
}

export async function predictImage(file: string, o: PredictOptions): Promise<ImageResult> {
  const { detector, classifier } = o;
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now(), ms = now - t;
    t = now;
    return ms;
  };
  try {
    const photo = await readPhoto(file, { maxSide: o.maxSide ?? DEFAULT_MAX_SIDE });
    const decodeMs = lap();
    const found = await detector.detect(photo);
    const detectMs = lap();
    const size = classifier.size, frame = size * size * 3;
    const crops = new Uint8Array(found.length * frame);
    found.forEach((f, i) => crops.set(alignFace(photo, f, size), i * frame));
    const alignMs = lap();
    const probs = found.length ? await classifier.classify(crops) : new Float32Array(0);
    const classifyMs = lap();
    const C = classifier.classes.length, k = 1 / photo.scale;
    const toFile = (p: Point): Point => [p[0] * k, p[1] * k];
    const guess = argmaxRows(probs, C);
    const faces = found.map((f, i): FaceResult => {
      const p = probs.slice(i * C, (i + 1) * C);
      const best = guess[i]!;
      return {
        index: i,
        box: { x: f.box.x * k, y: f.box.y * k, width: f.box.width * k, height: f.box.height * k },
        score: f.score, eyeLeft: toFile(f.eyeLeft), eyeRight: toFile(f.eyeRight), mouth: toFile(f.mouth),
        label: classifier.classes[best]!, probability: p[best]!, probabilities: p,
      };
    });
    return {
      ok: true, file, width: photo.fileWidth, height: photo.fileHeight, faces,
      ...(photo.scale < 1 ? { downscaled: { width: photo.width, height: photo.height } } : {}),
      timings: { decodeMs, detectMs, alignMs, classifyMs },
    };
  } catch (err) {
    if (err instanceof PhotoError) return { ok: false, file, kind: err.kind, error: err.message };
    return { ok: false, file, kind: 'failed', error: `${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
