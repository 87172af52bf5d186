/**
 * Grouped bar chart: one cluster per category (a class, an epoch), one bar per
 * group (precision, recall, F1). Category labels turn diagonal when they do
 * not fit, and thin out when there are too many to print.
 */
import { esc } from '../escape.js';
import { categoricalColor } from '../palette.js';
import { chartSvg, yAxis, yAxisWidth, type Rect } from './frame.js';
import { rowLegend, type LegendLayout } from './legend.js';
import { formatValue, linear, niceTicks, px, textWidth, tickFormatter, type ValueFormat } from './scale.js';

export interface BarGroup {
  name: string;
  /** One value per category; null = no bar. */
  values: ArrayLike<number | null>;
  color?: string;
}

export interface BarChartOptions {
  name: string;
  title: string;
  categories: string[];
  groups: BarGroup[];
  xLabel?: string;
  yLabel?: string;
  yFormat?: ValueFormat;
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
  /** Print each bar's value above it (only when bars are wide enough to hold the text). */
  valueLabels?: boolean;
}

export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 620;
  const height = o.height ?? 300;
  const fmtY = tickFormatter(o.yFormat ?? 'number');
  let ymax = -Infinity, ymin = 0;
  for (const g of o.groups) {
    for (let i = 0; i < g.values.length; i++) {
      const v = g.values[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) { ymax = Math.max(ymax, v); ymin = Math.min(ymin, v); }
    }
  }
  if (!Number.isFinite(ymax) || ymax <= ymin) ymax = ymin + 1;
  const yt = niceTicks(o.yMin ?? ymin, o.yMax ?? ymax, Math.max(3, Math.round(height / 60)));

  const left = yAxisWidth(yt, fmtY, !!o.yLabel) + 4;
  let top = 12;
  let legend: LegendLayout | undefined;
  if (o.groups.length > 1) {
    legend = rowLegend(o.groups.map((g, i) => ({ label: g.name, color: g.color ?? categoricalColor(i), shape: 'rect' as const })), width - left - 16);
    top += legend.height + 6;
  }
  const plotWidth = width - left - 16;
  const n = Math.max(1, o.categories.length);
  const slot = plotWidth / n;
  // Labels: horizontal if they fit the slot; otherwise diagonal; print every k-th when even that crowds.
  const widest = Math.max(0, ...o.categories.map((c) => textWidth(c, 11)));
  const diagonal = widest > slot - 4;
  const every = diagonal ? Math.max(1, Math.ceil(16 / slot)) : 1;
  const labelSpace = diagonal ? Math.min(widest, 120) * 0.64 + 16 : 20;
  const bottom = labelSpace + (o.xLabel ? 26 : 6);
  const plot: Rect = { left, top, width: plotWidth, height: Math.max(40, height - top - bottom) };
  const sy = linear(yt.min, yt.max, plot.top + plot.height, plot.top);
  const zero = sy(Math.max(yt.min, Math.min(yt.max, 0)));

  let body = yAxis(plot, { ticks: yt, scale: sy, format: fmtY, label: o.yLabel });
  const inner = slot * 0.8;
  const barW = inner / Math.max(1, o.groups.length);
  o.groups.forEach((g, gi) => {
    const color = g.color ?? categoricalColor(gi);
    body += `<g class="bars" data-series="${esc(g.name)}" fill="${esc(color)}">`;
    for (let c = 0; c < o.categories.length; c++) {
      const v = g.values[c];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const x = plot.left + c * slot + (slot - inner) / 2 + gi * barW;
      const y = sy(Math.min(yt.max, Math.max(yt.min, v)));
      const h = Math.abs(zero - y);
      body += `<rect x="${px(x + 0.5)}" y="${px(Math.min(y, zero))}" width="${px(Math.max(1, barW - 1))}" height="${px(Math.max(h, 0.5))}"><title>${esc(`${o.categories[c]} · ${g.name}: ${formatValue(v, o.yFormat)}`)}</title></rect>`;
      if (o.valueLabels && barW >= textWidth(formatValue(v, o.yFormat), 10) + 2) {
        body += `<text class="value" x="${px(x + barW / 2)}" y="${px(Math.min(y, zero) - 3)}" text-anchor="middle">${esc(formatValue(v, o.yFormat))}</text>`;
      }
    }
    body += '</g>';
  });
  const base = plot.top + plot.height;
  body += `<g class="axis x"><line class="baseline" x1="${px(plot.left)}" x2="${px(plot.left + plot.width)}" y1="${px(zero)}" y2="${px(zero)}"/>`;
  o.categories.forEach((c, i) => {
    if (i % every !== 0) return;
    const x = plot.left + (i + 0.5) * slot;
    body += diagonal
      ? `<text transform="translate(${px(x + 3)},${px(base + 10)}) rotate(-40)" text-anchor="end">${esc(c)}</text>`
      : `<text x="${px(x)}" y="${px(base + 16)}" text-anchor="middle">${esc(c)}</text>`;
  });
  if (o.xLabel) body += `<text class="axis-title" x="${px(plot.left + plot.width / 2)}" y="${px(height - 8)}" text-anchor="middle">${esc(o.xLabel)}</text>`;
  body += '</g>';
  if (legend) body += legend.render(plot.left, 6);
  return chartSvg(o.name, o.title, width, height, body);
}
