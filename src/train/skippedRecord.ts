/**
 * What a run left out of its dataset, recorded instead of dropped in silence:
 * the counts go to the log and summary.json, the list (one JSON line per entry:
 * file, line where the reader knows it, reason) to RUNDIR/skipped.jsonl.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../data/index.js';

export const SKIPPED_FILE = 'skipped.jsonl';

/** One entry per file and line and reason (a fold's train and test views share one decode). */
export function uniqueSkipped(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}\u0000${p.line ?? ''}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Writes RUNDIR/skipped.jsonl (empty when nothing was skipped, so its absence never means "not checked"). */
export function writeSkipped(out: string, problems: readonly Problem[]): void {
  const lines = problems.map((p) => JSON.stringify({ file: p.file, line: p.line ?? null, reason: p.message }));
  writeFileSync(join(out, SKIPPED_FILE), lines.length ? `${lines.join('\n')}\n` : '');
}
