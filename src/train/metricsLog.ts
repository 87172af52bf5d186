/**
 * RUNDIR/metrics.jsonl: MetricsLog appends its JSON lines (on resume the file is cut back to
 * the checkpoint's length); MetricsTail reads them as another process writes them.
 */
import { StringDecoder } from 'node:string_decoder';
import { appendFileSync, closeSync, existsSync, openSync, readSync, statSync, truncateSync, writeFileSync } from 'node:fs';

export class MetricsLog {
  constructor(readonly path: string, resumeBytes?: number) {
    if (resumeBytes === undefined) writeFileSync(path, '');
    else if (existsSync(path) && statSync(path).size > resumeBytes) truncateSync(path, resumeBytes);
    else if (!existsSync(path)) writeFileSync(path, '');
  }

  write(row: Record<string, unknown>): void {
    appendFileSync(this.path, JSON.stringify(row, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
  }

  get bytes(): number {
    return statSync(this.path).size;
  }
}

/**
 * Reads the rows another process appends to a metrics.jsonl, a poll at a time
 * (the demo's progress over runs in child processes). A line still being
 * written waits for the next poll; a file that is absent or was cut back
 * (a run started afresh) is read from its start.
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

  poll(): Record<string, unknown>[] {
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
    const lines = (this.partial + this.decoder.write(buf)).split('\n');
    this.partial = lines.pop()!;
    const rows: Record<string, unknown>[] = [];
    for (const line of lines) {
      try {
        if (line.trim()) rows.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // A torn line (the file was replaced mid-line): progress only, so skip it.
      }
    }
    return rows;
  }
}
