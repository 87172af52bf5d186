/**
 * A small RFC 4180 CSV reader: comma-separated, fields optionally quoted with
 * '"', a doubled '""' inside quotes is one quote, and a quoted field may span
 * lines (the record keeps the number of the line it starts on). AffectNet's
 * `facial_landmarks` column is a quoted ';'-separated list, so a naive split on
 * ',' is not enough. Streaming and linear in the file size.
 */
import { DataError } from '../types.js';
import { readTextLineBatches } from './textLines.js';

export interface CsvRecord {
  fields: string[];
  /** 1-based line number where the record starts. */
  line: number;
}

/**
 * Parses one CSV line. Returns `undefined` when the line ends inside a quoted
 * field (the caller then appends the next line and tries again).
 */
export function parseCsvLine(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text.charCodeAt(i) === 34 /* " */) {
      // Quoted field: collect up to the closing quote, unescaping "".
      let value = '';
      let start = i + 1;
      i = start;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined; // unterminated: continues on the next line
        if (text.charCodeAt(q + 1) === 34) {
          value += text.slice(start, q + 1);
          i = q + 2;
          start = i;
          continue;
        }
        value += text.slice(start, q);
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the next comma is kept verbatim (lenient).
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      value += text.slice(i, end);
      fields.push(value);
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

/**
 * Streams the records of a CSV file (header included, as the first record), in
 * batches (one per chunk read; consuming batches avoids a per-record await).
 * Blank lines are skipped.
 */
export async function* readCsvRecordBatches(file: string): AsyncGenerator<CsvRecord[]> {
  let pending: string | undefined;
  let pendingLine = 0;
  for await (const lines of readTextLineBatches(file)) {
    const batch: CsvRecord[] = [];
    for (const { text, line } of lines) {
      const joined = pending === undefined ? text : `${pending}\n${text}`;
      const startLine = pending === undefined ? line : pendingLine;
      const fields = parseCsvLine(joined);
      if (fields === undefined) {
        pending = joined;
        pendingLine = startLine;
        continue;
      }
      pending = undefined;
      if (fields.length === 1 && joined.trim() === '') continue;
      batch.push({ fields, line: startLine });
    }
    if (batch.length > 0) yield batch;
  }
  if (pending !== undefined) throw new DataError(file, pendingLine, 'a quoted field is never closed (missing \'"\')');
}

/** The records of a CSV file one by one (see readCsvRecordBatches). */
export async function* readCsvRecords(file: string): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvRecordBatches(file)) yield* batch;
}

/**
 * Finds the required columns in a header record, by name (trimmed, case-insensitive),
 * so column order and extra columns do not matter. Throws a DataError naming the
 * columns expected and found when one is missing.
 */
export function locateColumns<K extends string>(file: string, header: CsvRecord, required: readonly K[]): Record<K, number> {
  const found = header.fields.map((f) => f.trim());
  const lower = found.map((f) => f.toLowerCase());
  const missing = required.filter((name) => !lower.includes(name.toLowerCase()));
  if (missing.length > 0) {
    throw new DataError(
      file,
      header.line,
      `wrong CSV header: expected columns ${required.join(',')}; found ${found.join(',') || '(empty line)'} (missing ${missing.join(', ')})`,
    );
  }
  const out = {} as Record<K, number>;
  for (const name of required) out[name] = lower.indexOf(name.toLowerCase());
  return out;
}

/** Throws a DataError when a data record has a different number of columns than the header. */
export function expectColumnCount(file: string, record: CsvRecord, expected: number): void {
  if (record.fields.length !== expected) {
    throw new DataError(file, record.line, `expected ${expected} comma-separated columns, found ${record.fields.length}`);
  }
}
