/**
 * A grid of small images with captions, as one SVG (embedded data: URIs, so
 * the report stays a single self-contained file). Faces are upscaled with
 * nearest-neighbour sampling so 48-px FER2013 crops stay crisp.
 */
import { esc } from '../escape.js';
import { chartSvg } from './frame.js';
import { px, textWidth } from './scale.js';

export interface GridImage {
  /** A data: URI (image/png or image/jpeg). */
  href: string;
  /** One or two short caption lines under the image. */
  caption: string[];
  /** Caption and frame colour (e.g. green for correct, red for wrong). */
  color?: string;
  /** Tooltip text. */
  tooltip?: string;
}

export interface ImageGridOptions {
  name: string;
  title: string;
  images: GridImage[];
  columns?: number;
  imageSize?: number;
  width?: number;
}

export function imageGrid(o: ImageGridOptions): string {
  const size = o.imageSize ?? 80;
  const captionH = 34;
  const widestCaption = Math.max(0, ...o.images.flatMap((im) => im.caption.map((c) => textWidth(c, 11))));
  const cellW = Math.max(size, widestCaption) + 14;
  const cellH = size + captionH + 10;
  const maxCols = o.width ? Math.max(1, Math.floor(o.width / cellW)) : 8;
  const cols = Math.max(1, Math.min(o.columns ?? maxCols, o.images.length));
  const rows = Math.ceil(o.images.length / cols);
  const width = cols * cellW;
  const height = Math.max(1, rows) * cellH;
  let body = '';
  o.images.forEach((im, i) => {
    const x = (i % cols) * cellW + (cellW - size) / 2;
    const y = Math.floor(i / cols) * cellH + 4;
    const color = im.color ?? '#52606d';
    body += `<g class="face">`;
    if (im.tooltip) body += `<title>${esc(im.tooltip)}</title>`;
    body += `<image href="${esc(im.href)}" x="${px(x)}" y="${px(y)}" width="${size}" height="${size}" preserveAspectRatio="xMidYMid slice" style="image-rendering:pixelated"/>`;
    body += `<rect x="${px(x - 1)}" y="${px(y - 1)}" width="${size + 2}" height="${size + 2}" rx="2" fill="none" stroke="${esc(color)}" stroke-width="2"/>`;
    im.caption.slice(0, 2).forEach((line, k) => {
      body += `<text x="${px(x + size / 2)}" y="${px(y + size + 15 + k * 14)}" text-anchor="middle" font-size="11"${k === 0 ? ` fill="${esc(color)}" font-weight="600"` : ''}>${esc(line)}</text>`;
    });
    body += '</g>';
  });
  return chartSvg(o.name, o.title, width, height, body);
}
