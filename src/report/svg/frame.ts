/** The outer <svg> element and axes shared by every chart. */
import { esc } from '../escape.js';
import { formatTick, px, textWidth, type Ticks } from './scale.js';

export interface Rect { left: number; top: number; width: number; height: number }

/**
 * Every chart is one <svg> carrying `data-chart` (how tests and readers find
 * it) and a <title> (a tooltip and its accessible name). The viewBox lets CSS
 * shrink it on narrow screens while keeping the text proportional.
 */
export function chartSvg(name: string, title: string, width: number, height: number, body: string): string {
  return (
    `<svg class="chart" data-chart="${esc(name)}" xmlns="http://www.w3.org/2000/svg" ` +
    `viewBox="0 0 ${px(width)} ${px(height)}" width="${px(width)}" height="${px(height)}" role="img" aria-label="${esc(title)}">` +
    `<title>${esc(title)}</title>${body}</svg>`
  );
}

/** Ids inside inline SVGs share the page's namespace: derive them from the (unique) chart name. */
export function chartId(name: string, part: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]/g, '_')}__${part}`;
}

export interface AxisSpec {
  ticks: Ticks;
  scale: (v: number) => number;
  format?: (v: number, step: number) => string;
  label?: string;
}

/** Horizontal grid lines and tick labels on the left of the plot, plus the rotated axis title. */
export function yAxis(plot: Rect, axis: AxisSpec): string {
  const fmt = axis.format ?? formatTick;
  let out = '<g class="axis y">';
  let widest = 0;
  for (const v of axis.ticks.values) {
    const y = px(axis.scale(v));
    const label = fmt(v, axis.ticks.step);
    widest = Math.max(widest, textWidth(label, 11));
    out += `<line class="grid" x1="${px(plot.left)}" x2="${px(plot.left + plot.width)}" y1="${y}" y2="${y}"/>`;
    out += `<text x="${px(plot.left - 6)}" y="${y}" dy="0.32em" text-anchor="end">${esc(label)}</text>`;
  }
  if (axis.label) {
    const x = plot.left - widest - 16;
    const y = plot.top + plot.height / 2;
    out += `<text class="axis-title" transform="translate(${px(x)},${px(y)}) rotate(-90)" text-anchor="middle">${esc(axis.label)}</text>`;
  }
  return out + '</g>';
}

/** Baseline, tick marks and labels under the plot, plus the axis title. */
export function xAxis(plot: Rect, axis: AxisSpec): string {
  const fmt = axis.format ?? formatTick;
  const base = plot.top + plot.height;
  let out = `<g class="axis x"><line class="baseline" x1="${px(plot.left)}" x2="${px(plot.left + plot.width)}" y1="${px(base)}" y2="${px(base)}"/>`;
  for (const v of axis.ticks.values) {
    const x = px(axis.scale(v));
    out += `<line class="tick" x1="${x}" x2="${x}" y1="${px(base)}" y2="${px(base + 4)}"/>`;
    out += `<text x="${x}" y="${px(base + 16)}" text-anchor="middle">${esc(fmt(v, axis.ticks.step))}</text>`;
  }
  if (axis.label) {
    out += `<text class="axis-title" x="${px(plot.left + plot.width / 2)}" y="${px(base + 36)}" text-anchor="middle">${esc(axis.label)}</text>`;
  }
  return out + '</g>';
}

/** Room the y-axis labels need to the left of the plot (labels + title + padding). */
export function yAxisWidth(ticks: Ticks, format: (v: number, step: number) => string, hasTitle: boolean): number {
  const widest = Math.max(...ticks.values.map((v) => textWidth(format(v, ticks.step), 11)), 10);
  return widest + 10 + (hasTitle ? 22 : 0);
}
