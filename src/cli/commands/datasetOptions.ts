/**
 * Command-line flags that select part of a dataset, shared by `semifer train`
 * (and demo) and `semifer data inspect`, and how they become reader options.
 * Kept apart from the readers so `--help` loads none of them.
 */
import { UsageError } from '../errors.js';
import { option } from '../options/spec.js';
import type { DatasetFormat } from '../../data/readers/index.js';

/**
 * Formats with labels, as `--dataset` takes them. Spelled here rather than read from
 * the readers' registry so `--help` loads no reader (a type-only import costs
 * nothing); `satisfies` rejects an unknown name and test/data/readers.test.ts
 * checks that, with 'unlabelled', this is the whole registry.
 */
export const LABELLED_FORMATS = ['rafdb', 'fer2013', 'ferplus', 'affectnet', 'sfew', 'ckplus', 'expw', 'imagefolder', 'jaffe', 'kdef', 'rafd', 'genki4k', 'labels', 'rafdb-compound'] as const satisfies readonly DatasetFormat[];

/** KDEF views or RaFD camera angles, comma-separated. */
export const VIEW_OPTION = option({
  name: 'view', type: 'string', placeholder: 'VIEWS',
  description: "kdef: views S (frontal, default), HL, HR, FL, FR; rafd: camera angles 000, 045, 090 (frontal, default), 135, 180; comma-separated, or 'all'",
});

/** Which images of a dataset that ships landmarks: aligned ones or the originals. */
export const IMAGES_OPTION = option({
  name: 'images', type: 'enum', values: ['aligned', 'original'], placeholder: 'WHICH',
  description: "rafdb, rafdb-compound: the dataset's 100×100 aligned crops (default) or the original photos, aligned from the manual landmarks like predict aligns a face; ckplus: whole frames (original, default) or frames aligned from Landmarks/ the same way",
});

/** ImageFolder's class list, for folders that are not named after expressions. */
export const CLASSES_OPTION = option({
  name: 'classes', type: 'string', placeholder: 'NAMES',
  description: "imagefolder: the class folders in label order, comma-separated, any names (e.g. no,yes); default: the expression classes",
});

/**
 * Reader options for `format` from the dataset flags; empty when no flag was
 * given (so existing runs keep the same cache keys). A flag the format does not
 * take is a usage error rather than silently ignored.
 */
export function readerOptionsFromFlags(format: string, flags: { view?: string; classes?: string; images?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (flags.images !== undefined) {
    if (format !== 'rafdb' && format !== 'rafdb-compound' && format !== 'ckplus') throw new UsageError(`--images applies to --dataset rafdb, rafdb-compound and ckplus, not ${format}`);
    out.variant = flags.images;
  }
  if (flags.view !== undefined) {
    if (format === 'kdef') out.views = flags.view;
    else if (format === 'rafd') out.angles = flags.view;
    else throw new UsageError(`--view applies to --dataset kdef (views) and rafd (camera angles), not ${format}`);
  }
  if (flags.classes !== undefined) {
    if (format !== 'imagefolder') throw new UsageError(`--classes applies to --dataset imagefolder, not ${format}`);
    const names = flags.classes.split(',').map((c) => c.trim());
    if (names.some((c) => c === '')) throw new UsageError(`--classes: expected class names separated by commas, got '${flags.classes}'`);
    if (new Set(names.map((c) => c.toLowerCase())).size !== names.length) throw new UsageError(`--classes: a class is named twice in '${flags.classes}'`);
    if (names.length < 2) throw new UsageError(`--classes: a classifier needs at least 2 classes, got '${flags.classes}'`);
    out.classes = names;
  }
  return out;
}
