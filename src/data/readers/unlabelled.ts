/**
 * A plain folder of face images (searched recursively), all unlabelled
 * (label -1): an extra unlabelled set for semi-supervised training. The class
 * list only says which task the images are meant for.
 */
import { SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { listImages, relativeId, requireRoot } from './files.js';

export interface UnlabelledOptions {
  /** The task's class list (default the seven canonical classes). */
  classes?: string[];
}

export async function readUnlabelled(root: string, opts: UnlabelledOptions = {}): Promise<Dataset> {
  requireRoot(root, 'unlabelled', 'face images (any sub-folders)');
  if (opts.classes !== undefined && !(Array.isArray(opts.classes) && opts.classes.every((c) => typeof c === 'string'))) {
    throw new DataError(root, undefined, `option classes must be a list of class names for unlabelled, got ${JSON.stringify(opts.classes)}`);
  }
  const b = new DatasetBuilder('unlabelled', root, [...(opts.classes ?? SEVEN_CLASSES)]);
  for (const path of listImages(root, true)) b.add('train', { id: relativeId(root, path), source: { kind: 'file', path }, label: -1 }, { file: path });
  return b.finish({ labelled: false, expected: 'image files (.jpg, .png, …)' });
}
