/** Brows: a tapered band from the thick inner end to the thin outer end. */
import { hex } from './color.js';
import type { Identity } from './identity.js';
import type { BrowLayout } from './layout.js';
import { pt, quadControl, xy } from './svgPath.js';

export function drawBrows(id: Identity, brows: readonly BrowLayout[]): string {
  let s = '';
  for (const b of brows) {
    const t = b.thick;
    const it = pt(b.inner.x, b.inner.y - t / 2), ib = pt(b.inner.x, b.inner.y + t / 2);
    const o = b.outer;
    const topC = quadControl(it, pt(b.mid.x, b.mid.y - t * 0.42), o);
    const botC = quadControl(o, pt(b.mid.x, b.mid.y + t * 0.42), ib);
    s += `<path d="M${xy(it)}Q${xy(topC)} ${xy(o)}Q${xy(botC)} ${xy(ib)}Z" fill="${hex(id.brow)}"/>`;
  }
  return s;
}
