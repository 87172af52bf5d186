/**
 * Minimal PNG encoder (8-bit grey, RGB or RGBA, no interlace) on node:zlib, so
 * decoded face crops can be embedded in the report without an image library.
 */
import { deflateSync } from 'node:zlib';
import { assemblePng } from '../data/pngContainer.js';

/** Encodes row-major interleaved pixels (`channels` = 1 grey, 3 RGB, 4 RGBA) as a PNG file. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Buffer {
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`encodePng: ${pixels.length} bytes for ${width}×${height}×${channels} = ${width * height * channels}`);
  }
  const stride = width * channels;
  // Each scanline is prefixed with filter type 0 (none); deflate does the compression.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return assemblePng(width, height, channels, deflateSync(raw));
}

/** A PNG (bytes or base64, with or without a data: prefix) as a data: URI; undefined if the string is not base64. */
export function pngDataUri(png: Uint8Array | string): string | undefined {
  if (typeof png !== 'string') return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`;
  const s = png.trim();
  const m = /^data:(image\/(?:png|jpeg|webp|gif));base64,([A-Za-z0-9+/=\s]*)$/.exec(s);
  if (m) return `data:${m[1]};base64,${m[2]!.replace(/\s+/g, '')}`;
  if (/^[A-Za-z0-9+/=\s]+$/.test(s)) return `data:image/png;base64,${s.replace(/\s+/g, '')}`;
  return undefined;
}
