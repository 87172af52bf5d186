/** Glasses (clear or sunglasses, which hide the eyes) and facial hair (beard, moustache, stubble). */
import { hex, scale } from './color.js';
import type { Identity } from './identity.js';
import type { Layout } from './layout.js';
import { num, pt, smoothClosedPath, xy, type Point } from './svgPath.js';

export function drawGlasses(id: Identity, lay: Layout): string {
  if (!id.glasses) return '';
  const frame = hex(id.glassesColor);
  const fill = id.glasses === 'sun' ? 'fill="#141414" fill-opacity="0.88"' : 'fill="#ffffff" fill-opacity="0.08"';
  const w = id.eyeHalfWidth + 2.4, h = id.eyeOpen + 3.2;
  let s = '';
  const ends: number[] = [];
  for (const side of [-1, 1]) {
    const cx = 50 + side * id.eyeSpacing, cy = id.eyeY + 0.5;
    if (id.glasses === 'round') s += `<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(w)}" ${fill} stroke="${frame}" stroke-width="0.9"/>`;
    else s += `<rect x="${num(cx - w)}" y="${num(cy - h)}" width="${num(2 * w)}" height="${num(2 * h)}" rx="2.2" ${fill} stroke="${frame}" stroke-width="1.1"/>`;
    ends.push(cx - side * w, cx + side * w);
    // Temple arm towards the ear.
    s += `<path d="M${num(cx + side * w)} ${num(cy - 1)}L${num(50 + side * (lay.faceHalfWidth + 1))} ${num(cy - 2)}" stroke="${frame}" stroke-width="0.9"/>`;
  }
  s += `<path d="M${num(ends[0])} ${num(id.eyeY)}Q50 ${num(id.eyeY - 2.5)} ${num(ends[2])} ${num(id.eyeY)}" fill="none" stroke="${frame}" stroke-width="0.9"/>`;
  return s;
}

/** Beard and stubble go under the mouth (lips stay visible); the moustache goes over it. */
export function drawBeard(id: Identity, lay: Layout): string {
  if (id.facialHair !== 'beard' && id.facialHair !== 'stubble') return '';
  const m = lay.mouth, fw = lay.faceHalfWidth, jw = lay.jawHalfWidth;
  // Outer edge: sideburn, jaw, chin (right side, mirrored for the left).
  const outer: Point[] = [pt(50 + fw - 0.5, id.eyeY + 8), pt(50 + jw + 0.5, m.centerY + 4), pt(50 + id.chinHalfWidth + 3, lay.chinY - 3)];
  const mirror = (p: Point): Point => pt(100 - p.x, p.y);
  // Upper edge over the cheeks: from each sideburn down to the mouth corner, over the upper lip.
  const upperLip = m.innerTop - m.upperThick - 2.5;
  const pts: Point[] = [
    ...outer, pt(50, lay.chinY + 1.5), ...outer.map(mirror).reverse(),
    pt(50 - fw + 4.5, id.eyeY + 11), pt(m.left.x - 2.5, m.left.y - 3), pt(50, upperLip), pt(m.right.x + 2.5, m.right.y - 3),
    pt(50 + fw - 4.5, id.eyeY + 11),
  ];
  const opacity = id.facialHair === 'stubble' ? 0.28 : 0.92;
  return `<path d="${smoothClosedPath(pts, 0.5)}" fill="${hex(scale(id.hair, 0.9))}" fill-opacity="${opacity}"/>`;
}

export function drawMoustache(id: Identity, lay: Layout): string {
  if (id.facialHair !== 'moustache' && id.facialHair !== 'beard') return '';
  const m = lay.mouth;
  const y = m.innerTop - m.upperThick - 0.6;
  const l = pt(m.left.x - 1.5, m.left.y + 1.5), r = pt(m.right.x + 1.5, m.right.y + 1.5);
  const d = `M${xy(l)}Q${num(50 - 4)} ${num(y - 0.5)} 50 ${num(y - 0.2)}Q${num(50 + 4)} ${num(y - 0.5)} ${xy(r)}`
    + `Q${num(50 + 6)} ${num(y - 4.5)} 50 ${num(y - 3.8)}Q${num(50 - 6)} ${num(y - 4.5)} ${xy(l)}Z`;
  return `<path d="${d}" fill="${hex(scale(id.hair, 0.9))}"/>`;
}
