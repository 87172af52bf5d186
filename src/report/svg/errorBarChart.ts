/**
 * Means with ± one standard deviation as error bars against a numeric x (a
 * hyper-parameter), one series per method, joined by lines: the sensitivity
 * plot of Ada-CM's Fig. 3. A `reference` series (a method the parameter does
 * not affect) is one dashed horizontal line at its mean across the x range.
 */
import { esc } from '../escape.js';
import { categoricalColor, seriesDash } from '../palette.js';
import { chartSvg, xAxis, yAxis, yAxisWidth, type Rect } from './frame.js';
import { columnLegend, rowLegend, type LegendItem } from './legend.js';
import { linear, niceTicks, px, tickFormatter, type ValueFormat } from './scale.js';

export interface ErrorBarPoint {
  x: number;
  mean: number;
  /** null: one value, no bar. */
  sd: number | null;
}

export interface ErrorBarSeries {
  name: string;
  points: ErrorBarPoint[];
  /** Drawn as a dashed horizontal line at points[0].mean. */
  reference?: boolean;
}

export interface ErrorBarChartOptions {
  name: string;
  title: string;
  series: ErrorBarSeries[];
  xLabel?: string;
  yLabel?: string;
  yFormat?: ValueFormat;
  xFormat?: ValueFormat;
  width?: number;
  height?: number;
}

export function errorBarChart(o: ErrorBarChartOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 300;
  const fmtY = tickFormatter(o.yFormat ?? 'number');
  const all = o.series.map((s, i) => ({ s, color: categoricalColor(i), dash: s.reference ? '6 4' : seriesDash(i) }));
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const { s } of all) {
    for (const p of s.points) {
      if (!s.reference) { xmin = Math.min(xmin, p.x); xmax = Math.max(xmax, p.x); }
      ymin = Math.min(ymin, p.mean - (p.sd ?? 0));
      ymax = Math.max(ymax, p.mean + (p.sd ?? 0));
    }
  }
  if (!Number.isFinite(xmin)) { xmin = 0; xmax = 1; }
  if (!Number.isFinite(ymin)) { ymin = 0; ymax = 1; }
  // A little room on both sides so the end points' bars are not cut by the frame.
  const pad = xmax > xmin ? (xmax - xmin) * 0.06 : 0.5;
  const x0 = xmin - pad, x1 = xmax + pad;
  const yt = niceTicks(ymin, ymax, Math.max(3, Math.round(height / 60)));
  const xt = niceTicks(xmin, xmax, Math.max(3, Math.round(width / 110)));
  const xTicks = { ...xt, values: xt.values.filter((v) => v >= x0 && v <= x1) };

  const items: LegendItem[] = all.map(({ s, color, dash }) => ({ label: s.name, color, dash }));
  const left = yAxisWidth(yt, fmtY, !!o.yLabel) + 4;
  const onRight = items.length > 4;
  const legend = items.length < 2 ? undefined : onRight ? columnLegend(items) : rowLegend(items, width - left - 16);
  const right = onRight && legend ? legend.width + 24 : 16;
  const top = 12 + (!onRight && legend ? legend.height + 6 : 0);
  const bottom = o.xLabel ? 46 : 28;
  const plot: Rect = { left, top, width: Math.max(40, width - left - right), height: Math.max(40, height - top - bottom) };
  const sx = linear(x0, x1, plot.left, plot.left + plot.width);
  const sy = linear(yt.min, yt.max, plot.top + plot.height, plot.top);

  let body = yAxis(plot, { ticks: yt, scale: sy, format: fmtY, label: o.yLabel });
  body += xAxis(plot, { ticks: xTicks, scale: sx, format: tickFormatter(o.xFormat ?? 'number'), label: o.xLabel });
  for (const { s, color, dash } of all) {
    const dashAttr = dash ? ` stroke-dasharray="${esc(dash)}"` : '';
    body += `<g class="series" data-series="${esc(s.name)}" fill="none" stroke="${esc(color)}">`;
    if (s.reference) {
      const y = px(sy(s.points[0]?.mean ?? 0));
      body += `<line x1="${px(plot.left)}" x2="${px(plot.left + plot.width)}" y1="${y}" y2="${y}" stroke-width="1.5"${dashAttr}/>`;
      body += '</g>';
      continue;
    }
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    if (pts.length > 1) body += `<path d="${pts.map((p, i) => `${i ? 'L' : 'M'}${px(sx(p.x))} ${px(sy(p.mean))}`).join('')}" stroke-width="2"${dashAttr}/>`;
    for (const p of pts) {
      const cx = px(sx(p.x));
      if (p.sd !== null && p.sd > 0) {
        const lo = px(sy(p.mean - p.sd)), hi = px(sy(p.mean + p.sd));
        const c0 = px(sx(p.x) - 4), c1 = px(sx(p.x) + 4);
        body += `<path class="error-bar" d="M${cx} ${lo}L${cx} ${hi}M${c0} ${lo}L${c1} ${lo}M${c0} ${hi}L${c1} ${hi}" stroke-width="1.3"/>`;
      }
      body += `<circle cx="${cx}" cy="${px(sy(p.mean))}" r="3.5" fill="${esc(color)}" stroke="#fff" stroke-width="1"><title>${esc(`${s.name}: x = ${p.x}, ${p.mean.toFixed(4)}${p.sd !== null ? ` ± ${p.sd.toFixed(4)}` : ''}`)}</title></circle>`;
    }
    body += '</g>';
  }
  if (legend) body += onRight ? legend.render(plot.left + plot.width + 18, plot.top) : legend.render(plot.left, 6);
  return chartSvg(o.name, o.title, width, height, body);
}
