/**
 * Colours. The categorical palette is Tableau-10-like, reordered so the first
 * eight (the expression classes) differ in hue and lightness on a white page;
 * beyond eight, colours repeat and line charts switch to dashes.
 */
export const CATEGORICAL = [
  '#4e79a7', // blue
  '#f28e2b', // orange
  '#e15759', // red
  '#59a14f', // green
  '#b07aa1', // purple
  '#9c755f', // brown
  '#17becf', // cyan
  '#edc948', // yellow
  '#ff9da7', // pink
  '#7f7f7f', // grey
] as const;

export function categoricalColor(i: number): string {
  return CATEGORICAL[((i % CATEGORICAL.length) + CATEGORICAL.length) % CATEGORICAL.length]!;
}

/** Dash pattern for the n-th series: solid for the first round of colours, then dashed, then dotted. */
export function seriesDash(i: number): string | undefined {
  const round = Math.floor(i / CATEGORICAL.length) % 3;
  return round === 0 ? undefined : round === 1 ? '6 3' : '2 3';
}

/** Sequential white → deep blue scale for t in [0, 1] (heat maps). */
const SEQUENTIAL: [number, number, number][] = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];

export function sequentialColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (SEQUENTIAL.length - 1);
  const i = Math.min(SEQUENTIAL.length - 2, Math.floor(x));
  const f = x - i;
  const a = SEQUENTIAL[i]!;
  const b = SEQUENTIAL[i + 1]!;
  const mix = (k: number): number => Math.round(a[k]! + (b[k]! - a[k]!) * f);
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

/** Whether text on `sequentialColor(t)` should be white for contrast. */
export function sequentialNeedsLightText(t: number): boolean {
  return t > 0.55;
}
