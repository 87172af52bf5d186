/**
 * Hair in two layers: what falls behind the head (long hair) and the cap in
 * front of the forehead. Bangs may hang over the brows, which hides the brow
 * cues on purpose (as real fringes do).
 */
import { hex, mix, scale } from './color.js';
import type { Identity } from './identity.js';
import type { Layout } from './layout.js';
import { type Point, curveThrough, num, pt, smoothClosedPath, smoothOpenPath, xy } from './svgPath.js';

const hasLongBack = (id: Identity): boolean =>
  id.hairStyle === 'long' || ((id.hairStyle === 'bangs' || id.hairStyle === 'curly') && id.hairline > 21);

export function drawHairBack(id: Identity, lay: Layout): string {
  if (!hasLongBack(id)) return '';
  const fw = lay.faceHalfWidth, top = id.headTop, ey = id.eyeY;
  const right: Point[] = [pt(50 + fw * 0.95, top + 2), pt(50 + fw + 5, ey - 4), pt(50 + fw + 7, 78), pt(50 + fw + 10, 112)];
  const left = right.map((p) => pt(100 - p.x, p.y)).reverse();
  return `<path d="${smoothClosedPath([pt(50, top - 6), ...right, ...left])}" fill="${hex(scale(id.hair, 0.85))}"/>`;
}

/** The part of the skull the cap covers: from one temple over the top to the other. */
function capArc(id: Identity, lay: Layout): { arc: string; rightTemple: Point; leftTemple: Point } {
  const fw = lay.faceHalfWidth, top = id.headTop;
  const leftTemple = pt(50 - fw - 0.8, id.eyeY - 7);
  const rightTemple = pt(50 + fw + 0.8, id.eyeY - 7);
  const arc = smoothOpenPath([leftTemple, pt(50 - fw * 0.92, top + 3), pt(50, top - 4), pt(50 + fw * 0.92, top + 3), rightTemple]);
  return { arc, rightTemple, leftTemple };
}

export function drawHairFront(id: Identity, lay: Layout): string {
  const fw = lay.faceHalfWidth;
  const colour = hex(id.hair);
  const hairlineY = lay.browLine - id.hairline;
  const side = id.mouthAsym >= 0 ? 1 : -1;
  const { arc, leftTemple } = capArc(id, lay);
  let hairline: Point[];
  switch (id.hairStyle) {
    case 'bald': {
      // Only a little hair above the ears.
      let s = '';
      for (const sd of [-1, 1]) {
        s += `<ellipse cx="${num(50 + sd * (fw + 0.5))}" cy="${num(id.eyeY - 4)}" rx="3" ry="7" fill="${colour}" opacity="0.8"/>`;
      }
      return s;
    }
    case 'bangs': {
      // A fringe whose jagged edge ends near (or over) the brows.
      const y = lay.browLine + id.fringe;
      const pts: Point[] = [pt(50 + fw + 0.8, y - 6)];
      const n = 11;
      for (let k = 0; k <= n; k++) {
        const x = 50 + fw * 0.92 - (2 * fw * 0.92 * k) / n;
        const edge = y + (k % 2 === 0 ? 1.2 : -0.8) - 2.5 * Math.pow(Math.abs(x - 50) / fw, 2);
        pts.push(pt(x, edge));
      }
      pts.push(pt(50 - fw - 0.8, y - 6));
      return `<path d="${arc}${pts.map((p) => 'L' + xy(p)).join('')}L${xy(leftTemple)}Z" fill="${colour}"/>` + strands(id, lay, y);
    }
    case 'sidePart':
      // Swept from a side parting across the forehead, lower on the far side.
      hairline = [
        pt(50 + side * (fw + 0.8), id.eyeY - 7), pt(50 + side * fw * 0.75, hairlineY + 3), pt(50 + side * 10, hairlineY - 1),
        pt(50 - side * fw * 0.35, lay.browLine + id.fringe * 0.8 - 3), pt(50 - side * (fw + 0.8), id.eyeY - 7),
      ];
      if (side < 0) hairline.reverse();
      break;
    case 'long':
      hairline = [
        pt(50 + fw + 0.8, id.eyeY - 7), pt(50 + fw * 0.7, hairlineY + 4), pt(50 + 3, hairlineY), pt(50 - 3, hairlineY),
        pt(50 - fw * 0.7, hairlineY + 4), pt(50 - fw - 0.8, id.eyeY - 7),
      ];
      break;
    default:
      hairline = [
        pt(50 + fw + 0.8, id.eyeY - 7), pt(50 + fw * 0.85, hairlineY + 5), pt(50 + fw * 0.4, hairlineY + 1), pt(50, hairlineY),
        pt(50 - fw * 0.4, hairlineY + 1), pt(50 - fw * 0.85, hairlineY + 5), pt(50 - fw - 0.8, id.eyeY - 7),
      ];
  }
  const opacity = id.hairStyle === 'buzz' ? ' opacity="0.6"' : '';
  let s = `<path d="${arc}${curveThrough(hairline)}Z" fill="${colour}"${opacity}/>`;
  if (id.hairStyle === 'long') {
    // Curtains over the sides of the face.
    for (const sd of [-1, 1]) {
      const c: Point[] = [pt(50 + sd * (fw + 1), id.eyeY - 9), pt(50 + sd * (fw - 4.5), id.eyeY + 8), pt(50 + sd * (fw - 3), 88),
        pt(50 + sd * (fw + 6), 110), pt(50 + sd * (fw + 9), id.eyeY + 10)];
      s += `<path d="${smoothClosedPath(c)}" fill="${colour}"/>`;
    }
  }
  if (id.hairStyle === 'curly') {
    // Curls: circles along the cap's edge, one path.
    let curls = '';
    for (let k = 0; k <= 14; k++) {
      const a = Math.PI * (k / 14);
      const x = 50 - Math.cos(a) * (fw + 1), y = hairlineY + 8 - Math.sin(a) * (hairlineY + 8 - id.headTop + 2);
      const r = 4 + (k % 3);
      curls += `M${num(x - r)} ${num(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;
    }
    s += `<path d="${curls}" fill="${colour}"/>`;
  }
  if (id.hairStyle !== 'buzz') s += strands(id, lay, hairlineY);
  return s;
}

/** A few lighter strands so the hair is not a flat blob. */
function strands(id: Identity, lay: Layout, bottom: number): string {
  const c = hex(mix(id.hair, [255, 255, 255], 0.18));
  let d = '';
  for (let k = -2; k <= 2; k++) {
    const x0 = 50 + k * lay.faceHalfWidth * 0.3;
    d += `M${num(x0)} ${num(id.headTop + 2)}Q${num(x0 + 4)} ${num((id.headTop + bottom) / 2)} ${num(x0 + k * 2)} ${num(bottom - 1)}`;
  }
  const s = `<path d="${d}" fill="none" stroke="${c}" stroke-width="0.5" stroke-opacity="0.35"/>`;
  return s;
}
