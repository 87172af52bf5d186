/** Occluders drawn over the face: a patch, a hand, a surgical mask or a bar. */
import { hex, mix, scale } from './color.js';
import type { Identity } from './identity.js';
import type { Layout } from './layout.js';
import type { Occlusion } from './scene.js';
import { num, pt, smoothClosedPath, type Point } from './svgPath.js';

export function drawOcclusion(o: Occlusion | null, id: Identity, lay: Layout): string {
  if (!o) return '';
  const c = hex(o.color);
  switch (o.kind) {
    case 'patch':
    case 'bar':
      return `<rect x="${num(o.x - o.w / 2)}" y="${num(o.y - o.h / 2)}" width="${num(o.w)}" height="${num(o.h)}" rx="${o.kind === 'patch' ? 3 : 1}" fill="${c}" transform="rotate(${num(o.angle)} ${num(o.x)} ${num(o.y)})"/>`;
    case 'hand': {
      // A palm and four fingers pointing up-ish, outlined so it reads as a hand.
      const edge = hex(scale(o.color, 0.72));
      const r = o.w;
      let s = `<g transform="rotate(${num(o.angle)} ${num(o.x)} ${num(o.y)})" stroke="${edge}" stroke-width="0.5">`;
      for (let k = 0; k < 4; k++) {
        const fx = o.x - r * 0.75 + k * r * 0.5;
        const len = r * (1.25 + 0.25 * (k === 1 || k === 2 ? 1 : 0));
        s += `<rect x="${num(fx - r * 0.22)}" y="${num(o.y - r * 0.6 - len)}" width="${num(r * 0.44)}" height="${num(len + r * 0.5)}" rx="${num(r * 0.22)}" fill="${c}"/>`;
      }
      s += `<ellipse cx="${num(o.x)}" cy="${num(o.y)}" rx="${num(r)}" ry="${num(r * 0.9)}" fill="${c}"/></g>`;
      return s;
    }
    case 'mask': {
      const fw = lay.faceHalfWidth, jw = lay.jawHalfWidth, m = lay.mouth;
      const right: Point[] = [pt(50 + fw - 1, lay.noseY - 3), pt(50 + jw + 1, m.centerY + 3), pt(50 + id.chinHalfWidth + 3, lay.chinY - 2)];
      const pts = [pt(50, lay.noseY - 7), ...right, pt(50, lay.chinY + 1.5), ...right.map((p) => pt(100 - p.x, p.y)).reverse()];
      const fold = hex(mix(o.color, [0, 0, 0], 0.2));
      let s = `<path d="${smoothClosedPath(pts)}" fill="${c}"/>`;
      for (const dy of [3, 8, 13]) {
        s += `<path d="M${num(50 - jw + 2)} ${num(lay.noseY + dy)}Q50 ${num(lay.noseY + dy + 1.5)} ${num(50 + jw - 2)} ${num(lay.noseY + dy)}" fill="none" stroke="${fold}" stroke-width="0.5"/>`;
      }
      return s;
    }
  }
}
