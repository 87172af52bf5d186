/**
 * ImageFolder: root/<class>/*.{jpg,jpeg,png,webp,bmp,tif,tiff,gif} (class folders
 * may hold sub-folders). When root has a train/ folder, its split folders are
 * used: train/, test/, and val/ (also 'valid', 'validation'); otherwise every
 * class folder under root is the train split.
 */
import { DataError, type Dataset } from '../types.js';
import { DatasetBuilder } from './builder.js';
import { resolveClassFolders, type ClassFolders } from './classFolders.js';
import { findChildDirectory, imagesDirectlyIn, listImages, relativeId, requireRoot } from './files.js';

export interface ImagefolderOptions {
  /** Explicit class list in label order (any names); default: canonical expression classes. */
  classes?: string[];
}

const SPLIT_FOLDERS: { split: string; names: string[] }[] = [
  { split: 'train', names: ['train', 'training'] },
  { split: 'val', names: ['val', 'valid', 'validation'] },
  { split: 'test', names: ['test', 'testing'] },
];

export async function readImagefolder(root: string, opts: ImagefolderOptions = {}): Promise<Dataset> {
  requireRoot(root, 'ImageFolder', 'one sub-folder per class (or train/ and test/ folders of class sub-folders)');
  if (opts.classes !== undefined && !(Array.isArray(opts.classes) && opts.classes.every((c) => typeof c === 'string'))) {
    throw new DataError(root, undefined, `option classes must be a list of class names for imagefolder, got ${JSON.stringify(opts.classes)}`);
  }
  const hasSplits = findChildDirectory(root, ['train', 'training']) !== undefined;
  const splitDirs = hasSplits
    ? SPLIT_FOLDERS.flatMap(({ split, names }) => {
        const dir = findChildDirectory(root, names);
        return dir ? [{ split, dir }] : [];
      })
    : [{ split: 'train', dir: root }];
  const resolved = resolveClassFolders(splitDirs, opts.classes);
  const b = new DatasetBuilder('imagefolder', root, resolved.classes);
  addClassFolderImages(b, root, splitDirs, resolved);
  return b.finish({ expected: 'image files inside class folders' });
}

/** Adds every image of every class folder; images lying outside a class folder are skipped and counted. */
export function addClassFolderImages(b: DatasetBuilder, root: string, splitDirs: { split: string; dir: string }[], resolved: ClassFolders): void {
  for (const { dir } of splitDirs) {
    for (const stray of imagesDirectlyIn(dir)) b.skip(stray, undefined, 'image is not inside a class folder; skipped');
  }
  for (const folder of resolved.folders) {
    for (const path of listImages(folder.dir, true)) {
      b.add(folder.split, { id: relativeId(root, path), source: { kind: 'file', path }, label: folder.label }, { file: path });
    }
  }
}
