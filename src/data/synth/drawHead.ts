/**
 * Head, neck and the skin's own marks: the outline (jaw drops with the mouth),
 * ears, shading, and the wrinkles that expressions make (forehead lines for
 * raised brows, frown lines for AU4, crow's feet and cheek bulges for AU6,
 * nasolabial folds for smiles and sneers). Age adds faint static lines of the
 * same kinds, so a wrinkle alone is not proof of an expression.
 */
import type { ActionUnits } from './actionUnits.js';
import { type Rgb, hex, mix, scale } from './color.js';
import type { Identity } from './identity.js';
import type { Layout } from './layout.js';
import { num, pt, smoothClosedPath, xy, quadControl, type Point } from './svgPath.js';

export function lineColour(skin: Rgb): string {
  return hex(mix(skin, [45, 22, 15], 0.55));
}

export function faceOutline(id: Identity, lay: Layout): string {
  const fw = lay.faceHalfWidth, jw = lay.jawHalfWidth, top = id.headTop, ey = id.eyeY;
  const my = lay.mouth.centerY;
  const right: Point[] = [
    pt(50 + fw * 0.78, top + 7), pt(50 + fw * 0.97, ey - 14), pt(50 + fw, ey + 4),
    pt(50 + (fw + jw) / 2 + 0.5, (ey + my) / 2 + 5), pt(50 + jw, my + 4), pt(50 + id.chinHalfWidth + 2.5, lay.chinY - 3.5),
  ];
  const left = right.map((p) => pt(100 - p.x, p.y)).reverse();
  return smoothClosedPath([pt(50, top), ...right, pt(50, lay.chinY), ...left]);
}

export function drawNeckAndShirt(id: Identity, lay: Layout, shirt: Rgb): string {
  const nw = lay.jawHalfWidth * 0.62;
  const neck = `<path d="M${num(50 - nw)} ${num(lay.mouth.centerY)}L${num(50 + nw)} ${num(lay.mouth.centerY)}L${num(50 + nw + 3)} 112L${num(50 - nw - 3)} 112Z" fill="${hex(scale(id.skin, 0.78))}"/>`;
  const shirtPath = `<ellipse cx="50" cy="${num(lay.chinY + 24)}" rx="62" ry="18" fill="${hex(shirt)}"/>`;
  return neck + shirtPath;
}

export function drawEars(id: Identity, lay: Layout): string {
  const c = hex(scale(id.skin, 0.9));
  const inner = hex(scale(id.skin, 0.75));
  let s = '';
  for (const side of [-1, 1]) {
    const x = 50 + side * (lay.faceHalfWidth + 0.3);
    s += `<ellipse cx="${num(x)}" cy="${num(id.eyeY + 6)}" rx="4.6" ry="8.5" fill="${c}"/>`;
    s += `<ellipse cx="${num(x + side * 0.8)}" cy="${num(id.eyeY + 6)}" rx="2" ry="5" fill="${inner}" opacity="0.5"/>`;
  }
  return s;
}

/** Face fill plus a radial shade towards the edges (defs id `faceShade` is written by svg.ts). */
export function drawFace(id: Identity, lay: Layout): string {
  const d = faceOutline(id, lay);
  return `<path d="${d}" fill="${hex(id.skin)}"/><path d="${d}" fill="url(#faceShade)"/>`;
}

/** One stroked path (all subpaths share width and opacity: one element is much cheaper for librsvg than several). */
const stroke = (d: string, colour: string, width: number, opacity: number): string =>
  opacity < 0.06 || d === '' ? '' : `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${num(width)}" stroke-linecap="round" stroke-opacity="${num(Math.min(opacity, 1))}"/>`;

