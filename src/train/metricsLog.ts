/** Appends JSON lines to RUNDIR/metrics.jsonl; on resume the file is cut back to the checkpoint's length. */
import { appendFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';

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

