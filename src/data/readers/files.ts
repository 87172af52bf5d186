/**
 * File-system helpers shared by the readers: required paths with clear errors,
 * image listing, case-insensitive child lookup and stable sample ids.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { DataError } from '../types.js';

/** Image file extensions the readers list (lower-case, with the dot). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff', '.gif'];

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).toLowerCase()) && !isHiddenName(name);
}

/** Dot files and macOS AppleDouble '._x.jpg' companions are never images. */
function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Fatal when the dataset root is missing or not a folder. */
export function requireRoot(root: string, format: string, expected: string): void {
  if (!isDirectory(root)) {
    throw new DataError(root, undefined, `${format} dataset root not found or not a folder; expected a folder containing ${expected}`);
  }
}

/** Fatal when a required file (label list, CSV) is missing. */
export function requireFile(path: string, expected: string): void {
  if (!isFile(path)) throw new DataError(path, undefined, `file not found; expected ${expected}`);
}

/** Fatal when a required folder is missing. */
export function requireDirectory(path: string, expected: string): void {
  if (!isDirectory(path)) throw new DataError(path, undefined, `folder not found; expected ${expected}`);
}

/** Names of the sub-folders of `dir`, sorted, hidden ones left out. */
export function childDirectories(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !isHiddenName(e.name) && (e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(dir, e.name)))))
    .map((e) => e.name)
    .sort();
}

/** The child folder of `dir` whose name matches one of `names` case-insensitively, or undefined. */
export function findChildDirectory(dir: string, names: readonly string[]): string | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  for (const name of childDirectories(dir)) {
    if (wanted.includes(name.toLowerCase())) return join(dir, name);
  }
  return undefined;
}

/** Image files under `dir` (recursively when asked), as absolute paths, sorted for a stable order. */
export function listImages(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (isHiddenName(e.name)) continue;
      const p = join(d, e.name);
      const dirLike = e.isDirectory() || (e.isSymbolicLink() && isDirectory(p));
      if (dirLike) {
        if (recursive) walk(p);
      } else if (isImageFile(e.name)) {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

/** Files directly inside `dir` that are images (not recursive). */
export function imagesDirectlyIn(dir: string): string[] {
  return listImages(dir, false);
}

/** A sample id from a path: relative to the dataset root, with '/' separators on every OS. */
export function relativeId(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
