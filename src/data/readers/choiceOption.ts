/**
 * A reader option that selects some of a fixed set of values (KDEF views,
 * RaFD camera angles and gaze directions). It comes from code, a config file
 * or the command line, so it accepts a list, one value, or a comma-separated
 * string ('S,HL'), case-insensitively, plus 'all'. Anything else is fatal:
 * a typo must not silently select nothing.
 */
import { DataError } from '../types.js';

export type ChoiceList = string | readonly string[];

/**
 * The selected canonical values. `spellings` maps each accepted spelling
 * (lower-case) to its canonical value; `fallback` is used when the option is absent.
 */
export function parseChoiceList(root: string, option: string, value: unknown, spellings: Record<string, string>, fallback: readonly string[]): Set<string> {
  if (value === undefined) return new Set(fallback);
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  const all = new Set(Object.values(spellings));
  const expected = `a list of ${[...all].join(', ')} (or 'all')`;
  if (items === undefined || items.length === 0) throw new DataError(root, undefined, `option ${option} must be ${expected}, got ${JSON.stringify(value)}`);
  const out = new Set<string>();
  for (const item of items) {
    const key = typeof item === 'string' || typeof item === 'number' ? String(item).trim().toLowerCase() : undefined;
    if (key === 'all') return all;
    const v = key === undefined ? undefined : spellings[key];
    if (v === undefined) throw new DataError(root, undefined, `option ${option}: unknown value ${JSON.stringify(item)}; expected ${expected}`);
    out.add(v);
  }
  return out;
}