export function drawSkinMarks(id: Identity, au: ActionUnits, lay: Layout): string {
  const lc = lineColour(id.skin);
  let s = '';
  // Cheeks: blush that rises and deepens with AU6.
  const blush = hex(mix(id.skin, [215, 70, 70], 0.4));
  let cheeks = '';
  for (const e of lay.eyes) {
    const cx = 50 + e.side * (Math.abs(e.iris.x - 50) + 2), cy = id.eyeY + 13 - 3 * au.cheekRaise;
    const rx = 6.5, ry = 4 + au.cheekRaise;
    cheeks += `M${num(cx - rx)} ${num(cy)}a${rx} ${num(ry)} 0 1 0 ${num(2 * rx)} 0a${rx} ${num(ry)} 0 1 0 ${num(-2 * rx)} 0Z`;
  }
  s += `<path d="${cheeks}" fill="${blush}" fill-opacity="${num(0.12 + 0.4 * au.cheekRaise)}"/>`;
  // Forehead lines: raised brows fold the forehead; AU1 alone folds only the middle.
  const fold = Math.max(au.innerBrowRaise, au.outerBrowRaise);
  const half = 7 + 9 * au.outerBrowRaise;
  let forehead = '';
  for (let k = 0; k < 3; k++) {
    const y = lay.browLine - 6 - 3.2 * k - 2 * fold;
    const a = pt(50 - half, y + 1), b = pt(50 + half, y + 1);
    forehead += `M${xy(a)}Q${xy(quadControl(a, pt(50, y - 0.8), b))} ${xy(b)}`;
  }
  s += stroke(forehead, lc, 0.7, 0.85 * Math.max(0, fold - 0.15) + 0.25 * id.age);
  // Frown lines between the brows (AU4).
  let frown = '';
  for (const side of [-1, 1]) {
    const x = 50 + side * 2.2;
    frown += `M${num(x + side * 0.4)} ${num(lay.browLine - 0.5)}Q${num(x - side * 0.5)} ${num(lay.browLine + 3)} ${num(x)} ${num(lay.browLine + 5.5)}`;
  }
  s += stroke(frown, lc, 0.7, 1.1 * Math.max(0, au.browLower - 0.2) + 0.15 * id.age);
  // Crow's feet and the bulge under the lower lid (AU6; AU7 adds a little).
  let crow = '', bulge = '';
  for (const e of lay.eyes) {
    const ox = e.outer.x + e.side * 1.5, oy = e.outer.y;
    for (const dy of [-1.6, 0.4, 2.2]) crow += `M${num(ox)} ${num(oy + dy * 0.6)}L${num(ox + e.side * 2.8)} ${num(oy + dy)}`;
    const by = e.inner.y + e.lower + 2.2;
    const a = pt(e.inner.x + e.side * 0.5, by - 0.5), b = pt(e.outer.x - e.side * 0.5, by - 0.3);
    bulge += `M${xy(a)}Q${xy(quadControl(a, pt((a.x + b.x) / 2, by + 0.8), b))} ${xy(b)}`;
  }
  s += stroke(crow, lc, 0.5, 0.9 * Math.max(0, au.cheekRaise - 0.15) + 0.25 * id.age);
  s += stroke(bulge, lc, 0.6, 0.9 * au.cheekRaise + 0.4 * au.lidTighten + 0.2 * id.age);
  // Nasolabial folds: deepen with smiles (AU12), sneers (AU10), nose wrinkles and age.
  const naso = 0.3 * id.age + 0.7 * au.lipCornerPull + 0.6 * au.upperLipRaise + 0.35 * au.noseWrinkle + 0.25 * au.cheekRaise;
  const m = lay.mouth;
  let folds = '';
  for (const side of [-1, 1]) {
    const corner = side < 0 ? m.left : m.right;
    const a = pt(50 + side * (lay.noseHalfWidth + 0.8), lay.noseY - 1.8);
    const b = pt(corner.x + side * 2.2, corner.y + 1 + 1.5 * au.jawDrop);
    // Bulges outwards around the cheek, more in a smile.
    const c = pt(50 + side * (lay.noseHalfWidth + 4.5 + 1.2 * au.lipCornerPull), (a.y + b.y) / 2 - 1);
    folds += `M${xy(a)}Q${xy(quadControl(a, c, b))} ${xy(b)}`;
  }
  s += stroke(folds, lc, 0.9, Math.min(naso, 0.85));
  // Chin: AU17 bunches the chin below the lower lip.
  const chinY = m.innerBottom + m.lowerThick + 4.5;
  s += stroke(`M${num(47)} ${num(chinY)}Q50 ${num(chinY + 1.2)} ${num(53)} ${num(chinY)}`, lc, 0.5, 0.15 + 0.7 * au.chinRaise);
  return s;
}
