/**
 * Small on-the-fly datasets for the data-layer tests: real JPEG/PNG files with
 * distinct solid colours (so decoded pixels can be checked), label files, and
 * corrupt/truncated images.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { DataError } from '../../src/data/types.js';

export type Rgb = readonly [number, number, number];

/** A fresh temp folder; call the returned cleanup in `after`. */
export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `semifer-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A solid-colour image; the format follows the extension (.jpg/.png/.webp/.tif/.gif). */
export async function writeSolid(path: string, color: Rgb, width = 16, height = 16): Promise<void> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) raw.set(color, i * 3);
  await writeRaw(path, raw, width, height, 3);
}

/** An image of `bg` with a `color` square at (x, y) of side `side`. */
export async function writeSquare(path: string, width: number, height: number, bg: Rgb, square: { x: number; y: number; side: number; color: Rgb }): Promise<void> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= square.x && x < square.x + square.side && y >= square.y && y < square.y + square.side;
      raw.set(inside ? square.color : bg, (y * width + x) * 3);
    }
  }
  await writeRaw(path, raw, width, height, 3);
}

export async function writeRaw(path: string, raw: Buffer, width: number, height: number, channels: 1 | 2 | 3 | 4): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const img = sharp(raw, { raw: { width, height, channels } });
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const encoded =
    ext === 'png' ? img.png() : ext === 'webp' ? img.webp({ lossless: true }) : ext === 'tif' || ext === 'tiff' ? img.tiff() : ext === 'gif' ? img.gif() : img.jpeg({ quality: 95 });
  await encoded.toFile(path);
}

/** A JPEG cut to 60 % of its bytes. */
export async function writeTruncatedJpeg(path: string): Promise<void> {
  const w = 64;
  const raw = Buffer.alloc(w * w * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251; // noise: a long scan that truncation cuts into
  const jpg = await sharp(raw, { raw: { width: w, height: w, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
  writeText(path, '');
  writeFileSync(path, jpg.subarray(0, Math.floor(jpg.length * 0.6)));
}

/** Bytes that are no image at all, under an image name. */
export function writeGarbage(path: string): void {
  writeText(path, 'this is not an image, just text with a .jpg name\n');
}

/** Mean RGB of a decoded size × size × 3 image (or one frame of a batch). */
export function meanRgb(pixels: Uint8Array, size: number, frame = 0): Rgb {
  const n = size * size;
  const sum = [0, 0, 0];
  const base = frame * n * 3;
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) sum[c]! += pixels[base + i * 3 + c]!;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

/** True when every channel is within `tol` of the expected colour (JPEG is lossy). */
export function near(actual: Rgb, expected: Rgb, tol = 10): boolean {
  return actual.every((v, c) => Math.abs(v - expected[c]!) <= tol);
}

export const RED: Rgb = [220, 20, 30];
export const GREEN: Rgb = [20, 200, 40];
export const BLUE: Rgb = [30, 40, 210];
export const YELLOW: Rgb = [230, 220, 30];
export const GRAY: Rgb = [128, 128, 128];
export const BLACK: Rgb = [0, 0, 0];
export const WHITE: Rgb = [255, 255, 255];

/** Asserts a DataError whose message contains every fragment. */
export async function rejectsWith(fn: () => Promise<unknown>, ...fragments: string[]): Promise<void> {
  await assert.rejects(fn, (err: unknown) => {
    assert.ok(err instanceof DataError, `expected DataError, got ${String(err)}`);
    for (const f of fragments) assert.ok(err.message.includes(f), `message '${err.message}' should contain '${f}'`);
    return true;
  });
}
