/**
 * Shared by the readers whose labels live in file names (JAFFE, KDEF/AKDEF,
 * RaFD): every image under the root, recursively, in a stable order; a name
 * that does not fit the dataset's pattern is reported and skipped; the same
 * picture name twice (a copy in another folder, a .tif beside a .tiff) is one
 * picture, so the second is a duplicate and skipped.
 */
import { basename, extname } from 'node:path';
import type { DatasetBuilder } from './builder.js';
import { listImages, relativeId } from './files.js';

export interface NamedImage {
  /** Absolute path. */
  path: string;
  /** File name with extension ('KA.AN1.39.tiff'). */
  name: string;
  /** File name without its extension ('KA.AN1.39'): what the labels are parsed from. */
  stem: string;
  /** Sample id: the path relative to the root, '/'-separated. */
  id: string;
}

/** Every image file under `root` (non-image files and dot files are ignored). */
export function listNamedImages(root: string): NamedImage[] {
  return listImages(root, true).map((path) => {
    const name = basename(path);
    return { path, name, stem: name.slice(0, name.length - extname(name).length), id: relativeId(root, path) };
  });
}

/**
 * Adds each picture once to the 'train' split (the lab datasets have no
 * official split; subject folds are made later from `subject`).
 */
export class PictureSet {
  /** Upper-cased stem → first path: names differ only by case across distributions. */
  private readonly firstPath = new Map<string, string>();

  constructor(private readonly b: DatasetBuilder) {}

  /** A name that does not fit the pattern: reported with the file name, left out. */
  malformed(img: NamedImage, why: string): void {
    this.b.skip(img.path, undefined, `file name '${img.name}' ${why}; skipped`);
  }

  add(img: NamedImage, label: number, subject: string): void {
    const key = img.stem.toUpperCase();
    const first = this.firstPath.get(key);
    if (first !== undefined) {
      this.b.skip(img.path, undefined, `duplicate picture '${img.stem}' (first seen at ${first}); this one skipped`);
      return;
    }
    this.firstPath.set(key, img.path);
    this.b.add('train', { id: img.id, source: { kind: 'file', path: img.path }, label, subject }, { file: img.path });
  }
}
