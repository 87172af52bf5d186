/**
 * The per-photo pipeline of `semifer predict`: read (photo.ts) → detect faces
 * and landmarks (detector.ts) → align each face to the training crops'
 * template (align.ts) → classify the crops in one batch (classifier.ts).
 *
 * Photos are processed one at a time (the next one is read ahead) and each
 * yields one result, so a file that cannot be read, or fails in any later
 * step, is reported and the next one still runs. Coordinates in results are the photo file's own pixels,
 * upright (after EXIF orientation), even when it was shrunk for decoding or
 * detection.
 */
import { readPhoto, PhotoError, DEFAULT_MAX_SIDE, type Photo, type PhotoErrorKind } from './photo.js';
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
  /** Time spent waiting for the decoded photo (less than decoding takes when it was read ahead). */
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

/** A photo being read; it never rejects, so one read ahead and never awaited cannot go unhandled. */
type Reading = Promise<{ photo: Photo } | { error: unknown }>;

function startReading(file: string, o: PredictOptions): Reading {
  return readPhoto(file, { maxSide: o.maxSide ?? DEFAULT_MAX_SIDE }).then((photo) => ({ photo }), (error: unknown) => ({ error }));
}

/**
 * One result per file, in order. The next photo is decoded while this one is
 * detected, aligned and classified: sharp decodes on libuv's threads while
 * LibTorch runs on this one, so the decoding is mostly off the critical path.
 */
export async function* predictImages(files: Iterable<string>, o: PredictOptions): AsyncGenerator<ImageResult> {
  const it = files[Symbol.iterator]();
  let next = it.next();
  let reading = next.done ? undefined : startReading(next.value, o);
  while (!next.done) {
    const file = next.value, current = reading!;
    next = it.next();
    reading = next.done ? undefined : startReading(next.value, o);
    yield await predictImage(file, o, current);
  }
}

/** `reading`: the photo already being read (predictImages reads one ahead); else it is read here. */
export async function predictImage(file: string, o: PredictOptions, reading: Reading = startReading(file, o)): Promise<ImageResult> {
  const { detector, classifier } = o;
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now(), ms = now - t;
    t = now;
    return ms;
  };
  try {
    const read = await reading;
    if ('error' in read) throw read.error;
    const photo = read.photo;
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
