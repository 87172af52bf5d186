/**
 * Label codes and file names of the real layouts the synthetic datasets
 * imitate (docs/methods.md §5). Canonical class order: neutral, happy, sad,
 * surprise, fear, disgust, anger.
 */
import { SEVEN_CLASSES } from '../classes.js';

export type SynthFormat = 'rafdb' | 'fer2013' | 'imagefolder';

/** RAF-DB codes by canonical index: 1 Surprise, 2 Fear, 3 Disgust, 4 Happiness, 5 Sadness, 6 Anger, 7 Neutral. */
export const RAFDB_CODE: readonly number[] = [7, 4, 5, 1, 2, 3, 6];
/** FER2013 codes by canonical index: 0 angry, 1 disgust, 2 fear, 3 happy, 4 sad, 5 surprise, 6 neutral. */
export const FER2013_CODE: readonly number[] = [6, 3, 4, 5, 2, 1, 0];

/** RAF-DB basic train counts by canonical class (neutral 2524, happy 4772, …), for `classBalance: 'rafdb'`. */
export const RAFDB_TRAIN_COUNTS: readonly number[] = [2524, 4772, 1982, 1290, 281, 717, 705];

export const CLASS_NAMES: readonly string[] = SEVEN_CLASSES;

/** The file whose presence marks a finished dataset (written last, atomically). */
export function labelFileOf(format: SynthFormat): string {
  switch (format) {
    case 'rafdb': return 'EmoLabel/list_patition_label.txt';
    case 'fer2013': return 'fer2013.csv';
    // ImageFolder has no label file: the train/ folder is renamed into place last.
    case 'imagefolder': return 'train';
  }
}

/** RAF-DB numbers train images with 5 digits and test images with 4 (wider only when needed). */
export function rafdbName(split: 'train' | 'test', index: number): string {
  return `${split}_${String(index + 1).padStart(split === 'train' ? 5 : 4, '0')}`;
}

/** Default image size: 100 like RAF-DB's aligned crops; FER2013 is always 48. */
export function defaultSize(format: SynthFormat): number {
  return format === 'fer2013' ? 48 : 100;
}
