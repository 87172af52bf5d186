/**
 * Scatter plot coloured by class (the t-SNE of test features). Axes carry no
 * numbers: t-SNE coordinates have no units, only neighbourhoods matter. Both
 * axes use one scale so clusters keep their shape.
 */
import { esc } from '../escape.js';
import { categoricalColor } from '../palette.js';
import { chartSvg, type Rect } from './frame.js';
import { columnLegend } from './legend.js';
import { px } from './scale.js';

export interface ScatterOptions {
  name: string;
  title: string;
  /** N×2 row-major coordinates. */
  points: ArrayLike<number>;
  /** Class of each point (colour). */
  groups: ArrayLike<number>;
  groupNames: string[];
  /** Points whose flag is true get a dark ring (e.g. misclassified). */
  highlight?: ArrayLike<boolean | number>;
  highlightLabel?: string;
  width?: number;
  height?: number;
  radius?: number;
  xLabel?: string;
  yLabel?: string;
}

export function scatterPlot(o: ScatterOptions): string {
  const n = Math.floor(o.points.length / 2);
  const width = o.width ?? 620;
  const height = o.height ?? 460;
  const r = o.radius ?? (n > 1500 ? 2 : n > 500 ? 2.6 : 3.4);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(o.groups[i]!, (counts.get(o.groups[i]!) ?? 0) + 1);
  const present = [...counts.keys()].sort((a, b) => a - b);
  const items = present.map((g) => ({ label: `${o.groupNames[g] ?? `class ${g}`} (${counts.get(g)})`, color: categoricalColor(g), shape: 'circle' as const }));
  const hasHighlight = !!o.highlight && Array.from({ length: n }, (_, i) => !!o.highlight![i]).some(Boolean);
  if (hasHighlight) items.push({ label: o.highlightLabel ?? 'highlighted', color: '#1f2933', shape: 'circle' as const });
  const legend = columnLegend(items);
  const plot: Rect = { left: 30, top: 12, width: width - legend.width - 30 - 28, height: height - 12 - 34 };

  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = o.points[2 * i]!, y = o.points[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    xmin = Math.min(xmin, x); xmax = Math.max(xmax, x); ymin = Math.min(ymin, y); ymax = Math.max(ymax, y);
  }
  if (!Number.isFinite(xmin)) { xmin = ymin = -1; xmax = ymax = 1; }
  // One scale for both axes, with a margin so edge points are not cut.
  const span = Math.max(xmax - xmin, ymax - ymin, 1e-9) * 1.06;
  const scale = Math.min(plot.width, plot.height) / span;
  const cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2;
  const mx = plot.left + plot.width / 2, my = plot.top + plot.height / 2;
  const sx = (v: number): number => mx + (v - cx) * scale;
  const sy = (v: number): number => my - (v - cy) * scale;

  let body = `<rect class="plot-frame" x="${px(plot.left)}" y="${px(plot.top)}" width="${px(plot.width)}" height="${px(plot.height)}"/>`;
  body += `<g class="axis"><text class="axis-title" x="${px(plot.left + plot.width / 2)}" y="${px(height - 10)}" text-anchor="middle">${esc(o.xLabel ?? 'dimension 1')}</text>`;
  body += `<text class="axis-title" transform="translate(16,${px(plot.top + plot.height / 2)}) rotate(-90)" text-anchor="middle">${esc(o.yLabel ?? 'dimension 2')}</text></g>`;
  // One <g> per class keeps the markup small (fill set once); opacity shows overlaps.
  for (const g of present) {
    body += `<g class="points" data-series="${esc(o.groupNames[g] ?? g)}" fill="${categoricalColor(g)}" fill-opacity="0.78">`;
    for (let i = 0; i < n; i++) {
      if (o.groups[i] !== g) continue;
      const x = o.points[2 * i]!, y = o.points[2 * i + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      body += `<circle cx="${px(sx(x))}" cy="${px(sy(y))}" r="${r}"/>`;
    }
    body += '</g>';
  }
  if (hasHighlight) {
    body += `<g class="highlight" fill="none" stroke="#1f2933" stroke-width="1.1">`;
    for (let i = 0; i < n; i++) {
      if (!o.highlight![i]) continue;
      body += `<circle cx="${px(sx(o.points[2 * i]!))}" cy="${px(sy(o.points[2 * i + 1]!))}" r="${px(r + 1.2)}"/>`;
    }
    body += '</g>';
  }
  body += legend.render(plot.left + plot.width + 18, plot.top);
  return chartSvg(o.name, o.title, width, height, body);
}
