/**
 * `semifer data synth`: writes a synthetic FER dataset (procedural faces with
 * seven expressions) in RAF-DB, FER2013 or ImageFolder layout, for demos,
 * tests and trying the pipeline without downloading a real dataset.
 */
import { SEED_MAX } from '../../../data/random.js';
import { readdir } from 'node:fs/promises';
import { defineCommand } from '../../command.js';
import { CliError } from '../../errors.js';
import { EXIT } from '../../exitCodes.js';

const FORMATS = ['rafdb', 'fer2013', 'imagefolder'] as const;

export const synthCommand = defineCommand({
  name: 'synth',
  summary: 'Generate a synthetic face dataset in a real dataset\'s layout',
  usage: 'semifer data synth --out DIR --n N --format rafdb|fer2013|imagefolder [options]',
  description:
    'Faces are drawn from action-unit-like expression parameters with identity, pose, lighting, blur, noise and occlusion as nuisance. ' +
    'Running again with the same options finds the finished dataset and does nothing; other options regenerate it. ' +
    'A non-empty folder that this command did not write is never touched.',
  examples: [
    'semifer data synth --out data/synth-raf --n 1400 --format rafdb',
    'semifer data synth --out data/noisy --n 700 --format imagefolder --noise 0.2 --seed 1',
    'semifer data synth --out data/fer --n 3500 --format fer2013 --class-balance rafdb --json',
  ],
  options: [
    { name: 'out', short: 'o', type: 'path', placeholder: 'DIR', required: true, description: 'Folder to write the dataset to (created if missing)' },
    { name: 'n', type: 'int', min: 1, placeholder: 'N', required: true, description: 'Number of faces in all, train and test together' },
    { name: 'format', type: 'enum', values: FORMATS, placeholder: 'FORMAT', required: true, description: 'Layout to write, read by the matching dataset reader' },
    { name: 'noise', type: 'number', min: 0, max: 1, default: 0, placeholder: 'P', description: 'Fraction of training labels flipped to a random other class' },
    { name: 'seed', type: 'int', min: 0, max: SEED_MAX, default: 0, placeholder: 'S', description: 'Random seed: the same seed gives the same images' },
    { name: 'size', type: 'int', min: 8, max: 1024, placeholder: 'PX', description: 'Image side in pixels (default 100; fer2013 is always 48)' },
    { name: 'test-fraction', type: 'number', min: 0, max: 1, default: 0.2, placeholder: 'F', description: 'Fraction of each class put in the test split' },
    { name: 'class-balance', type: 'enum', values: ['uniform', 'rafdb'], default: 'uniform', placeholder: 'NAME', description: 'Equal classes, or RAF-DB\'s imbalanced train proportions' },
    { name: 'nuisance', type: 'number', min: 0, max: 1, default: 1, placeholder: 'X', description: 'Variety of pose, light, blur, noise and occlusion: 0 = clean studio faces' },
  ],
  async run(ctx) {
    const o = ctx.options;
    if (o.format === 'fer2013' && o.size !== undefined && o.size !== 48) ctx.warn(`--size ${o.size} is ignored: fer2013 images are always 48×48`);
    await checkOutFolder(o.out);
    const { synthesizeDataset, CLASS_NAMES } = await loadSynth();

    const bar = ctx.progress({ total: o.n, label: `synth ${o.format}`, unit: 'img' });
    let started = false;
    const result = await synthesizeDataset({
      out: o.out, n: o.n, format: o.format, size: o.size, seed: o.seed, noise: o.noise,
      testFraction: o.testFraction, classBalance: o.classBalance, nuisance: o.nuisance,
      onProgress: (done, total) => {
        started = true;
        bar.update(done, { total });
      },
    });
    if (started) bar.done();

    const byClass = (counts: number[]) => Object.fromEntries(CLASS_NAMES.map((c, i) => [c, counts[i] ?? 0]));
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    if (ctx.json) {
      ctx.printJson({
        ok: true, out: result.out, format: o.format, size: result.size, skipped: result.skipped, seed: o.seed,
        classes: CLASS_NAMES, counts: { train: byClass(result.counts.train), test: byClass(result.counts.test) },
        totals: { train: sum(result.counts.train), test: sum(result.counts.test) }, flipped: result.flipped,
      });
      return EXIT.OK;
    }
    const head = result.skipped
      ? `${result.out} already holds this dataset (same options): nothing regenerated.`
      : `Wrote ${o.n} faces (${o.format}, ${result.size}×${result.size}) to ${result.out}`;
    const rows = [['class', 'train', 'test'], ...CLASS_NAMES.map((c, i) => [c, String(result.counts.train[i]), String(result.counts.test[i])]),
      ['total', String(sum(result.counts.train)), String(sum(result.counts.test))]];
    const w0 = Math.max(...rows.map((r) => r[0]!.length));
    const w = [w0, 5, 5];
    ctx.print([
      head, '',
      ...rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(w[i]!) : cell.padStart(w[i]!))).join('  ')),
      '', `Flipped training labels: ${result.flipped}`,
      `Inspect it: semifer data inspect --dataset ${o.format} --root ${result.out}`,
    ].join('\n'));
    return EXIT.OK;
  },
});

/** The generator only overwrites its own output; say so with the option's name before it refuses. */
async function checkOutFolder(out: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new CliError(`--out ${out}: is a file, expected a folder`);
    throw err;
  }
  if (entries.length > 0 && !entries.includes('synth_meta.json')) {
    throw new CliError(`--out ${out}: folder is not empty and was not written by 'semifer data synth'; choose an empty or new folder`);
  }
}

/** Loaded on use: the renderer pulls in sharp, which `--help` does not need. */
async function loadSynth() {
  const synth = await import('../../../data/synth/index.js');
  const { SEVEN_CLASSES } = await import('../../../data/classes.js');
  return { synthesizeDataset: synth.synthesizeDataset, CLASS_NAMES: SEVEN_CLASSES as readonly string[] };
}
