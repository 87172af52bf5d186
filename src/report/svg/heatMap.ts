/**
 * Heat map with a number in every cell and a colour scale bar: the confusion
 * matrix. Colour encodes a value in [0, 1] (the row-normalised rate), the text
 * can say something else (the count), so both readings are on the page.
 */
import { esc } from '../escape.js';
import { sequentialColor, sequentialNeedsLightText } from '../palette.js';
import { chartId, chartSvg } from './frame.js';
import { px, textWidth } from './scale.js';

export interface HeatMapOptions {
  name: string;
  title: string;
  rowLabels: string[];
  colLabels: string[];
  /** Colour values in [0, 1], rows × cols. */
  values: number[][];
  /** Main text per cell (default: the value as a percentage). */
  text?: string[][];
  /** Smaller second line per cell. */
  subText?: string[][];
  rowTitle?: string;
  colTitle?: string;
  /** Caption of the colour bar. */
  scaleLabel?: string;
  /** Cell side in px (default from the number of columns). */
  cell?: number;
}

export function heatMap(o: HeatMapOptions): string {
  const rows = o.rowLabels.length;
  const cols = o.colLabels.length;
  const cell = o.cell ?? Math.max(34, Math.min(64, Math.floor(460 / Math.max(1, cols))));
  const rowLabelW = Math.max(20, ...o.rowLabels.map((l) => textWidth(l, 12))) + 8;
  const colLabelH = Math.min(120, Math.max(20, ...o.colLabels.map((l) => textWidth(l, 12)))) * 0.7 + 14;
  const left = rowLabelW + (o.rowTitle ? 24 : 4);
  const top = 10;
  const gridW = cols * cell;
  const gridH = rows * cell;
  const scaleX = left + gridW + 24;
  const width = scaleX + 64;
  const height = top + gridH + colLabelH + (o.colTitle ? 24 : 6);

  let body = '<g class="cells">';
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = o.values[r]?.[c] ?? 0;
      const x = left + c * cell;
      const y = top + r * cell;
      const main = o.text?.[r]?.[c] ?? `${Math.round(v * 100)}%`;
      const sub = o.subText?.[r]?.[c];
      const ink = sequentialNeedsLightText(v) ? '#fff' : '#1f2933';
      const tip = `${o.rowTitle ?? 'row'} ${o.rowLabels[r]} → ${o.colTitle ?? 'column'} ${o.colLabels[c]}: ${main}${sub ? ` (${sub})` : ''}`;
      body += `<rect x="${px(x)}" y="${px(y)}" width="${px(cell)}" height="${px(cell)}" fill="${sequentialColor(v)}"${r === c && rows === cols ? ' class="diag"' : ''}><title>${esc(tip)}</title></rect>`;
      const mainSize = cell >= 48 ? 13 : 11;
      if (sub && cell >= 40) {
        body += `<text x="${px(x + cell / 2)}" y="${px(y + cell / 2 - 6)}" dy="0.32em" text-anchor="middle" fill="${ink}" font-size="${mainSize}" font-weight="600">${esc(main)}</text>`;
        body += `<text x="${px(x + cell / 2)}" y="${px(y + cell / 2 + 9)}" dy="0.32em" text-anchor="middle" fill="${ink}" font-size="10" opacity="0.85">${esc(sub)}</text>`;
      } else {
        body += `<text x="${px(x + cell / 2)}" y="${px(y + cell / 2)}" dy="0.32em" text-anchor="middle" fill="${ink}" font-size="${mainSize}" font-weight="600">${esc(main)}</text>`;
      }
    }
  }
  body += `<rect x="${px(left)}" y="${px(top)}" width="${px(gridW)}" height="${px(gridH)}" fill="none" stroke="#cbd2d9"/>`;
  body += '</g><g class="axis">';
  o.rowLabels.forEach((l, r) => {
    body += `<text x="${px(left - 6)}" y="${px(top + (r + 0.5) * cell)}" dy="0.32em" text-anchor="end">${esc(l)}</text>`;
  });
  o.colLabels.forEach((l, c) => {
    body += `<text transform="translate(${px(left + (c + 0.5) * cell + 4)},${px(top + gridH + 10)}) rotate(-40)" text-anchor="end">${esc(l)}</text>`;
  });
  if (o.rowTitle) {
    body += `<text class="axis-title" transform="translate(12,${px(top + gridH / 2)}) rotate(-90)" text-anchor="middle">${esc(o.rowTitle)}</text>`;
  }
  if (o.colTitle) {
    body += `<text class="axis-title" x="${px(left + gridW / 2)}" y="${px(height - 6)}" text-anchor="middle">${esc(o.colTitle)}</text>`;
  }
  body += '</g>';

  // Colour bar: the same scale as the cells, 0 % at the bottom.
  const grad = chartId(o.name, 'scale');
  const barH = Math.max(60, gridH);
  let stops = '';
  for (let i = 0; i <= 10; i++) stops += `<stop offset="${i * 10}%" stop-color="${sequentialColor(1 - i / 10)}"/>`;
  body += `<defs><linearGradient id="${grad}" x1="0" x2="0" y1="0" y2="1">${stops}</linearGradient></defs>`;
  body += `<g class="color-scale"><rect x="${px(scaleX)}" y="${px(top)}" width="12" height="${px(barH)}" fill="url(#${grad})" stroke="#cbd2d9"/>`;
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const y = top + (1 - t) * barH;
    body += `<line x1="${px(scaleX + 12)}" x2="${px(scaleX + 16)}" y1="${px(y)}" y2="${px(y)}" stroke="#52606d"/>`;
    body += `<text x="${px(scaleX + 19)}" y="${px(y)}" dy="0.32em">${t * 100}%</text>`;
  }
  if (o.scaleLabel) {
    body += `<text class="axis-title" transform="translate(${px(scaleX + 56)},${px(top + barH / 2)}) rotate(-90)" text-anchor="middle">${esc(o.scaleLabel)}</text>`;
  }
  body += '</g>';
  return chartSvg(o.name, o.title, width, height, body);
}
