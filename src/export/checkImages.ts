/**
 * The images an export is checked on: a few of the run's own test images when
 * its dataset is still where config.json says, otherwise deterministic
 * generated ones (smooth colour fields with blobs and noise, so every
 * channel and position varies and no activation pattern is trivial).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../data/random.js';

export interface CheckImages {
  /** N × size × size × 3 RGB bytes. */
  pixels: Uint8Array;
  count: number;
  /** Where they came from, for the report line. */
  source: string;
}

export function generatedImages(count: number, size: number, seed = 0): CheckImages {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * size * size * 3);
  for (let i = 0; i < count; i++) {
    const base = [0, 1, 2].map(() => 40 + rng.int(170));
    const grad = [0, 1, 2].map(() => (rng.next() - 0.5) * 4);
    const blobs = Array.from({ length: 3 }, () => ({ x: rng.next() * size, y: rng.next() * size, r: (0.1 + rng.next() * 0.25) * size, c: [0, 1, 2].map(() => (rng.next() - 0.5) * 160) }));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          let v = base[c]! + grad[c]! * (x - y);
          for (const b of blobs) if ((x - b.x) ** 2 + (y - b.y) ** 2 < b.r ** 2) v += b.c[c]!;
          v += (rng.next() - 0.5) * 30;
          pixels[((i * size + y) * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
  }
  return { pixels, count, source: `${count} generated images` };
}

/** Up to `count` images of the run's test (else val, else train) split, evenly spaced; generated ones when the dataset cannot be read. */
export async function checkImagesForRun(run: string | undefined, size: number, count = 8): Promise<CheckImages> {
  try {
    if (!run || !existsSync(join(run, 'config.json'))) throw new Error('no run config');
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as { dataset?: string; root?: string; readerOptions?: Record<string, unknown> };
    if (!config.dataset || !config.root || !existsSync(config.root)) throw new Error('dataset not found');
    const { readDataset, decodeMany } = await import('../data/index.js');
    const ds = await readDataset(config.dataset, config.root, config.readerOptions ?? {});
    const split = ['test', 'val', 'train'].find((s) => ds.splits[s]?.length);
    if (!split) throw new Error('empty dataset');
    const all = ds.splits[split]!;
    const picked = Array.from({ length: Math.min(count, all.length) }, (_, i) => all[Math.floor((i * all.length) / Math.min(count, all.length))]!);
    const decoded = await decodeMany(picked, size, { concurrency: 2 });
    const n = decoded.pixels.length / (size * size * 3);
    if (n === 0) throw new Error('no decodable image');
    return { pixels: decoded.pixels, count: n, source: `${n} ${config.dataset} ${split} images from ${config.root}` };
  } catch {
    return generatedImages(count, size);
  }
}
