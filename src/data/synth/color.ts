/** Colour helpers for the SVG renderer: RGB triples, mixing, hex output. */
export type Rgb = readonly [number, number, number];

const clampByte = (x: number): number => (x < 0 ? 0 : x > 255 ? 255 : Math.round(x));

export function hex(c: Rgb): string {
  return '#' + c.map((v) => clampByte(v).toString(16).padStart(2, '0')).join('');
}

/** Linear mix: t = 0 gives a, t = 1 gives b. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Darker (f < 1) or lighter (f > 1) by scaling. */
export function scale(c: Rgb, f: number): Rgb {
  return [clampByte(c[0] * f), clampByte(c[1] * f), clampByte(c[2] * f)];
}

/** Piecewise-linear colour ramp at t in [0, 1]. */
export function ramp(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  return mix(stops[i], stops[i + 1], x - i);
}

/** HSL (h in degrees, s and l in [0, 1]) to RGB. */
export function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => 255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1)));
  return [f(0), f(8), f(4)];
}
