/**
 * Decoding samples to fixed-size RGB with sharp (libvips): JPEG, PNG, WebP,
 * TIFF, GIF, and BMP only where the installed libvips reads it (sharp's
 * prebuilt libvips does not; such files are skipped like any unreadable image).
 * Every image becomes size × size × 3 uint8: EXIF orientation applied, crop to
 * the face box (after orientation, with an optional margin, clamped to the
 * image), alpha flattened onto black, grayscale expanded to RGB, resized.
 * A sample with landmarks (`source.align`) is instead warped with the
 * similarity transform `predict` aligns detected faces with (deploy/align.ts).
 */
import sharp from 'sharp';
import { alignFace } from '../deploy/align.js';
import type { Box, DecodedImages, Problem, Sample } from './types.js';

export interface DecodeOptions {
  /** Context added around a face box on every side, as a fraction of the box's width/height (default 0). */
  margin?: number;
  /** 'fill' (default) stretches to size × size; 'cover' keeps the aspect ratio and centre-crops. */
  fit?: 'fill' | 'cover';
  /**
   * When libvips should give up on a damaged file (sharp's `failOn`). Default
   * 'truncated': truncated files fail, harmless warnings (common in web JPEGs,
   * e.g. "extraneous bytes before marker") do not.
   */
  failOn?: 'none' | 'truncated' | 'error' | 'warning';
}

