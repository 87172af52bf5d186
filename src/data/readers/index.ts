/**
 * Dataset readers, by format name. Each reader parses label files and lists
 * images (it never decodes pixels, except FER2013/FERPlus whose pixels are the
 * label file) and returns a `Dataset`. JAFFE, KDEF/AKDEF and RaFD have no label
 * file: their labels are parsed from the image file names.
 *
 * Bad input — what is fatal and what is skipped (the same in every reader):
 *
 * FATAL (throws `DataError` naming the file, the 1-based line when there is
 * one, and what was expected) — the input cannot be trusted as a whole:
 *   - the dataset root, a required label file/CSV or a required folder is missing;
 *   - a label-file line is malformed: wrong number of columns, a non-numeric
 *     field, a label code out of range, an unknown Usage value, an image name
 *     that does not fit the format (RAF-DB's train_/test_ prefix), an empty line
 *     inside GENKI-4K's labels.txt (line N names image N);
 *   - a CSV header lacks a required column (message lists expected and found);
 *   - FERPlus's two CSVs are not row-aligned (row count or Usage differ);
 *   - a class folder name is not a known class (ImageFolder, SFEW);
 *   - an option has an invalid value (classes not 7/8, peakFrames < 1, a KDEF
 *     view or RaFD camera angle/gaze that does not exist);
 *   - nothing usable at all was found (every entry skipped, or none listed).
 *
 * SKIPPED (a `Problem` with severity 'skipped' in `Dataset.problems`, entry left
 * out, reading goes on) — one entry is bad, the rest is fine:
 *   - the image an entry refers to is not on disk (checkImages, default on);
 *   - a duplicate entry (same sample id): the second one is skipped;
 *   - a FER2013 row whose pixels are not 2304 values 0..255;
 *   - a FERPlus row whose majority is unknown/NF or with no emotion votes;
 *   - an empty face box (AffectNet, ExpW); a CK+ label with no frames;
 *   - an image lying outside any class folder (ImageFolder, SFEW);
 *   - an image whose file name does not fit the dataset's naming scheme (JAFFE,
 *     KDEF, RaFD: the message names the file), or the same picture name twice.
 * Images that exist but do not decode are found later, by `decodeMany`, and are
 * skipped there the same way.
 *
 * WARNING (a `Problem` with severity 'warning', nothing left out):
 *   - a class with zero samples in the train split.
 *
 * Any root folder may hold attributes.csv (src/data/attributes.ts): group
 * attributes per face, attached to the samples after the reader ran.
 *
 * NOT A PROBLEM (counted in `Dataset.notes`): what the protocol itself leaves
 * out or decides — AffectNet codes 8–10 (and 7 for 7 classes), CK+ contempt
 * sequences for 7 classes, FERPlus ties and contempt rows, RAF-DB variant fallbacks,
 * KDEF views and RaFD camera angles/gaze not selected, RaFD contempt for 7 classes,
 * AKDEF averaged faces beside KDEF ones.
 */
import { attachAttributeManifest } from '../attributes.js';
import { DataError, type Dataset } from '../types.js';
import { readAffectnet, type AffectnetOptions } from './affectnet.js';
import { readCkplus, type CkplusOptions } from './ckplus.js';
import { readExpw, type ExpwOptions } from './expw.js';
import { readFer2013, type Fer2013Options } from './fer2013.js';
import { readFerplus, type FerplusOptions } from './ferplus.js';
import { readGenki4k, type Genki4kOptions } from './genki4k.js';
import { readImagefolder, type ImagefolderOptions } from './imagefolder.js';
import { readJaffe } from './jaffe.js';
import { readKdef, type KdefOptions } from './kdef.js';
import { readRafd, type RafdOptions } from './rafd.js';
import { readRafdb, readRafdbCompound, type RafdbOptions } from './rafdb.js';
import { readSfew } from './sfew.js';
import { readUnlabelled, type UnlabelledOptions } from './unlabelled.js';
import { readLabels, type LabelsReaderOptions } from './labels.js';

export { readAffectnet, readCkplus, readExpw, readFer2013, readFerplus, readGenki4k, readImagefolder, readJaffe, readKdef, readRafd, readRafdb, readRafdbCompound, readSfew, readUnlabelled };
export { RAFDB_COMPOUND_CLASSES } from './rafdb.js';
export type { AffectnetOptions, CkplusOptions, ExpwOptions, Fer2013Options, FerplusOptions, Genki4kOptions, ImagefolderOptions, KdefOptions, RafdOptions, RafdbOptions, UnlabelledOptions };
export { GENKI_CLASSES } from './genki4k.js';
export type { BaseReaderOptions, ClassCount } from './options.js';
export { FER2013_TO_CANONICAL, ferRowId } from './fer2013.js';
export { IMAGE_EXTENSIONS } from './files.js';

/** Options of each format's reader. */
export interface ReaderOptionsByFormat {
  rafdb: RafdbOptions;
  'rafdb-compound': RafdbOptions;
  fer2013: Fer2013Options;
  ferplus: FerplusOptions;
  affectnet: AffectnetOptions;
  sfew: Record<string, never>;
  ckplus: CkplusOptions;
  expw: ExpwOptions;
  imagefolder: ImagefolderOptions;
  unlabelled: UnlabelledOptions;
  jaffe: Record<string, never>;
  kdef: KdefOptions;
  rafd: RafdOptions;
  genki4k: Genki4kOptions;
  labels: LabelsReaderOptions;
}

export type DatasetFormat = keyof ReaderOptionsByFormat;

/** Any reader's options (for callers that hold the format as a runtime string, like the CLI). */
export type AnyReaderOptions = {
  [F in DatasetFormat]: ReaderOptionsByFormat[F];
}[DatasetFormat];

export const DATASET_FORMATS: readonly DatasetFormat[] = ['rafdb', 'fer2013', 'ferplus', 'affectnet', 'sfew', 'ckplus', 'expw', 'imagefolder', 'unlabelled', 'jaffe', 'kdef', 'rafd', 'genki4k', 'labels', 'rafdb-compound'];

export function isDatasetFormat(name: string): name is DatasetFormat {
  return (DATASET_FORMATS as readonly string[]).includes(name);
}

const READERS: { [F in DatasetFormat]: (root: string, opts?: ReaderOptionsByFormat[F]) => Promise<Dataset> } = {
  rafdb: readRafdb,
  'rafdb-compound': readRafdbCompound,
  fer2013: readFer2013,
  ferplus: readFerplus,
  affectnet: readAffectnet,
  sfew: (root) => readSfew(root),
  ckplus: readCkplus,
  expw: readExpw,
  imagefolder: readImagefolder,
  unlabelled: readUnlabelled,
  jaffe: (root) => readJaffe(root),
  kdef: readKdef,
  rafd: readRafd,
  genki4k: readGenki4k,
  labels: (root) => readLabels(root),
};

/** Reads a dataset of the given format; an unknown format name is a DataError listing the known ones. */
export function readDataset<F extends DatasetFormat>(format: F, root: string, opts?: ReaderOptionsByFormat[F]): Promise<Dataset>;
export function readDataset(format: string, root: string, opts?: AnyReaderOptions): Promise<Dataset>;
export async function readDataset(format: string, root: string, opts: AnyReaderOptions = {}): Promise<Dataset> {
  if (!isDatasetFormat(format)) throw new DataError(root, undefined, `unknown dataset format '${format}'; known formats: ${DATASET_FORMATS.join(', ')}`);
  const reader = READERS[format] as (root: string, opts?: AnyReaderOptions) => Promise<Dataset>;
  return attachAttributeManifest(await reader(root, opts), root);
}
