/**
 * The validation images of a run: what selects checkpoint-best, so that the
 * test split is read once, at the end.
 *
 *  - A dataset with both a validation and a test split (FER2013's PublicTest /
 *    PrivateTest, an image folder with val/ and test/): its validation split.
 *  - Otherwise held out of the training split, `perClass` images per class:
 *    by default from the images left outside the labelled budget, so the run
 *    trains on exactly the budget's labelled images (as the semi-supervised FER
 *    papers' protocols, which select on the test set instead) and the validation
 *    images are used neither as labelled nor as unlabelled data;
 *    with `inBudget`, out of the labelled images themselves (the budget counts
 *    them, Oliver et al. 2018's "realistic" reading). The second is also what
 *    happens when every training image is labelled (`--labels all`).
 *    Out of the labelled images, a class always keeps at least one labelled
 *    training image: it gives min(perClass, labelled − 1), so at 1 label per
 *    class it gives none and that class has no validation images.
 * Members of each class are sorted by id, then shuffled with the run's seed, as
 * the labelled split (splits.ts), so the choice depends only on ids, labels and seed.
 */
import { rngFor } from './random.js';
import { SplitError, type LabelSplit } from './splits.js';
import type { Dataset, Sample } from './types.js';

export interface ValidationRequest {
  /** Images per class held out of the training split (0: no validation). */
  perClass: number;
  /** Take them out of the labelled budget instead of the images outside it. */
  inBudget: boolean;
}

/** The dataset's own validation split, when it has a test split too and the two share no image (SFEW's val doubles as its test). */
export function datasetValidationSplit(ds: Dataset): string | null {
  const val = ds.splits.val;
  const test = ds.splits.test;
  if (!val?.length || !test?.length) return null;
  const testIds = new Set(test.map((s) => s.id));
  return val.some((s) => testIds.has(s.id)) ? null : 'val';
}

/**
 * `split` with `perClass` images per class moved into `split.validation`
 * (validationSource 'held-out'), from the unlabelled part or, with `inBudget`
 * or when nothing is left outside the labelled set, from the labelled part.
 * `validationShort` lists the classes that got fewer than asked.
 */
export function holdOutValidation(samples: readonly Sample[], classes: readonly string[], split: LabelSplit, req: ValidationRequest, seed: number): LabelSplit {
  if (!Number.isInteger(req.perClass) || req.perClass < 0) throw new SplitError(`validation images per class must be a non-negative integer, got ${req.perClass}`);
  const byId = new Map(samples.map((s) => [s.id, s] as const));
  const rest = split.unlabelled.filter((id) => (byId.get(id)?.label ?? -1) >= 0);
  const fromLabelled = req.inBudget || rest.length === 0;
  const pool = fromLabelled ? split.labelled : rest;
  const groups: string[][] = classes.map(() => []);
  for (const id of pool) {
    const label = byId.get(id)?.label ?? -1;
    if (label >= 0 && label < classes.length) groups[label]!.push(id);
  }
  const rng = rngFor(seed, 'validation-split');
  const chosen = new Set<string>();
  const short: { class: string; got: number }[] = [];
  groups.forEach((g, c) => {
    const available = fromLabelled ? Math.max(0, g.length - 1) : g.length;
    const take = Math.min(req.perClass, available);
    rng.shuffle(g.sort()).slice(0, take).forEach((id) => chosen.add(id));
    if (take < req.perClass) short.push({ class: classes[c]!, got: take });
  });
  const keep = (ids: string[]) => ids.filter((id) => !chosen.has(id));
  return {
    ...split,
    labelled: fromLabelled ? keep(split.labelled) : split.labelled,
    unlabelled: fromLabelled ? split.unlabelled : keep(split.unlabelled),
    validation: samples.filter((s) => chosen.has(s.id)).map((s) => s.id),
    validationSource: fromLabelled ? 'held-out-labelled' : 'held-out-unlabelled',
    ...(short.length ? { validationShort: short } : {}),
  };
}
