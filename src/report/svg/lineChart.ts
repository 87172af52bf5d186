/**
 * Line chart with several series, nice-tick axes and a legend. Long, noisy
 * series (a loss logged every step for 16k steps) are drawn as a faint
 * bucket-averaged trace under a bold moving average, the way people read
 * training curves; gaps (null/NaN) break the line instead of bridging it.
 */
import { esc } from '../escape.js';
import { categoricalColor, seriesDash } from '../palette.js';
import { chartId, chartSvg, xAxis, yAxis, yAxisWidth, type Rect } from './frame.js';
import { columnLegend, rowLegend, type LegendItem, type LegendLayout } from './legend.js';
import { linear, niceTicks, px, tickFormatter, type Ticks, type ValueFormat } from './scale.js';

export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  /** null or NaN = no value (the line breaks there). */
  y: ArrayLike<number | null>;
  color?: string;
  dash?: string;
  /** Draw a dot at every point (kept off automatically above 80 points). */
  markers?: boolean;
  /** Faint raw trace + bold moving average, for noisy per-step values. */
  smooth?: boolean;
}

export interface LineChartOptions {
  name: string;
  title: string;
  series: LineSeries[];
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  xMin?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
  /** Pull the y-axis down to 0 when all values are positive (losses, counts). */
  includeZero?: boolean;
  yFormat?: ValueFormat;
  xFormat?: ValueFormat;
  /** Only whole-number x ticks (epochs). */
  integerX?: boolean;
  legend?: 'auto' | 'right' | 'top' | 'none';
  /** At most this many points per drawn trace; more are averaged in buckets. */
  maxPoints?: number;
}

interface Pt { x: number; y: number | null }

function points(s: LineSeries): Pt[] {
  const n = Math.min(s.x.length, s.y.length);
  const out: Pt[] = [];
  for (let i = 0; i < n; i++) {
    const x = s.x[i]!;
    const y = s.y[i];
    if (!Number.isFinite(x)) continue;
    out.push({ x, y: y === null || y === undefined || !Number.isFinite(y) ? null : y });
  }
  return out.sort((a, b) => a.x - b.x);
}

/** Bucket means so a path never has more than `max` vertices; a bucket of gaps stays a gap. */
export function downsample(pts: Pt[], max: number): Pt[] {
  if (pts.length <= max) return pts;
  const size = Math.ceil(pts.length / max);
  const out: Pt[] = [];
  for (let i = 0; i < pts.length; i += size) {
    let sx = 0, sy = 0, ny = 0;
    const end = Math.min(pts.length, i + size);
    for (let j = i; j < end; j++) {
      sx += pts[j]!.x;
      if (pts[j]!.y !== null) { sy += pts[j]!.y!; ny++; }
    }
    out.push({ x: sx / (end - i), y: ny ? sy / ny : null });
  }
  return out;
}

/** Centred moving average over a window of `w` points, skipping gaps. */
export function movingAverage(pts: Pt[], w: number): Pt[] {
  const half = Math.floor(w / 2);
  const prefix = new Float64Array(pts.length + 1);
  const count = new Int32Array(pts.length + 1);
  pts.forEach((p, i) => {
    prefix[i + 1] = prefix[i]! + (p.y ?? 0);
    count[i + 1] = count[i]! + (p.y === null ? 0 : 1);
  });
  return pts.map((p, i) => {
    if (p.y === null) return p;
    const lo = Math.max(0, i - half);
    const hi = Math.min(pts.length, i + half + 1);
    const c = count[hi]! - count[lo]!;
    return { x: p.x, y: c ? (prefix[hi]! - prefix[lo]!) / c : null };
  });
}

/** SVG path data; a lone point between gaps becomes its own "M" and is drawn as a dot by the caller. */
function pathData(pts: Pt[], sx: (v: number) => number, sy: (v: number) => number): { d: string; lone: Pt[] } {
  let d = '';
  const lone: Pt[] = [];
  let run: Pt[] = [];
  const flush = (): void => {
    if (run.length === 1) lone.push(run[0]!);
    else if (run.length > 1) d += run.map((p, i) => `${i ? 'L' : 'M'}${px(sx(p.x))} ${px(sy(p.y!))}`).join('');
    run = [];
  };
  for (const p of pts) {
    if (p.y === null) flush();
    else run.push(p);
  }
  flush();
  return { d, lone };
}

