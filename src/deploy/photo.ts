/**
 * Reading one photo for `semifer predict`: upright (EXIF orientation applied),
 * RGB, alpha flattened onto black, and no larger than `maxSide` on its longer
 * side. Every way a file can fail becomes a PhotoError with a short `kind` and
 * a message that names the file, so a batch of photos can report it and go on.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

export type PhotoErrorKind = 'missing' | 'unreadable' | 'empty' | 'not-image' | 'damaged' | 'too-large';

export class PhotoError extends Error {
  constructor(readonly file: string, readonly kind: PhotoErrorKind, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'PhotoError';
  }
}

export interface Photo {
  /** Interleaved RGB bytes, width × height × 3. */
  rgb: Uint8Array;
  width: number;
  height: number;
  /** The file's own upright size; differs from width × height when it was shrunk to maxSide. */
  fileWidth: number;
  fileHeight: number;
  /** width / fileWidth: multiply photo coordinates by 1/scale to get file coordinates. */
  scale: number;
}

/**
 * Faces in the crops are ~50–200 px; 4096 px keeps every face a detector can
 * find at full detail while bounding memory (a 50 Mpx photo would be 150 MB
 * of RGB). Larger photos are shrunk on decode (libvips shrinks JPEGs on load).
 */
export const DEFAULT_MAX_SIDE = 4096;

export async function readPhoto(file: string, o: { maxSide?: number } = {}): Promise<Photo> {
  const maxSide = o.maxSide ?? DEFAULT_MAX_SIDE;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PhotoError(file, 'missing', 'no such file');
    if (code === 'EISDIR') throw new PhotoError(file, 'unreadable', 'is a folder, not an image file');
    if (code === 'EACCES' || code === 'EPERM') throw new PhotoError(file, 'unreadable', 'permission denied');
    throw new PhotoError(file, 'unreadable', `cannot read the file (${(err as Error).message})`);
  }
  if (bytes.length === 0) throw new PhotoError(file, 'empty', 'empty file (0 bytes)');
  // 'truncated': a cut-off file fails; the harmless warnings common in web JPEGs do not (as in src/data/decode.ts).
  const image = sharp(bytes, { failOn: 'truncated' });
  let fileWidth: number, fileHeight: number;
  try {
    const meta = await image.metadata();
    fileWidth = meta.autoOrient?.width ?? meta.width ?? 0;
    fileHeight = meta.autoOrient?.height ?? meta.height ?? 0;
  } catch (err) {
    throw classify(file, err);
  }
  if (!(fileWidth > 0 && fileHeight > 0)) throw new PhotoError(file, 'not-image', 'image has no pixels');
  let pipeline = image.rotate().flatten({ background: { r: 0, g: 0, b: 0 } }).toColourspace('srgb');
  if (Math.max(fileWidth, fileHeight) > maxSide) pipeline = pipeline.resize(maxSide, maxSide, { fit: 'inside' });
  try {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion to sRGB, got ${info.channels}`);
    const rgb = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { rgb, width: info.width, height: info.height, fileWidth, fileHeight, scale: info.width / fileWidth };
  } catch (err) {
    throw classify(file, err);
  }
}

/** libvips' reasons, in words a user can act on. */
function classify(file: string, err: unknown): PhotoError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) return new PhotoError(file, 'not-image', 'not an image (or a format sharp cannot read: use JPEG, PNG, WebP, TIFF or GIF)');
  if (/pixel limit/i.test(msg)) return new PhotoError(file, 'too-large', `image too large to decode (${msg})`);
  if (/premature end|truncat|corrupt|invalid|bad|unexpected end|read error/i.test(msg)) return new PhotoError(file, 'damaged', `damaged or truncated image (${msg.trim()})`);
  return new PhotoError(file, 'damaged', `cannot decode the image (${msg.trim()})`);
}
