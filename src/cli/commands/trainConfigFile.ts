/**
 * Reading a run's own RUNDIR/config.json with `semifer train --config`: the
 * file holds the TrainConfig (src/train/configRecord.ts), whose keys are mostly
 * the flags' names; the others map back to flags here:
 * - recorded metadata (command, startTime) is ignored;
 * - hyper {name: value} is --hyper name=value,…; unlabelled {dataset, root} is
 *   --unlabelled-dataset/--unlabelled-root; readerOptions are --view/--classes;
 * - a setting with no flag (evalBatch) is accepted at its default
 *   value and otherwise refused as an unknown key.
 */
import type { ConfigEntry } from '../options/configFile.js';
import { defaultConfig } from '../../train/config.js';
import { RECORDED_METADATA_KEYS } from '../../train/configRecord.js';

const NO_FLAG = new Set(['evalBatch']);

export function trainConfigEntries(entry: ConfigEntry): ConfigEntry[] {
  const { key, value } = entry;
  const as = (k: string, v: unknown): ConfigEntry => ({ ...entry, key: k, value: v, itemLines: undefined });
  if ((RECORDED_METADATA_KEYS as readonly string[]).includes(key)) return [];
  if (NO_FLAG.has(key)) {
    const fallback = defaultConfig({ dataset: '', root: '', method: '', out: '' }) as unknown as Record<string, unknown>;
    return value === fallback[key] ? [] : [entry];
  }
  if (key === 'hyper' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const pairs = Object.entries(value as Record<string, unknown>);
    return pairs.length === 0 ? [] : [as('hyper', pairs.map(([k, v]) => `${k}=${String(v)}`).join(','))];
  }
  if (key === 'unlabelled' && (value === null || typeof value === 'object')) {
    if (value === null) return [];
    const u = value as { dataset?: unknown; root?: unknown };
    return [as('unlabelled-dataset', u.dataset), as('unlabelled-root', u.root)];
  }
  if (key === 'readerOptions' && value !== null && typeof value === 'object') {
    const r = value as { views?: unknown; angles?: unknown; classes?: unknown };
    const out: ConfigEntry[] = [];
    if (r.views !== undefined || r.angles !== undefined) out.push(as('view', r.views ?? r.angles));
    if (r.classes !== undefined) out.push(as('classes', Array.isArray(r.classes) ? r.classes.join(',') : r.classes));
    return out;
  }
  return [entry];
}
