/**
 * `predict --annotate`: the photo with each face's box, label and probability
 * drawn on it (an SVG overlay composited by sharp), for looking at results.
 * Written at most ANNOTATE_MAX_SIDE px on the longer side — enough to read the
 * labels, and a 6000 px photo stays a reasonable file.
 */
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import type { FaceResult } from './predictImages.js';

export const ANNOTATE_MAX_SIDE = 2048;

/** Box colours, one per class index (cycled), readable on photos. */
const COLOURS = ['#ffd400', '#00e5ff', '#ff4081', '#76ff03', '#ff9100', '#b388ff', '#ffffff', '#1de9b6'];

/**
 * Writes `file` annotated with `faces` (file coordinates) to `out`; `.png`
 * gives a PNG, anything else a JPEG. `classes` picks each label's colour.
 */
export async function annotatePhoto(file: string, faces: readonly FaceResult[], out: string, classes: readonly string[]): Promise<void> {
  let image = sharp(file, { failOn: 'truncated' }).rotate();
  const meta = await sharp(file).metadata();
  const fw = meta.autoOrient?.width ?? meta.width ?? 0, fh = meta.autoOrient?.height ?? meta.height ?? 0;
  const k = Math.min(1, ANNOTATE_MAX_SIDE / Math.max(fw, fh));
  const w = Math.max(1, Math.round(fw * k)), h = Math.max(1, Math.round(fh * k));
  if (k < 1) image = image.resize(w, h, { fit: 'fill' });
  const svg = overlaySvg(faces.map((f) => scaleFace(f, k)), w, h, classes);
  image = image.flatten({ background: { r: 0, g: 0, b: 0 } }).composite([{ input: Buffer.from(svg), left: 0, top: 0 }]);
  await (extname(out).toLowerCase() === '.png' ? image.png() : image.jpeg({ quality: 90 })).toFile(out);
}

/** OUTDIR/<name>.png for PNG inputs, OUTDIR/<name>.jpg otherwise; `taken` avoids two inputs with one name overwriting each other. */
export function annotatedPath(file: string, outDir: string, taken: Set<string>): string {
  const ext = extname(file).toLowerCase() === '.png' ? '.png' : '.jpg';
  const stem = basename(file, extname(file)) || 'image';
  let name = `${stem}${ext}`;
  for (let i = 2; taken.has(name); i++) name = `${stem}-${i}${ext}`;
  taken.add(name);
  return join(outDir, name);
}

function scaleFace(f: FaceResult, k: number): FaceResult {
  const s = (p: [number, number]): [number, number] => [p[0] * k, p[1] * k];
  return { ...f, box: { x: f.box.x * k, y: f.box.y * k, width: f.box.width * k, height: f.box.height * k }, eyeLeft: s(f.eyeLeft), eyeRight: s(f.eyeRight), mouth: s(f.mouth) };
}

export function overlaySvg(faces: readonly FaceResult[], w: number, h: number, classes: readonly string[]): string {
  const line = Math.max(2, Math.round(Math.max(w, h) / 500));
  const parts = faces.map((f) => {
    const colour = COLOURS[Math.max(0, classes.indexOf(f.label)) % COLOURS.length]!;
    const { x, y, width, height } = f.box;
    const font = Math.max(12, Math.round(Math.min(width / 5, 40)));
    const text = `${f.index}: ${f.label} ${(f.probability * 100).toFixed(0)}%`;
    const tw = Math.ceil(text.length * font * 0.6) + 8, th = font + 8;
    // Label above the box, or inside its top when the box touches the top edge.
    const ty = y - th >= 0 ? y - th : y;
    const dots = [f.eyeLeft, f.eyeRight, f.mouth].map((p) => `<circle cx="${n(p[0])}" cy="${n(p[1])}" r="${line * 1.5}" fill="${colour}"/>`).join('');
    return `<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" fill="none" stroke="${colour}" stroke-width="${line}"/>`
      + `<rect x="${n(x)}" y="${n(ty)}" width="${tw}" height="${th}" fill="#000" fill-opacity="0.65"/>`
      + `<text x="${n(x + 4)}" y="${n(ty + th - 6)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${font}" fill="${colour}">${escapeXml(text)}</text>`
      + dots;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`;
}

function n(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
