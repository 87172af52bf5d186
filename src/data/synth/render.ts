/**
 * SVG → pixels → encoded image. librsvg (through sharp) draws the SVG at the
 * target size; light, blur, contrast and noise are applied in JS on the raw
 * bytes (camera.ts); PNGs are encoded by png.ts and JPEGs by sharp. Every
 * sharp pipeline costs ~1 ms of fixed overhead, so nothing else goes through
 * sharp. Same params → same bytes.
 */
import sharp from 'sharp';
import type { FaceParams } from './params.js';
import { applyCamera } from './camera.js';
import { encodePng } from './png.js';
import { renderFaceSvg } from './svg.js';

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

export interface RenderOptions {
  /** 'png' (default) or 'jpeg'. */
  format?: 'png' | 'jpeg';
  /** JPEG quality, default 92. */
  quality?: number;
  /** Encode as one grey channel (FER2013-style). */
  grayscale?: boolean;
}

/** Renders to raw interleaved pixels (RGB, or grey with `grayscale`). */
export async function renderFaceRaw(params: FaceParams, size: number, grayscale = false): Promise<RawImage> {
  const svg = renderFaceSvg(params, size);
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new Error(`renderer produced ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x3`);
  }
  const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
  applyCamera(rgb, size, params.scene);
  return grayscale ? { data: toGray(rgb), width: size, height: size, channels: 1 } : { data: rgb, width: size, height: size, channels: 3 };
}

/** Renders and encodes (PNG by default). */
export async function renderFace(params: FaceParams, size: number, opts: RenderOptions = {}): Promise<Buffer> {
  const raw = await renderFaceRaw(params, size, opts.grayscale ?? false);
  if (opts.format !== 'jpeg') return encodePng(raw.data, raw.width, raw.height, raw.channels);
  let img = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  // Without this sharp writes a one-channel input as a three-channel JPEG.
  if (raw.channels === 1) img = img.toColourspace('b-w');
  return img.jpeg({ quality: opts.quality ?? 92, chromaSubsampling: '4:4:4' }).toBuffer();
}

function toGray(rgb: Uint8Array): Uint8Array {
  const g = new Uint8Array(rgb.length / 3);
  for (let i = 0, j = 0; j < g.length; i += 3, j++) g[j] = Math.round(0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2]);
  return g;
}
