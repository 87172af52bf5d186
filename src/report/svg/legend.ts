/** Chart legends: a column on the right or rows on top, sized from the labels. */
import { esc } from '../escape.js';
import { px, textWidth } from './scale.js';

export interface LegendItem {
  label: string;
  color: string;
  /** Line swatch with this dash pattern; undefined = solid. */
  dash?: string;
  /** Swatch: a short line (line charts), a square (bars, heat maps) or a dot (scatter). */
  shape?: 'line' | 'rect' | 'circle';
}

export interface LegendLayout {
  width: number;
  height: number;
  render(x: number, y: number): string;
}

const SWATCH = 18;
const ROW = 18;
const FONT = 12;

function swatch(item: LegendItem, x: number, y: number): string {
  const shape = item.shape ?? 'line';
  if (shape === 'rect') return `<rect x="${px(x + 4)}" y="${px(y - 5)}" width="10" height="10" rx="2" fill="${esc(item.color)}"/>`;
  if (shape === 'circle') return `<circle cx="${px(x + 9)}" cy="${px(y)}" r="4.5" fill="${esc(item.color)}"/>`;
  const dash = item.dash ? ` stroke-dasharray="${esc(item.dash)}"` : '';
  return `<line x1="${px(x)}" x2="${px(x + SWATCH)}" y1="${px(y)}" y2="${px(y)}" stroke="${esc(item.color)}" stroke-width="2.5"${dash}/>`;
}

function itemWidth(item: LegendItem): number {
  return SWATCH + 6 + textWidth(item.label, FONT);
}

/** A vertical list; long labels are kept whole (the chart gives the legend the room it asks for). */
export function columnLegend(items: LegendItem[]): LegendLayout {
  const width = Math.max(0, ...items.map(itemWidth)) + 4;
  return {
    width,
    height: items.length * ROW,
    render(x, y) {
      let out = '<g class="legend">';
      items.forEach((item, i) => {
        const cy = y + i * ROW + ROW / 2;
        out += swatch(item, x, cy) + `<text x="${px(x + SWATCH + 6)}" y="${px(cy)}" dy="0.32em">${esc(item.label)}</text>`;
      });
      return out + '</g>';
    },
  };
}

/** Items in rows, wrapping at `maxWidth`. */
export function rowLegend(items: LegendItem[], maxWidth: number): LegendLayout {
  const gap = 16;
  const rows: { item: LegendItem; x: number }[][] = [[]];
  let x = 0;
  for (const item of items) {
    const w = itemWidth(item);
    if (x > 0 && x + w > maxWidth) { rows.push([]); x = 0; }
    rows[rows.length - 1]!.push({ item, x });
    x += w + gap;
  }
  return {
    width: maxWidth,
    height: items.length ? rows.length * ROW : 0,
    render(x0, y0) {
      let out = '<g class="legend">';
      rows.forEach((row, r) => {
        const cy = y0 + r * ROW + ROW / 2;
        for (const { item, x } of row) {
          out += swatch(item, x0 + x, cy) + `<text x="${px(x0 + x + SWATCH + 6)}" y="${px(cy)}" dy="0.32em">${esc(item.label)}</text>`;
        }
      });
      return out + '</g>';
    },
  };
}