function integerTicks(t: Ticks): Ticks {
  if (t.step >= 1) return t;
  const min = Math.floor(t.min);
  const max = Math.ceil(t.max);
  const values: number[] = [];
  for (let v = min; v <= max; v++) values.push(v);
  return { min, max, step: 1, values };
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 620;
  const height = o.height ?? 300;
  const maxPoints = o.maxPoints ?? 600;
  const fmtY = tickFormatter(o.yFormat ?? 'number');

  const all = o.series.map((s, i) => ({
    s,
    pts: points(s),
    color: s.color ?? categoricalColor(i),
    dash: s.dash ?? seriesDash(i),
  }));

  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const { pts } of all) {
    for (const p of pts) {
      xmin = Math.min(xmin, p.x); xmax = Math.max(xmax, p.x);
      if (p.y !== null) { ymin = Math.min(ymin, p.y); ymax = Math.max(ymax, p.y); }
    }
  }
  if (!Number.isFinite(xmin)) { xmin = 0; xmax = 1; }
  if (!Number.isFinite(ymin)) { ymin = 0; ymax = 1; }
  if (o.includeZero && ymin > 0) ymin = 0;
  if (o.yMin !== undefined) ymin = o.yMin;
  if (o.yMax !== undefined) ymax = o.yMax;
  if (o.xMin !== undefined) xmin = o.xMin;
  if (o.xMax !== undefined) xmax = o.xMax;
  const yt = niceTicks(ymin, ymax, Math.max(3, Math.round(height / 60)));
  // The x-axis spans the data exactly (training curves start and end where the run did).
  let xt = niceTicks(xmin, xmax, Math.max(3, Math.round(width / 110)));
  if (o.integerX) xt = integerTicks(xt);
  const xTicks = { ...xt, values: xt.values.filter((v) => v >= xmin - 1e-9 && v <= xmax + 1e-9) };
  if (xmin === xmax) { xmin -= 0.5; xmax += 0.5; }

  const items: LegendItem[] = all.map(({ s, color, dash }) => ({ label: s.name, color, dash }));
  const placement = o.legend === undefined || o.legend === 'auto' ? (items.length > 4 ? 'right' : items.length > 1 ? 'top' : 'none') : o.legend;
  const left = yAxisWidth(yt, fmtY, !!o.yLabel) + 4;
  let legend: LegendLayout | undefined;
  let right = 16;
  let top = 12;
  if (placement === 'right') {
    legend = columnLegend(items);
    right = legend.width + 24;
  } else if (placement === 'top') {
    legend = rowLegend(items, width - left - 16);
    top += legend.height + 6;
  }
  const bottom = o.xLabel ? 46 : 28;
  const plot: Rect = { left, top, width: Math.max(40, width - left - right), height: Math.max(40, height - top - bottom) };
  const sx = linear(xmin, xmax, plot.left, plot.left + plot.width);
  const sy = linear(yt.min, yt.max, plot.top + plot.height, plot.top);
  const clip = chartId(o.name, 'clip');

  let body = `<defs><clipPath id="${clip}"><rect x="${px(plot.left - 2)}" y="${px(plot.top - 2)}" width="${px(plot.width + 4)}" height="${px(plot.height + 4)}"/></clipPath></defs>`;
  body += yAxis(plot, { ticks: yt, scale: sy, format: fmtY, label: o.yLabel });
  body += xAxis(plot, { ticks: xTicks, scale: sx, format: tickFormatter(o.xFormat ?? 'number'), label: o.xLabel });
  body += `<g clip-path="url(#${clip})" fill="none" stroke-linejoin="round" stroke-linecap="round">`;
  for (const { s, pts, color, dash } of all) {
    const dashAttr = dash ? ` stroke-dasharray="${esc(dash)}"` : '';
    const smooth = !!s.smooth && pts.length > 50;
    const traces: { pts: Pt[]; w: number; opacity: number }[] = smooth
      ? [
          { pts: downsample(pts, maxPoints), w: 1, opacity: 0.28 },
          { pts: downsample(movingAverage(pts, Math.max(3, Math.round(pts.length / 40))), maxPoints), w: 2.2, opacity: 1 },
        ]
      : [{ pts: downsample(pts, maxPoints), w: 2, opacity: 1 }];
    body += `<g class="series" data-series="${esc(s.name)}">`;
    for (const t of traces) {
      const { d, lone } = pathData(t.pts, sx, sy);
      const op = t.opacity < 1 ? ` stroke-opacity="${t.opacity}"` : '';
      if (d) body += `<path d="${d}" stroke="${esc(color)}" stroke-width="${t.w}"${t.opacity < 1 ? '' : dashAttr}${op}/>`;
      for (const p of lone) body += `<circle cx="${px(sx(p.x))}" cy="${px(sy(p.y!))}" r="2.5" fill="${esc(color)}" stroke="none"/>`;
    }
    if (s.markers && pts.length <= 80) {
      for (const p of pts) if (p.y !== null) body += `<circle cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="3" fill="${esc(color)}" stroke="#fff" stroke-width="1"/>`;
    }
    body += '</g>';
  }
  body += '</g>';
  if (legend) {
    body += placement === 'right' ? legend.render(plot.left + plot.width + 18, plot.top) : legend.render(plot.left, 6);
  }
  return chartSvg(o.name, o.title, width, height, body);
}
