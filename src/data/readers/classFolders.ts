/**
 * Class-per-folder layouts (ImageFolder, SFEW): maps folder names to class
 * labels. Without an explicit class list, names must be expression classes
 * (case-insensitive synonyms, 'Angry' → anger) and the class list is the seven
 * canonical classes, or eight when a contempt folder exists. An unknown folder
 * name is fatal: silently dropping a class would train a different task.
 */
import { join } from 'node:path';
import { acceptedClassNames, canonicalClassName, CANONICAL_CLASSES, EIGHT_CLASSES, SEVEN_CLASSES } from '../classes.js';
import { DataError } from '../types.js';
import { childDirectories } from './files.js';

export interface ClassFolder {
  split: string;
  /** Absolute path of the class folder. */
  dir: string;
  label: number;
}

export interface ClassFolders {
  classes: string[];
  folders: ClassFolder[];
}

/**
 * Resolves the class sub-folders of each split folder. `explicit` is an
 * arbitrary class list (label = its index); a folder matches an entry by name
 * (case-insensitive) or, when the entry is a canonical class, by synonym.
 */
export function resolveClassFolders(splitDirs: { split: string; dir: string }[], explicit?: readonly string[]): ClassFolders {
  const found: { split: string; dir: string; name: string }[] = [];
  for (const { split, dir } of splitDirs) for (const name of childDirectories(dir)) found.push({ split, dir: join(dir, name), name });

  if (explicit) {
    if (explicit.length === 0) throw new DataError(splitDirs[0]?.dir ?? '', undefined, 'option classes is an empty list');
    const lower = explicit.map((c) => c.trim().toLowerCase());
    const folders = found.map((f) => {
      let label = lower.indexOf(f.name.toLowerCase());
      if (label < 0) {
        const canonical = canonicalClassName(f.name);
        if (canonical) label = lower.indexOf(canonical);
      }
      if (label < 0) throw new DataError(f.dir, undefined, `class folder '${f.name}' is not in the given class list; accepted: ${explicit.join(', ')}`);
      return { split: f.split, dir: f.dir, label };
    });
    return { classes: [...explicit], folders };
  }

  const folders = found.map((f) => {
    const canonical = canonicalClassName(f.name);
    if (!canonical) {
      throw new DataError(
        f.dir,
        undefined,
        `class folder '${f.name}' is not an expression class name; accepted (case-insensitive): ${acceptedClassNames().join(', ')} — or pass an explicit class list (--classes on the command line)`,
      );
    }
    return { split: f.split, dir: f.dir, label: CANONICAL_CLASSES.indexOf(canonical) };
  });
  const hasContempt = folders.some((f) => f.label === CANONICAL_CLASSES.indexOf('contempt'));
  return { classes: [...(hasContempt ? EIGHT_CLASSES : SEVEN_CLASSES)], folders };
}
