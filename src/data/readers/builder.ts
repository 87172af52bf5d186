/**
 * Collects a reader's samples, problems and notes, and applies the checks every
 * reader shares: duplicate ids (second one skipped), a missing image (skipped),
 * classes with no training samples (warning), and a dataset with no usable
 * sample at all (fatal — nothing downstream can work with it).
 */
import { DataError, type Dataset, type Problem, type Sample } from '../types.js';
import { isFile } from './files.js';

export class DatasetBuilder {
  private readonly splits: Record<string, Sample[]> = {};
  private readonly seen = new Map<string, { file: string; line?: number }>();
  private readonly problems: Problem[] = [];
  private readonly notes: Record<string, number> = {};
  private readonly sourceFiles: string[] = [];

  constructor(
    readonly format: string,
    readonly root: string,
    readonly classes: string[],
  ) {}

  /** Records a label/CSV file the reader read (cache fingerprints stat it). */
  source(file: string): void {
    if (!this.sourceFiles.includes(file)) this.sourceFiles.push(file);
  }

  /**
   * Adds a sample to a split unless its id was seen before (Problem, second entry
   * skipped). `where` names the label-file line the sample came from, for messages.
   */
  add(split: string, sample: Sample, where: { file: string; line?: number }): boolean {
    const first = this.seen.get(sample.id);
    if (first !== undefined) {
      const at = first.line !== undefined ? `${first.file}:${first.line}` : first.file;
      this.skip(where.file, where.line, `duplicate entry '${sample.id}' (first seen at ${at}); this one skipped`);
      return false;
    }
    this.seen.set(sample.id, where);
    (this.splits[split] ??= []).push(sample);
    return true;
  }

  /**
   * Adds a file-backed sample after checking the image exists on disk; a missing
   * image is a Problem and the sample is skipped.
   */
  addFile(split: string, sample: Sample, where: { file: string; line?: number }, checkExists: boolean): boolean {
    if (checkExists && sample.source.kind === 'file' && !isFile(sample.source.path)) {
      this.skip(where.file, where.line, `image not found: ${sample.source.path}; entry skipped`);
      return false;
    }
    return this.add(split, sample, where);
  }

  /** A skipped entry. */
  skip(file: string, line: number | undefined, message: string): void {
    this.problems.push(line !== undefined ? { file, line, message, severity: 'skipped' } : { file, message, severity: 'skipped' });
  }

  /** Something suspicious that left nothing out. */
  warn(file: string, message: string): void {
    this.problems.push({ file, message, severity: 'warning' });
  }

  /** Counts a deliberate decision (a dropped class, a tie broken, a fallback used). */
  note(reason: string, count = 1): void {
    this.notes[reason] = (this.notes[reason] ?? 0) + count;
  }

  /** Links a split to another's samples (SFEW's val doubling as test). */
  alias(split: string, to: string): void {
    const target = this.splits[to];
    if (target) this.splits[split] = target;
  }

  finish(opts: { labelled?: boolean; expected?: string } = {}): Dataset {
    const labelled = opts.labelled ?? true;
    const total = Object.values(this.splits).reduce((n, s) => n + s.length, 0);
    if (total === 0) {
      const first = this.problems[0];
      const why = first ? `; ${this.problems.length} entries skipped, first: ${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}` : '';
      throw new DataError(this.root, undefined, `no usable samples found${opts.expected ? ` (expected ${opts.expected})` : ''}${why}`);
    }
    this.splits['train'] ??= [];
    if (labelled) {
      const counts = new Array<number>(this.classes.length).fill(0);
      for (const s of this.splits['train']) if (s.label >= 0) counts[s.label]!++;
      counts.forEach((n, c) => {
        if (n === 0) this.warn(this.root, `class '${this.classes[c]}' has zero samples in the train split`);
      });
    }
    const dataset: Dataset = { format: this.format, root: this.root, classes: this.classes, splits: this.splits, problems: this.problems };
    if (Object.keys(this.notes).length > 0) dataset.notes = this.notes;
    if (this.sourceFiles.length > 0) dataset.sourceFiles = this.sourceFiles;
    return dataset;
  }
}
