/**
 * SFEW 2.0: Train/ and Val/ folders with Angry, Disgust, Fear, Happy, Neutral,
 * Sad, Surprise sub-folders. The official Test/ set is unlabelled, so by the
 * usual protocol Val is also the test split ('test' is the same sample list as
 * 'val'). A Test/ folder with class sub-folders (a labelled copy) is used as the
 * test split instead; a Test/ folder of loose images is ignored (counted in notes).
 */
import { join } from 'node:path';
import { SEVEN_CLASSES } from '../classes.js';
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { resolveClassFolders } from './classFolders.js';
import { childDirectories, findChildDirectory, requireRoot } from './files.js';
import { addClassFolderImages } from './imagefolder.js';

export async function readSfew(root: string): Promise<Dataset> {
  requireRoot(root, 'SFEW', 'Train/ and Val/ folders with Angry, Disgust, Fear, Happy, Neutral, Sad, Surprise sub-folders');
  const train = findChildDirectory(root, ['Train']);
  const val = findChildDirectory(root, ['Val', 'Valid', 'Validation']);
  if (!train) throw new DataError(join(root, 'Train'), undefined, 'folder not found; expected SFEW\'s Train/ with one sub-folder per expression');
  if (!val) throw new DataError(join(root, 'Val'), undefined, 'folder not found; expected SFEW\'s Val/ with one sub-folder per expression');
  const splitDirs = [
    { split: 'train', dir: train },
    { split: 'val', dir: val },
  ];
  const test = findChildDirectory(root, ['Test']);
  const labelledTest = test !== undefined && childDirectories(test).length > 0;
  if (labelledTest) splitDirs.push({ split: 'test', dir: test });
  // SFEW is a seven-class set; the explicit list keeps a stray 'Contempt' folder an error.
  const resolved = resolveClassFolders(splitDirs, SEVEN_CLASSES);
  const b = new DatasetBuilder('sfew', root, [...SEVEN_CLASSES]);
  addClassFolderImages(b, root, splitDirs, resolved);
  if (!labelledTest) {
    if (test !== undefined) b.note('sfew: Test/ has no class folders (unlabelled official test set), ignored');
    b.alias('test', 'val');
  }
  return b.finish({ expected: 'images in Train/<expression>/' });
}
