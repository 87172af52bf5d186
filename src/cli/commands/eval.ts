/**
 * `semifer eval`: accuracy, mean class accuracy, macro-F1, per-class
 * precision/recall, confusion matrix and calibration of a trained model on any
 * dataset in any supported format (cross-dataset testing: train on RAF-DB,
 * test on CK+). Classes are matched by name; dataset classes the model does not
 * know are skipped and counted. When the dataset's faces carry attributes
 * (RAF-DB's gender/race/age, an attributes.csv), the numbers are also broken
 * down per group of each attribute, with the best–worst gap. An action-unit
 * model (train --task au) gets per-AU precision, recall and F1 and their mean
 * instead (evalActionUnits.ts).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { CliError, UsageError } from '../errors.js';
import { CLASSES_OPTION, LABELLED_FORMATS, VIEW_OPTION, IMAGES_OPTION, readerOptionsFromFlags } from './datasetOptions.js';

export const evalCommand = defineCommand({
  name: 'eval',
  summary: 'Evaluate a trained model on a dataset split (any format; cross-dataset)',
  usage: 'semifer eval (--run RUNDIR | --weights FILE) [--dataset FORMAT --root PATH] [--split test] [--attributes FILE] [--json]',
  examples: [
    'semifer eval --run runs/adacm',
    'semifer eval --run runs/adacm --dataset ckplus --root data/CK+ --split train',
    'semifer eval --weights runs/adacm/model.safetensors --dataset imagefolder --root data/faces --json',
  ],
  options: [
    { name: 'run', type: 'path', exclusive: 'source', placeholder: 'RUNDIR', description: 'A run folder (uses its model.safetensors and, by default, its dataset)' },
    { name: 'weights', type: 'path', exclusive: 'source', placeholder: 'FILE', description: 'A semifer model file (model.safetensors)' },
    { name: 'dataset', type: 'enum', values: [...LABELLED_FORMATS], placeholder: 'FORMAT', description: 'Dataset format (default: the run\'s)' },
    { name: 'root', type: 'path', placeholder: 'PATH', description: 'Dataset folder (default: the run\'s)' },
    VIEW_OPTION,
    IMAGES_OPTION,
    CLASSES_OPTION,
    { name: 'split', type: 'string', default: 'test', placeholder: 'NAME', description: 'Split to evaluate: test, val or train' },
    { name: 'cache-dir', type: 'path', default: '.cache/semifer', placeholder: 'DIR', description: 'Decoded-image cache' },
    { name: 'attributes', type: 'path', placeholder: 'FILE', description: "Group attributes per face ('id,<attribute>,…' as the root's attributes.csv, docs/datasets.md), for faces whose dataset folder has none" },
  ],
  async run(ctx) {
    const o = ctx.options;
    if (!o.run && !o.weights) throw new UsageError('give --run RUNDIR or --weights FILE');
    const weights = o.weights ?? join(o.run!, 'model.safetensors');
    if (!existsSync(weights)) throw new CliError(`${weights}: no model file (train first, or give --weights)`);
    let dataset: string | undefined = o.dataset;
    let root = o.root;
    let readerOptions: Record<string, unknown> = {};
    // The run's own dataset and test split: score the images training scored (fold, holdout or official test split).
    let runTest: { seed: number; cacheDir: string; readerOptions?: Record<string, unknown>; fold?: { k: number; folds: number } | null } | undefined;
    if (o.run && (!dataset || !root)) {
      const { readRunFiles } = await import('../../report/index.js');
      const { config } = readRunFiles(o.run);
      dataset ??= config.dataset;
      root ??= config.root;
      if (config.dataset === dataset) readerOptions = config.readerOptions ?? {};
      // Dataset flags (--view, --classes) select other images than the run's: score those instead.
      const flagged = Object.keys(readerOptionsFromFlags(dataset, o)).length > 0;
      if (config.dataset === dataset && config.root === root && o.split === 'test' && !flagged) runTest = { ...config, cacheDir: o.cacheDir, readerOptions };
    }
    if (!dataset || !root) throw new UsageError('give --dataset and --root (or --run of a run that has them)');
    readerOptions = { ...readerOptions, ...readerOptionsFromFlags(dataset, o) };
    const { readDataset } = await import('../../data/index.js');
    const { modelFileTask } = await import('../../models/modelFile.js');
    if (modelFileTask(weights) === 'au') {
      const { evalActionUnitModel } = await import('./evalActionUnits.js');
      return evalActionUnitModel(ctx, { weights, dataset, root, split: o.split, readerOptions, cacheDir: o.cacheDir, runTest });
    }
    const { scoreModelFile } = await import('../../eval/scoreModelFile.js');
    const { argmaxRows, formatMetricsTable } = await import('../../eval/metrics.js');
    const { evaluateByGroup, formatGroupTables } = await import('../../eval/groups.js');
    const { attachAttributes, attributesOfIds, readAttributeTable } = await import('../../data/attributes.js');
    const ds = await readDataset(dataset, root, readerOptions);
    if (o.attributes) attachAttributes(ds, await readAttributeTable(o.attributes), o.attributes);
    const bar = ctx.progress({ label: `decode ${dataset}/${o.split}`, unit: 'img' });
    const score = await scoreModelFile(weights, ds, runTest ? { runTest } : { split: o.split, cacheDir: o.cacheDir, readerOptions }, {
      onDecodeProgress: (d, t) => bar.update(d, { total: t }),
      onPredict: () => bar.done(),
    }).finally(() => bar.done());
    const { meta, result, skippedUnknownClass, skippedUnreadable } = score;
    const C = meta.classes.length;
    const groups = evaluateByGroup(argmaxRows(score.probs, C), score.images.labels, C, attributesOfIds(ds, score.images.ids), ds.attributeNames ?? []);
    const notes = { images: score.images.count, skippedUnknownClass, skippedUnreadable };
    if (ctx.json) ctx.printJson({ ok: true, weights, dataset, root, split: o.split, classes: meta.classes, ...notes, ...result, groups });
    else {
      ctx.print(`${weights} on ${dataset} ${o.split} (${notes.images} images${skippedUnknownClass ? `; ${skippedUnknownClass} of classes the model does not know skipped` : ''}${skippedUnreadable ? `; ${skippedUnreadable} unreadable skipped` : ''})`);
      ctx.print(formatMetricsTable(result, meta.classes));
      if (groups.length > 0) ctx.print(formatGroupTables(groups));
    }
    return EXIT.OK;
  },
});
