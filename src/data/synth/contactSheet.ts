/**
 * A contact sheet: one row per identity, one column per expression (canonical
 * order), with the class names on top. Used by the docs and for eyeballing the
 * generator after changes.
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { SEVEN_CLASSES } from '../classes.js';
import { EXPRESSION_COUNT } from './expressions.js';
import { sampleIdentity } from './identity.js';
import { generateFaceParams } from './params.js';
import { Rng, hashSeed } from './random.js';
import { renderFace } from './render.js';

export interface ContactSheetOptions {
  /** Cell size in pixels (default 112). */
  size?: number;
  /** Rows (default 6). */
  identities?: number;
  seed?: number;
  /** Fixed intensity for every expressive cell; default: drawn as in the datasets. */
  intensity?: number;
  /** Nuisance level, 0 = clean faces, 1 = as in the datasets (default). */
  nuisance?: number;
  /** Keep each row's pose, lighting and occlusion the same across expressions (default true). */
  sameScene?: boolean;
  /** Header row with class names (default true). */
  labels?: boolean;
}

export async function renderContactSheet(opts: ContactSheetOptions = {}): Promise<Buffer> {
  const size = opts.size ?? 112, rows = opts.identities ?? 6, seed = opts.seed ?? 1;
  const nuisance = opts.nuisance ?? 1;
  const header = opts.labels === false ? 0 : Math.max(14, Math.round(size * 0.16));
  const cells: sharp.OverlayOptions[] = [];
  for (let r = 0; r < rows; r++) {
    const identity = sampleIdentity(new Rng(hashSeed(seed, 'sheet-identity', r)), nuisance);
    const rowScene = generateFaceParams(new Rng(hashSeed(seed, 'sheet-scene', r)), 0, { identity, nuisance }).scene;
    for (let e = 0; e < EXPRESSION_COUNT; e++) {
      const params = generateFaceParams(new Rng(hashSeed(seed, 'sheet', r, e)), e, { identity, intensity: opts.intensity, nuisance });
      if (opts.sameScene !== false) params.scene = rowScene;
      cells.push({ input: await renderFace(params, size), left: e * size, top: header + r * size });
    }
  }
  if (header > 0) {
    const w = EXPRESSION_COUNT * size;
    const text = SEVEN_CLASSES.map((name, e) =>
      `<text x="${e * size + size / 2}" y="${header * 0.75}" font-family="sans-serif" font-size="${Math.round(header * 0.7)}" text-anchor="middle" fill="#202020">${name}</text>`).join('');
    cells.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${header}">${text}</svg>`), left: 0, top: 0 });
  }
  return sharp({ create: { width: EXPRESSION_COUNT * size, height: header + rows * size, channels: 3, background: '#ffffff' } })
    .composite(cells).png().toBuffer();
}

export async function writeContactSheet(path: string, opts: ContactSheetOptions = {}): Promise<void> {
  await writeFile(path, await renderContactSheet(opts));
}
