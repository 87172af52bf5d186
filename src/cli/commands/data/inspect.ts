/**
 * `semifer data inspect`: reads a dataset with its reader and reports counts
 * per class and split, the sizes and formats of every image (decoded, so a
 * corrupt one is named; --sample-images N for a quick look), and every problem the
 * reader found. Exit 1 when the dataset cannot be read at all (a malformed
 * label file, a missing root); skipped entries and warnings are listed but
 * leave the exit code at 0.
 */
import { SEED_MAX } from '../../../data/random.js';
import type { DatasetFormat } from '../../../data/readers/index.js';
import { defineCommand } from '../../command.js';
import { EXIT } from '../../exitCodes.js';
import { CLASSES_OPTION, LABELLED_FORMATS, VIEW_OPTION, IMAGES_OPTION, readerOptionsFromFlags } from '../datasetOptions.js';

/** Every reader's format: the labelled ones `train`/`eval` take, and plain unlabelled folders. */
export const INSPECT_FORMATS = [...LABELLED_FORMATS, 'unlabelled'] as const satisfies readonly DatasetFormat[];

export const inspectCommand = defineCommand({
  name: 'inspect',
  summary: 'Check a dataset: counts per class and split, image sizes, problems',
  usage: 'semifer data inspect --dataset FORMAT --root PATH [options]',
  examples: [
    'semifer data inspect --dataset rafdb --root ~/data/RAF-DB',
    'semifer data inspect --dataset fer2013 ~/data/fer2013 --sample-images 0',
    'semifer data inspect --dataset imagefolder --root data/faces --json',
    'semifer data inspect --dataset kdef --root ~/data/KDEF_and_AKDEF --view S,HL,HR',
  ],
  options: [
    { name: 'dataset', short: 'd', type: 'enum', values: INSPECT_FORMATS, placeholder: 'FORMAT', required: true, description: 'Dataset format (its reader)' },
    { name: 'root', type: 'path', placeholder: 'PATH', required: true, positional: true, description: 'Dataset root folder' },
    VIEW_OPTION,
    IMAGES_OPTION,
    CLASSES_OPTION,
    { name: 'sample-images', type: 'int', min: 0, placeholder: 'N', description: 'Open only N images, a seeded sample, for sizes and formats (0 skips the image check); default: decode every image, so none that is corrupt passes unnoticed' },
    { name: 'seed', type: 'int', min: 0, max: SEED_MAX, default: 0, placeholder: 'S', description: 'Seed for choosing the sampled images' },
    { name: 'check-images', type: 'boolean', default: true, description: 'Check that every listed image exists on disk' },
    { name: 'max-problems', type: 'int', min: 0, default: 20, placeholder: 'N', description: 'Problems listed in the text report (--json lists all)' },
  ],
  async run(ctx) {
    const o = ctx.options;
    const { inspectDataset, formatInspectReport } = await import('../../../data/inspect.js');
    let bar: ReturnType<typeof ctx.progress> | undefined;
    const report = await inspectDataset(o.dataset, o.root, {
      sampleImages: o.sampleImages,
      onProgress: (done, total) => (bar ??= ctx.progress({ total, label: 'check images', unit: 'img' })).update(done),
      seed: o.seed,
      readerOptions: { checkImages: o.checkImages, ...readerOptionsFromFlags(o.dataset, o) },
    });
    bar?.done();
    const ok = report.fatal === undefined;
    if (ctx.json) ctx.printJson({ ok, ...report });
    else ctx.print(formatInspectReport(report, { maxProblems: o.maxProblems }));
    if (!ok) {
      ctx.stderr.write(`${ctx.errStyle.red(`semifer: cannot read the dataset: ${report.fatal}`)}\n`);
      return EXIT.FAILURE;
    }
    return EXIT.OK;
  },
});
