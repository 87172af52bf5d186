/**
 * Turns one raw value (a command-line string, or a config-file scalar) into the
 * option's typed value, or into a message that says what was expected. The
 * caller prefixes the message with where the value came from.
 */
import { isAbsolute, resolve } from 'node:path';
import type { OptionSpec } from './spec.js';
import { didYouMean } from './suggest.js';

export type Coerced = { ok: true; value: string | number | boolean } | { ok: false; error: string };

export interface CoerceContext {
  /** Config values may be YAML/JSON numbers and booleans; command-line values are strings. */
  from: 'cli' | 'config';
  /** Folder that relative config-file paths are resolved against. */
  baseDir?: string;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);
const INT_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** "an integer ≥ 1", "a number in [0, 1]", "one of a, b, c", … */
export function describeExpected(spec: OptionSpec): string {
  switch (spec.type) {
    case 'int':
      return `an integer${describeRange(spec.min, spec.max)}`;
    case 'number':
      return `a number${describeRange(spec.min, spec.max)}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'path':
      return 'a path';
    case 'string':
      return 'a string';
  }
}

export function describeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` in [${min}, ${max}]`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

/** How a raw value is quoted in messages. */
export function showRaw(raw: unknown): string {
  if (typeof raw === 'string') return raw === '' ? 'an empty string' : `'${raw}'`;
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'a mapping';
  return String(raw);
}

export function coerceValue(spec: OptionSpec, raw: unknown, ctx: CoerceContext): Coerced {
  const expected = (): Coerced => ({ ok: false, error: `expected ${describeExpected(spec)}, got ${showRaw(raw)}` });
  switch (spec.type) {
    case 'int':
    case 'number': {
      let n: number;
      if (typeof raw === 'number') n = raw;
      else if (typeof raw === 'string' && (spec.type === 'int' ? INT_RE : NUMBER_RE).test(raw.trim())) n = Number(raw.trim());
      else return expected();
      // Beyond 2^53 a number is no longer an exact integer: 99999999999999999999 would silently become 1e20.
      if (!Number.isFinite(n) || (spec.type === 'int' && !Number.isSafeInteger(n))) return expected();
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return expected();
      return { ok: true, value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const word = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim().toLowerCase() : undefined;
      if (word !== undefined && TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (word !== undefined && FALSE_WORDS.has(word)) return { ok: true, value: false };
      return expected();
    }
    case 'enum': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return expected();
      const text = String(raw);
      if (spec.values.includes(text)) return { ok: true, value: text };
      // Case is not worth an error: `--format RAFDB` means rafdb.
      const folded = spec.values.filter((v) => v.toLowerCase() === text.toLowerCase());
      if (folded.length === 1) return { ok: true, value: folded[0]! };
      return { ok: false, error: `expected ${describeExpected(spec)}, got ${showRaw(raw)}${didYouMean(text, spec.values, (v) => `'${v}'`)}` };
    }
    case 'path': {
      if (typeof raw !== 'string' || raw.trim() === '') return expected();
      const relative = !isAbsolute(raw) && !spec.isName?.(raw);
      const value = ctx.from === 'config' && ctx.baseDir !== undefined && relative ? resolve(ctx.baseDir, raw) : raw;
      return { ok: true, value };
    }
    case 'string': {
      // YAML reads `name: 2024` as a number; a string option takes it as text.
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (ctx.from === 'config' && (typeof raw === 'number' || typeof raw === 'boolean')) return { ok: true, value: String(raw) };
      return expected();
    }
  }
}
