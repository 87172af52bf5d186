/**
 * The attribute manifest: a CSV beside any dataset that gives each face group
 * attributes (skin tone, age group, glasses, …) for per-group evaluation.
 *
 *     id,skin_tone,age,glasses
 *     train/happy/train_00001.png,light,young,none
 *     train/sad/train_00002.png,dark,older,
 *
 * `id` is the sample id the dataset's reader gives the face (for an image
 * folder: the path relative to the root, '/'-separated; for RAF-DB the list's
 * image name); every other column is one attribute, its values group names.
 * An empty cell means unknown for that face (it is left out of that
 * attribute's groups). `readDataset` attaches `<root>/attributes.csv` when the
 * root holds one; the synthetic generator writes one with what it drew.
 */
import { join } from 'node:path';
import { locateColumns, readCsvRecords } from './readers/csv.js';
import { isDirectory, isFile, requireFile } from './readers/files.js';
import { DataError, type Dataset } from './types.js';

/** The manifest's file name inside a dataset root. */
export const ATTRIBUTES_FILE = 'attributes.csv';

export interface AttributeTable {
  /** Attribute names, in column order. */
  names: string[];
  /** Sample id → its attribute values (unknown ones left out). */
  byId: Map<string, Record<string, string>>;
}

/** Parses an attribute manifest; a malformed one is a DataError naming the line. */
export async function readAttributeTable(file: string): Promise<AttributeTable> {
  requireFile(file, "an attribute manifest: a CSV with a header 'id,<attribute>,…'");
  let header: string[] | undefined;
  let idCol = 0;
  const byId = new Map<string, Record<string, string>>();
  const firstLine = new Map<string, number>();
  for await (const record of readCsvRecords(file)) {
    if (!header) {
      idCol = locateColumns(file, record, ['id'] as const).id;
      header = record.fields.map((f) => f.trim());
      if (header.length < 2) throw new DataError(file, record.line, "expected a header 'id,<attribute>,…' with at least one attribute column");
      const blank = header.findIndex((h) => h === '');
      if (blank >= 0) throw new DataError(file, record.line, `column ${blank + 1} of the header has no name`);
      if (new Set(header).size !== header.length) throw new DataError(file, record.line, 'a column is named twice in the header');
      continue;
    }
    if (record.fields.length !== header.length) {
      throw new DataError(file, record.line, `expected ${header.length} comma-separated columns (${header.join(',')}), found ${record.fields.length}`);
    }
    const id = record.fields[idCol]!.trim();
    if (id === '') throw new DataError(file, record.line, 'the id column is empty');
    const before = firstLine.get(id);
    if (before !== undefined) throw new DataError(file, record.line, `id '${id}' is listed twice (first at line ${before})`);
    firstLine.set(id, record.line);
    const values: Record<string, string> = {};
    header.forEach((name, c) => {
      const v = record.fields[c]!.trim();
      if (c !== idCol && v !== '') values[name] = v;
    });
    byId.set(id, values);
  }
  if (!header) throw new DataError(file, 1, "empty file; expected a header 'id,<attribute>,…'");
  return { names: header.filter((_, c) => c !== idCol), byId };
}

/**
 * Merges a table's attributes into the dataset's samples (the table's values win
 * over a reader's own for the same name). Ids the dataset does not have are
 * counted in the notes, not fatal: a manifest may describe more faces than a
 * reader kept.
 */
export function attachAttributes(dataset: Dataset, table: AttributeTable, file: string): Dataset {
  const used = new Set<string>();
  for (const samples of Object.values(dataset.splits)) {
    for (const s of samples) {
      const values = table.byId.get(s.id);
      if (!values) continue;
      used.add(s.id);
      s.attributes = { ...s.attributes, ...values };
    }
  }
  const names = [...(dataset.attributeNames ?? [])];
  for (const n of table.names) if (!names.includes(n)) names.push(n);
  dataset.attributeNames = names;
  // Not a source file: attributes never change decoded pixels, so the image cache need not know of them.
  const unused = table.byId.size - used.size;
  if (unused > 0) {
    dataset.notes ??= {};
    const reason = `${ATTRIBUTES_FILE}: rows for faces the dataset does not list, ignored`;
    dataset.notes[reason] = (dataset.notes[reason] ?? 0) + unused;
  }
  return dataset;
}

/** Attaches `<root>/attributes.csv` when the root is a folder that holds one. */
export async function attachAttributeManifest(dataset: Dataset, root: string): Promise<Dataset> {
  if (!isDirectory(root)) return dataset;
  const file = join(root, ATTRIBUTES_FILE);
  if (!isFile(file)) return dataset;
  return attachAttributes(dataset, await readAttributeTable(file), file);
}

/** Each id's attributes (undefined where the face has none), for ids of decoded images in their order. */
export function attributesOfIds(dataset: Dataset, ids: readonly string[]): (Record<string, string> | undefined)[] {
  const byId = new Map<string, Record<string, string>>();
  for (const samples of Object.values(dataset.splits)) for (const s of samples) if (s.attributes) byId.set(s.id, s.attributes);
  return ids.map((id) => byId.get(id));
}

/**
 * Group order everywhere: values that start with a number (age ranges '4-19',
 * '70+', codes) by that number ('4-19' before '20-39'), the rest as text.
 */
export function compareGroupNames(a: string, b: string): number {
  const x = Number.parseFloat(a);
  const y = Number.parseFloat(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
