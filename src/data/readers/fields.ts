/**
 * Parsing of single label-file fields. A field that does not parse is a
 * malformed label file, so every function here throws a DataError naming the
 * file, the 1-based line and what was expected.
 */
import { DataError } from '../types.js';

/** An integer in [min, max]; accepts '3', '3.0', '  3.0000000e+00' (CK+ writes floats). */
export function parseLabelCode(file: string, line: number, text: string, what: string, min: number, max: number): number {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v) || !Number.isInteger(v)) {
    throw new DataError(file, line, `${what} must be an integer from ${min} to ${max}, found '${text}'`);
  }
  if (v < min || v > max) throw new DataError(file, line, `${what} out of range: expected ${min}..${max}, found ${v}`);
  return v;
}

/** A finite number (box coordinates, votes). */
export function parseNumber(file: string, line: number, text: string, what: string): number {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) throw new DataError(file, line, `${what} must be a number, found '${text}'`);
  return v;
}

/** A non-negative integer (vote counts). */
export function parseCount(file: string, line: number, text: string, what: string): number {
  const v = parseNumber(file, line, text, what);
  if (v < 0 || !Number.isInteger(v)) throw new DataError(file, line, `${what} must be a non-negative integer, found '${text}'`);
  return v;
}

/**
 * Space-separated pixel values (FER2013's `pixels` column) into exactly `expected`
 * bytes. Returns a reason string instead of throwing: a bad pixel row is skipped
 * and counted, not fatal. One pass over the characters, no intermediate arrays.
 */
export function parsePixelRow(text: string, expected: number): Uint8Array | string {
  const out = new Uint8Array(expected);
  let count = 0;
  let value = -1; // -1: not inside a number
  for (let i = 0, n = text.length; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (c >= 48 && c <= 57) {
      value = value < 0 ? c - 48 : value * 10 + (c - 48);
      if (value > 255) return `pixel value ${value}… is over 255 (value ${count + 1})`;
    } else if (c === 32 || c === 9 || c === 13) {
      if (value >= 0) {
        if (count < expected) out[count] = value;
        count++;
        value = -1;
      }
    } else {
      return `pixel value ${count + 1} is not a number (character '${String.fromCharCode(c)}')`;
    }
  }
  if (count !== expected) return `expected ${expected} pixel values, found ${count}`;
  return out;
}
