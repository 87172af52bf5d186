/**
 * Reading metrics.jsonl. A run that was killed mid-write leaves a truncated last
 * line, and hand-edited or older files may carry odd rows: such lines are
 * skipped and listed with their line numbers, never fatal. Optional fields of
 * the wrong type are dropped; a row without its required fields is skipped.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { EpochRow, MetricsRow, ModelScores, SkippedLine, StepRow, WarningRow } from './types.js';

export interface MetricsFile {
  rows: MetricsRow[];
  skipped: SkippedLine[];
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function numArray(v: unknown): number[] | undefined {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) return undefined;
  return v as number[];
}

/** Copies the optional numeric fields that are present and valid. */
function pickNumbers<T extends object>(target: T, src: Obj, keys: readonly string[]): void {
  for (const k of keys) {
    const v = num(src[k]);
    if (v !== undefined) (target as Obj)[k] = v;
  }
}

function scores(v: unknown): ModelScores | undefined {
  if (!isObj(v) || num(v.accuracy) === undefined) return undefined;
  const s: ModelScores = { accuracy: num(v.accuracy)! };
  pickNumbers(s, v, ['meanClassAccuracy', 'macroF1', 'ece']);
  return s;
}

/** A loss given as one number is the total; in an object, NaN written by JSON.stringify arrives as null and is kept as a gap. */
function losses(v: unknown): Record<string, number | null> {
  if (typeof v === 'number') return { total: Number.isFinite(v) ? v : null };
  const out: Record<string, number | null> = {};
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'number') out[k] = Number.isFinite(x) ? x : null;
    else if (x === null) out[k] = null;
  }
  return out;
}

/** One parsed JSON value → a row, or the reason it is unusable. */
export function toMetricsRow(v: unknown): MetricsRow | string {
  if (!isObj(v)) return 'not a JSON object';
  const epoch = num(v.epoch);
  if (v.kind === 'step') {
    const step = num(v.step);
    if (step === undefined) return 'step row without a numeric "step"';
    if (epoch === undefined) return 'step row without a numeric "epoch"';
    const row: StepRow = { kind: 'step', epoch, step, loss: losses(v.loss) };
    pickNumbers(row, v, ['lr', 'subsetI', 'subsetII', 'pseudoLabelAccuracy', 'maskRate', 'imgPerSec']);
    const t = numArray(v.thresholds);
    if (t) row.thresholds = t;
    return row;
  }
  if (v.kind === 'epoch') {
    if (epoch === undefined) return 'epoch row without a numeric "epoch"';
    const split = v.split === 'validation' || v.split === 'test' || v.split === null ? v.split : undefined;
    const student = scores(v.student);
    // A run without validation images writes unscored epoch rows ("split": null).
    if (!student && split !== null) return 'epoch row without "student.accuracy"';
    const row: EpochRow = { kind: 'epoch', epoch, ...(student ? { student } : {}), ...(split !== undefined ? { split } : {}) };
    const teacher = scores(v.teacher);
    if (teacher) row.teacher = teacher;
    const t = numArray(v.thresholds);
    if (t) row.thresholds = t;
    pickNumbers(row, v, ['relabelled']);
    const byClass = numArray(v.relabelledByClass);
    if (byClass) row.relabelledByClass = byClass;
    return row;
  }
  if (v.kind === 'warning') {
    if (epoch === undefined) return 'warning row without a numeric "epoch"';
    if (typeof v.message !== 'string') return 'warning row without a "message" string';
    const row: WarningRow = { kind: 'warning', epoch, message: v.message };
    return row;
  }
  return v.kind === undefined ? 'no "kind" field' : `unknown kind ${JSON.stringify(v.kind)} (expected "step", "epoch" or "warning")`;
}

/** Parses the text of a metrics.jsonl; blank lines are ignored, bad ones listed (1-based line numbers). */
export function parseMetricsJsonl(text: string): MetricsFile {
  const rows: MetricsRow[] = [];
  const skipped: SkippedLine[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      skipped.push({ line: i + 1, reason: `not valid JSON (${(e as Error).message})` });
      return;
    }
    const row = toMetricsRow(value);
    if (typeof row === 'string') skipped.push({ line: i + 1, reason: row });
    else rows.push(row);
  });
  return { rows, skipped };
}

/** Reads and parses a metrics.jsonl file; I/O errors (missing file) throw with the path in the message. */
export function readMetricsJsonl(path: string): MetricsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read metrics file (${(e as Error).message})`);
  }
  return parseMetricsJsonl(text);
}

/** "skipped 2 lines of metrics.jsonl: 17 (not valid JSON …), 40 (…)" — for the CLI's log. */
export function describeSkipped(skipped: SkippedLine[], file = 'metrics.jsonl', max = 5): string {
  if (!skipped.length) return '';
  const shown = skipped.slice(0, max).map((s) => `line ${s.line}: ${s.reason}`);
  const more = skipped.length > max ? `; and ${skipped.length - max} more` : '';
  return `skipped ${skipped.length} line${skipped.length === 1 ? '' : 's'} of ${file}: ${shown.join('; ')}${more}`;
}

/**
 * Reads the rows another process appends to a metrics.jsonl, a poll at a time
 * (the demo's progress over runs in child processes), through the same parser
 * as a whole file; a line that parser skips is skipped here too (progress only).
 * A line still being written waits for the next poll; a file that is absent or
 * was cut back (a run started afresh) is read from its start.
 */
export class MetricsTail {
  private offset = 0;
  private partial = '';
  // A poll can end inside a character of a multi-byte UTF-8 sequence (a warning's "≥").
  private decoder = new StringDecoder('utf8');

  /** `fromEnd`: skip what the file holds now (an earlier run's rows, until the new run replaces the file). */
  constructor(readonly path: string, o: { fromEnd?: boolean } = {}) {
    if (o.fromEnd && existsSync(path)) this.offset = statSync(path).size;
  }

  poll(): MetricsRow[] {
    if (!existsSync(this.path)) return [];
    const size = statSync(this.path).size;
    if (size < this.offset) {
      this.offset = 0;
      this.partial = '';
      this.decoder = new StringDecoder('utf8');
    }
    if (size === this.offset) return [];
    const fd = openSync(this.path, 'r');
    const buf = Buffer.alloc(size - this.offset);
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const text = this.partial + this.decoder.write(buf);
    const end = text.lastIndexOf('\n') + 1;
    this.partial = text.slice(end);
    return parseMetricsJsonl(text.slice(0, end)).rows;
  }
}
