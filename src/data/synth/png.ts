/**
 * A minimal PNG encoder (8-bit grey or RGB, no interlace) on node:zlib.
 * Why not sharp: for a 100×100 face a second sharp pipeline just to encode
 * costs ~3 ms of CPU, mostly fixed overhead; this costs well under 1 ms and
 * compresses on libuv's thread pool.
 */
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import { assemblePng } from '../pngContainer.js';

const deflateAsync = promisify(deflate);

/** Encodes interleaved 8-bit pixels (1 = grey, 3 = RGB channels) as PNG. */
export async function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  const stride = width * channels;
  // Each row gets filter type 1 (Sub: difference to the pixel on the left), which suits smooth faces.
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1), r = y * stride;
    filtered[o] = 1;
    for (let x = 0; x < stride; x++) filtered[o + 1 + x] = (pixels[r + x] - (x >= channels ? pixels[r + x - channels] : 0)) & 0xff;
  }
  // An 8 KB window is plenty for a face this size and much cheaper to set up than zlib's default 32 KB.
  const idat = await deflateAsync(filtered, { level: 6, windowBits: 13 });
  return assemblePng(width, height, channels, idat);
}
