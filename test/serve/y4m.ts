// A YUV4MPEG2 (C420) writer for Chromium's fake webcam
// (--use-file-for-fake-video-capture=FILE.y4m): RGB frames → BT.601
// studio-range Y'CbCr, chroma averaged over each 2×2 block.
import { writeFileSync } from 'node:fs';

export interface RgbFrame {
  width: number;
  height: number;
  /** width·height·3 bytes, RGB, row by row. */
  data: Uint8Array;
}

/** Writes the frames (all the same even size) as one y4m file; Chromium loops it. */
export function writeY4m(path: string, frames: RgbFrame[], fps = 10): void {
  const { width, height } = frames[0];
  if (width % 2 || height % 2) throw new Error(`y4m 4:2:0 needs an even size, got ${width}×${height}`);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420\n`)];
  for (const f of frames) {
    if (f.width !== width || f.height !== height) throw new Error('y4m frames must all have the same size');
    parts.push(Buffer.from('FRAME\n'), Buffer.from(toI420(f)));
  }
  writeFileSync(path, Buffer.concat(parts));
}

function toI420({ width: w, height: h, data }: RgbFrame): Uint8Array {
  const out = new Uint8Array(w * h * 1.5);
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let i = 0; i < w * h; i++) {
    const r = data[3 * i], g = data[3 * i + 1], b = data[3 * i + 2];
    out[i] = clamp(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
  }
  const cw = w / 2, uOff = w * h, vOff = uOff + cw * (h / 2);
  for (let y = 0; y < h; y += 2) {
    for (let x = 0; x < w; x += 2) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = 3 * ((y + dy) * w + x + dx);
        r += data[p] / 4; g += data[p + 1] / 4; b += data[p + 2] / 4;
      }
      const c = (y / 2) * cw + x / 2;
      out[uOff + c] = clamp(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      out[vOff + c] = clamp(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return out;
}
