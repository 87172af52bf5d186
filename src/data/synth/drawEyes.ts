/**
 * Eyes: an almond of sclera between two lids, the iris clipped by them. The
 * iris is sized so the relaxed upper lid covers its top; AU5 lifts the lid
 * and white shows above the iris (surprise, fear), AU6/AU7 push the lower lid
 * up (happy, anger, disgust), AU43 lets the upper lid droop (sad).
 */
import { type Rgb, hex, mix } from './color.js';
import type { Identity } from './identity.js';
import type { EyeLayout } from './layout.js';
import { cubicThrough, num, pt, xy } from './svgPath.js';
import { lineColour } from './drawHead.js';

/**
 * No clip paths (librsvg renders each through an offscreen mask, which cost
 * ~15% of a face): the iris is drawn whole and two skin-coloured "lid covers"
 * hide what lies outside the lids.
 */
export function drawEyes(id: Identity, eyes: readonly EyeLayout[]): string {
  let body = '';
  const lc = lineColour(id.skin);
  const skin = hex(id.skin);
  const sclera: Rgb = mix([245, 242, 236], id.skin, 0.12);
  let creases = '';
  let lowerLids = '';
  for (const e of eyes) {
    const midY = (e.inner.y + e.outer.y) / 2;
    const upperEdge = cubicThrough(e.inner, e.outer, midY - e.upper, 0.18);
    const lowerEdge = cubicThrough(e.outer, e.inner, midY + e.lower, 0.25);
    const reach = e.irisR + 2;
    body += `<path d="M${xy(e.inner)}${upperEdge}${lowerEdge}Z" fill="${hex(sclera)}"/>`
      + `<circle cx="${num(e.iris.x)}" cy="${num(e.iris.y)}" r="${num(e.irisR)}" fill="${hex(id.iris)}"/>`
      + `<circle cx="${num(e.iris.x)}" cy="${num(e.iris.y)}" r="${num(e.irisR * 0.45)}" fill="#0b0808"/>`
      + `<circle cx="${num(e.iris.x + e.irisR * 0.35)}" cy="${num(e.iris.y - e.irisR * 0.35)}" r="${num(e.irisR * 0.22)}" fill="#ffffff" fill-opacity="0.8"/>`;
    // Lid covers: skin from each lid edge out past the iris.
    const ie = pt(e.inner.x - e.side * 0.3, e.inner.y), oe = pt(e.outer.x + e.side * 0.3, e.outer.y);
    body += `<path d="M${xy(ie)}${cubicThrough(ie, oe, midY - e.upper, 0.18)}${cubicThrough(oe, ie, midY - e.upper - reach, 0.1)}Z`
      + `M${xy(oe)}${cubicThrough(oe, ie, midY + e.lower, 0.25)}${cubicThrough(ie, oe, midY + e.lower + reach, 0.1)}Z" fill="${skin}"/>`;
    // Upper lid line with lashes; thin lower lid; the crease rides above the lid, flattened as it lifts.
    body += `<path d="M${xy(e.inner)}${upperEdge}" fill="none" stroke="#1d1412" stroke-width="0.9" stroke-linecap="round"/>`;
    lowerLids += `M${xy(e.outer)}${lowerEdge}`;
    const ci = pt(e.inner.x + e.side * 1, e.inner.y - 1.4), co = pt(e.outer.x + e.side * 0.3, e.outer.y - 1.6);
    creases += `M${xy(ci)}${cubicThrough(ci, co, midY - e.upper - 2.1, 0.25)}`;
  }
  body += `<path d="${lowerLids}" fill="none" stroke="${lc}" stroke-width="0.4" stroke-opacity="0.7"/>`;
  body += `<path d="${creases}" fill="none" stroke="${lc}" stroke-width="0.45" stroke-opacity="0.45"/>`;
  return body;
}
