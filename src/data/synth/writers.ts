/**
 * One writer per layout. Each renders the planned faces (`images`) and then
 * publishes the dataset (`finish`): the step that makes the label file (or,
 * for ImageFolder, the train/ folder) appear, always last and atomic, so a
 * dataset whose generation was interrupted is recognisably unfinished.
 */
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/writeFileAtomic.js';
import { CLASS_NAMES, FER2013_CODE, RAFDB_CODE, type SynthFormat, rafdbName } from './formats.js';
import { generateFaceParams } from './params.js';
import type { PlannedSample } from './plan.js';
import { forEachLimit } from './pool.js';
import { Rng } from './random.js';
import { renderFace, renderFaceRaw } from './render.js';

export interface WriteContext {
  out: string;
  size: number;
  nuisance: number;
  plan: PlannedSample[];
  /** Called after every finished image. */
  tick: () => void;
}

export interface Writer {
  images(ctx: WriteContext): Promise<void>;
  finish(ctx: WriteContext): Promise<void>;
}

/** In-flight renders: ~2 per core keeps librsvg busy on both cores while JS does the camera effects. */
const CONCURRENCY = 4;
/** Where ImageFolder output is built before being renamed into place. */
export const PARTIAL_DIR = '.synth-partial';

/** A planned face's full description (deterministic from its seed). */
export const paramsOf = (s: PlannedSample, nuisance: number) => generateFaceParams(new Rng(s.seed), s.trueLabel, { nuisance });

const rafdb: Writer = {
  async images(ctx) {
    const dir = join(ctx.out, 'Image', 'aligned');
    await mkdir(dir, { recursive: true });
    await forEachLimit(ctx.plan, CONCURRENCY, async (s) => {
      const jpg = await renderFace(paramsOf(s, ctx.nuisance), ctx.size, { format: 'jpeg', quality: 92 });
      await writeFile(join(dir, `${rafdbName(s.split, s.index)}_aligned.jpg`), jpg);
      ctx.tick();
    });
  },
  async finish(ctx) {
    await mkdir(join(ctx.out, 'EmoLabel'), { recursive: true });
    const lines = ctx.plan.map((s) => `${s.id} ${RAFDB_CODE[s.label]}\n`).join('');
    writeFileAtomic(join(ctx.out, 'EmoLabel', 'list_patition_label.txt'), lines);
  },
};

/**
 * FER2013 rows in file order: Training, then PublicTest, then PrivateTest (first
 * and second half of the test split; the FER2013 reader calls them val and test).
 */
function ferUsage(s: PlannedSample, nTest: number): string {
  if (s.split === 'train') return 'Training';
  return s.index < Math.ceil(nTest / 2) ? 'PublicTest' : 'PrivateTest';
}

/** Where the FER2013 CSV is streamed before the finished file is published by rename. */
function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

const fer2013: Writer = {
  // The CSV is both images and labels: build it as a temp file, publish by rename.
  async images(ctx) {
    const nTest = ctx.plan.filter((s) => s.split === 'test').length;
    const fh = await open(tempPath(join(ctx.out, 'fer2013.csv')), 'w');
    try {
      await fh.write('emotion,pixels,Usage\n');
      // Blocks keep memory bounded while rows still come out in plan order.
      const BLOCK = 256;
      for (let b = 0; b < ctx.plan.length; b += BLOCK) {
        const block = ctx.plan.slice(b, b + BLOCK);
        const rows = new Array<string>(block.length);
        await forEachLimit(block, CONCURRENCY, async (s, i) => {
          const raw = await renderFaceRaw(paramsOf(s, ctx.nuisance), ctx.size, true);
          rows[i] = `${FER2013_CODE[s.label]},${raw.data.join(' ')},${ferUsage(s, nTest)}\n`;
          ctx.tick();
        });
        await fh.write(rows.join(''));
      }
    } finally {
      await fh.close();
    }
  },
  async finish(ctx) {
    const path = join(ctx.out, 'fer2013.csv');
    await rename(tempPath(path), path);
  },
};

const imagefolder: Writer = {
  async images(ctx) {
    const root = join(ctx.out, PARTIAL_DIR);
    for (const split of ['train', 'test']) {
      for (const name of CLASS_NAMES) await mkdir(join(root, split, name), { recursive: true });
    }
    await forEachLimit(ctx.plan, CONCURRENCY, async (s) => {
      const png = await renderFace(paramsOf(s, ctx.nuisance), ctx.size, { format: 'png' });
      await writeFile(join(root, s.split, CLASS_NAMES[s.label], `${rafdbName(s.split, s.index)}.png`), png);
      ctx.tick();
    });
  },
  async finish(ctx) {
    // test/ first: train/ appearing is the "finished" mark.
    await rename(join(ctx.out, PARTIAL_DIR, 'test'), join(ctx.out, 'test'));
    await rename(join(ctx.out, PARTIAL_DIR, 'train'), join(ctx.out, 'train'));
    await rm(join(ctx.out, PARTIAL_DIR), { recursive: true, force: true });
  },
};

export const WRITERS: Record<SynthFormat, Writer> = { rafdb, fer2013, imagefolder };