/** The pixel region of a face box grown by `margin`, clamped to a width × height image; undefined when nothing is left. */
export function cropRegion(box: Box, margin: number, width: number, height: number): { left: number; top: number; width: number; height: number } | undefined {
  const left = clamp(Math.floor(box.x - margin * box.width), 0, width);
  const top = clamp(Math.floor(box.y - margin * box.height), 0, height);
  const right = clamp(Math.ceil(box.x + box.width * (1 + margin)), 0, width);
  const bottom = clamp(Math.ceil(box.y + box.height * (1 + margin)), 0, height);
  if (right - left < 1 || bottom - top < 1) return undefined;
  return { left, top, width: right - left, height: bottom - top };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Decodes one sample to size × size × 3 RGB uint8. Rejects (with libvips' reason) when the image cannot be read. */
export async function decodeSample(sample: Sample, size: number, opts: DecodeOptions = {}): Promise<Uint8Array> {
  checkSize(size);
  const src = sample.source;
  const failOn = opts.failOn ?? 'truncated';
  let image: sharp.Sharp;
  let width: number;
  let height: number;
  if (src.kind === 'file') {
    image = sharp(src.path, { failOn });
    const meta = await image.metadata();
    // Box coordinates refer to the upright image, so measure it after EXIF orientation.
    width = meta.autoOrient?.width ?? meta.width ?? 0;
    height = meta.autoOrient?.height ?? meta.height ?? 0;
    image = image.rotate();
  } else {
    const expected = src.width * src.height * src.channels;
    if (src.data.length !== expected) throw new Error(`raw pixels: expected ${expected} bytes (${src.width}×${src.height}×${src.channels}), found ${src.data.length}`);
    const buf = Buffer.from(src.data.buffer, src.data.byteOffset, src.data.byteLength);
    image = sharp(buf, { raw: { width: src.width, height: src.height, channels: src.channels } });
    width = src.width;
    height = src.height;
  }
  if (src.kind === 'file' && src.align) {
    // The whole upright photo as RGB, then the same warp predict applies to a detected face.
    const { data, info } = await image.flatten({ background: { r: 0, g: 0, b: 0 } }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const rgb = toRgb(data, info.channels, info.width * info.height);
    return alignFace({ rgb, width: info.width, height: info.height }, src.align, size);
  }
  const box = src.kind === 'file' ? src.box : undefined;
  if (box) {
    const region = cropRegion(box, opts.margin ?? 0, width, height);
    if (!region) throw new Error(`face box (x ${box.x}, y ${box.y}, ${box.width}×${box.height}) lies outside the ${width}×${height} image`);
    image = image.extract(region);
  }
  const { data, info } = await image
    .flatten({ background: { r: 0, g: 0, b: 0 } })
    .toColourspace('srgb')
    .resize(size, size, { fit: opts.fit ?? 'fill', position: 'centre' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return toRgb(data, info.channels, size * size);
}

/** Copies interleaved pixels with 1–4 channels into a fresh RGB array. */
function toRgb(data: Buffer, channels: number, count: number): Uint8Array {
  const out = new Uint8Array(count * 3);
  if (channels === 3) {
    out.set(data.subarray(0, count * 3));
    return out;
  }
  for (let i = 0; i < count; i++) {
    const s = i * channels;
    const r = data[s]!;
    out[i * 3] = r;
    out[i * 3 + 1] = channels >= 3 ? data[s + 1]! : r;
    out[i * 3 + 2] = channels >= 3 ? data[s + 2]! : r;
  }
  return out;
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > 4096) throw new RangeError(`image size must be an integer from 1 to 4096, got ${size}`);
}

export interface DecodeManyOptions extends DecodeOptions {
  /** Images decoded at once (default 4; libvips also threads inside each image). */
  concurrency?: number;
  /** Called after each sample, decoded or skipped. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Decodes samples in order into one N × size × size × 3 array. An image that
 * cannot be decoded (corrupt, truncated, unsupported, box outside) is skipped
 * and listed in `skipped` with its path and libvips' reason — never fatal.
 */
export async function decodeMany(samples: readonly Sample[], size: number, opts: DecodeManyOptions = {}): Promise<DecodedImages> {
  checkSize(size);
  const n = samples.length;
  const frame = size * size * 3;
  const pixels = new Uint8Array(n * frame);
  const ok = new Uint8Array(n);
  const failures: (Problem | undefined)[] = new Array(n);
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 4, n || 1));
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const sample = samples[i]!;
      try {
        pixels.set(await decodeSample(sample, size, opts), i * frame);
        ok[i] = 1;
      } catch (err) {
        failures[i] = skippedProblem(sample, err);
      }
      opts.onProgress?.(++done, n);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // Failures are retried one at a time: libvips keeps one global error buffer, so a
  // failure next to another one can come back as 'Unknown error', and a retry alone
  // gives the real reason (or succeeds, when the failure was transient, e.g. EMFILE).
  for (let i = 0; i < n; i++) {
    if (ok[i]) continue;
    try {
      pixels.set(await decodeSample(samples[i]!, size, opts), i * frame);
      ok[i] = 1;
      failures[i] = undefined;
    } catch (err) {
      failures[i] = skippedProblem(samples[i]!, err);
    }
  }
  return compact(samples, pixels, ok, failures, size);
}

function skippedProblem(sample: Sample, err: unknown): Problem {
  const file = sample.source.kind === 'file' ? sample.source.path : sample.id;
  return { file, message: `could not decode image: ${err instanceof Error ? err.message : String(err)}; skipped`, severity: 'skipped' };
}

/** Moves decoded frames together (dropping skipped ones) and builds labels, ids and soft labels. */
function compact(samples: readonly Sample[], pixels: Uint8Array, ok: Uint8Array, failures: (Problem | undefined)[], size: number): DecodedImages {
  const frame = size * size * 3;
  const kept: Sample[] = [];
  for (let i = 0; i < samples.length; i++) {
    if (!ok[i]) continue;
    if (kept.length !== i) pixels.copyWithin(kept.length * frame, i * frame, (i + 1) * frame);
    kept.push(samples[i]!);
  }
  const result: DecodedImages = {
    size,
    count: kept.length,
    pixels: pixels.subarray(0, kept.length * frame),
    labels: Int32Array.from(kept, (s) => s.label),
    ids: kept.map((s) => s.id),
    skipped: failures.filter((p): p is Problem => p !== undefined),
  };
  const soft = softLabels(kept);
  if (soft) result.soft = soft;
  return result;
}

/** Row-major soft labels when every sample has one of the same length. */
export function softLabels(samples: readonly Sample[]): Float32Array | undefined {
  const width = samples[0]?.soft?.length;
  if (!width || !samples.every((s) => s.soft?.length === width)) return undefined;
  const out = new Float32Array(samples.length * width);
  samples.forEach((s, i) => out.set(s.soft!, i * width));
  return out;
}
