/** Small SVG path helpers. Numbers are printed with two decimals so output is stable and short. */
export interface Point { x: number; y: number }

export const pt = (x: number, y: number): Point => ({ x, y });

/** A number for SVG: at most two decimals, no trailing zeros, never "-0". */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? '0' : String(r);
}

export const xy = (p: Point): string => `${num(p.x)} ${num(p.y)}`;

/**
 * A smooth closed curve through `points` (Catmull–Rom converted to cubic
 * Béziers). `tension` 1 is the classic spline; smaller is tighter.
 */
export function smoothClosedPath(points: readonly Point[], tension = 1): string {
  const n = points.length;
  let d = `M${xy(points[0])}`;
  for (let i = 0; i < n; i++) {
    const p0 = points[(i - 1 + n) % n], p1 = points[i], p2 = points[(i + 1) % n], p3 = points[(i + 2) % n];
    const c1 = pt(p1.x + ((p2.x - p0.x) / 6) * tension, p1.y + ((p2.y - p0.y) / 6) * tension);
    const c2 = pt(p2.x - ((p3.x - p1.x) / 6) * tension, p2.y - ((p3.y - p1.y) / 6) * tension);
    d += `C${xy(c1)} ${xy(c2)} ${xy(p2)}`;
  }
  return d + 'Z';
}

/** An open smooth curve through `points` (same spline, ends clamped). */
export function smoothOpenPath(points: readonly Point[], tension = 1): string {
  const n = points.length;
  let d = `M${xy(points[0])}`;
  for (let i = 0; i < n - 1; i++) {
    const p0 = points[Math.max(i - 1, 0)], p1 = points[i], p2 = points[i + 1], p3 = points[Math.min(i + 2, n - 1)];
    const c1 = pt(p1.x + ((p2.x - p0.x) / 6) * tension, p1.y + ((p2.y - p0.y) / 6) * tension);
    const c2 = pt(p2.x - ((p3.x - p1.x) / 6) * tension, p2.y - ((p3.y - p1.y) / 6) * tension);
    d += `C${xy(c1)} ${xy(c2)} ${xy(p2)}`;
  }
  return d;
}

/**
 * Cubic segment from the current point `a` to `b` whose midpoint lies at height
 * `midY`. `inset` in [0, 0.5] places the control points along the chord: 0
 * leaves the ends vertically (a half-ellipse), ~0.33 gives a parabola-like arc.
 * Lip and eyelid edges are all built from this one shape.
 */
export function cubicThrough(a: Point, b: Point, midY: number, inset: number): string {
  // Bézier midpoint: (a + 3c1 + 3c2 + b) / 8, with c1.y = c2.y = Y.
  const Y = (midY - (a.y + b.y) / 8) / 0.75;
  const c1 = pt(a.x + (b.x - a.x) * inset, Y);
  const c2 = pt(b.x - (b.x - a.x) * inset, Y);
  return `C${xy(c1)} ${xy(c2)} ${xy(b)}`;
}

/** Path segments continuing from the current point: a line to `points[0]`, then a smooth curve through the rest. */
export function curveThrough(points: readonly Point[], tension = 1): string {
  return 'L' + smoothOpenPath(points, tension).slice(1);
}

/** Quadratic control point so that the curve a→b passes through m at t = 0.5. */
export function quadControl(a: Point, m: Point, b: Point): Point {
  return pt(2 * m.x - (a.x + b.x) / 2, 2 * m.y - (a.y + b.y) / 2);
}
