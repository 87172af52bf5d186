/** Axis arithmetic: "nice" tick values (1, 2, 2.5, 5 × 10^k) and their labels. */

export interface Ticks {
  /** Domain extended to whole ticks. */
  min: number;
  max: number;
  step: number;
  values: number[];
}

/** Ticks covering [min, max] with at most about `target` intervals. */
export function niceTicks(min: number, max: number, target = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) { min = 0; max = 1; }
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  // Round to the step's precision so 0.1 + 0.2 never prints as 0.30000000000000004.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  const clean = (v: number): number => Number(v.toFixed(Math.min(20, digits)));
  const lo = clean(Math.floor(min / step + 1e-9) * step);
  const hi = clean(Math.ceil(max / step - 1e-9) * step);
  const values: number[] = [];
  for (let i = 0; ; i++) {
    const v = clean(lo + i * step);
    if (v > hi + step * 1e-9) break;
    values.push(v);
  }
  return { min: lo, max: hi, step, values };
}

/** Decimals needed to tell ticks `step` apart. */
function decimalsFor(step: number): number {
  if (!(step > 0)) return 0;
  let d = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  if (Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) > 1e-6) d += 1; // 2.5-type steps
  return d;
}

/** A tick label: thousands as "12k", otherwise as many decimals as the step needs. */
export function formatTick(v: number, step: number): string {
  // Learning rates and the like: 5e-4 reads better than 0.0005, and 6.3e-7 far better than 0.00000063.
  if (step > 0 && step < 1e-3) return v === 0 ? '0' : Number(v.toPrecision(3)).toExponential().replace('e-', 'e−');
  // Steps of thousands: every label in k, so an axis never mixes "5000" with "10k".
  if (step >= 1000) {
    return `${Number((v / 1000).toFixed(decimalsFor(step / 1000)))}k`;
  }
  const s = v.toFixed(decimalsFor(step));
  return s === '-0' ? '0' : s;
}

/** A tick label for fractions shown as percentages (0.85 → "85%"). */
export function formatPercentTick(v: number, step: number): string {
  return `${(v * 100).toFixed(decimalsFor(step * 100))}%`;
}

export type ValueFormat = 'number' | 'percent';

export function tickFormatter(format: ValueFormat): (v: number, step: number) => string {
  return format === 'percent' ? formatPercentTick : formatTick;
}

/** Maps a domain [d0, d1] onto a pixel range [r0, r1] linearly. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Approximate rendered width of a label in px; system sans fonts average ~0.6 em per character. */
export function textWidth(text: string, fontSize = 12): number {
  return text.length * fontSize * 0.6;
}

/** Rounded to 0.1 px: keeps the SVG small without visible error. */
export function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** A single value for a tooltip or a label: percentages with one decimal, integers as-is, else 3 significant digits. */
export function formatValue(v: number, format: ValueFormat = 'number'): string {
  if (!Number.isFinite(v)) return String(v);
  if (format === 'percent') return `${(v * 100).toFixed(1)}%`;
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}
