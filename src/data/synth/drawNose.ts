/** Nose: nostrils, wings and a bridge line; AU9 lifts and flares it and wrinkles the bridge. */
import type { ActionUnits } from './actionUnits.js';
import { hex, mix, scale } from './color.js';
import type { Identity } from './identity.js';
import type { Layout } from './layout.js';
import { num } from './svgPath.js';
import { lineColour } from './drawHead.js';

export function drawNose(id: Identity, au: ActionUnits, lay: Layout): string {
  const y = lay.noseY, w = lay.noseHalfWidth;
  const lc = lineColour(id.skin);
  const dark = hex(mix(id.skin, [30, 10, 10], 0.7));
  let s = '';
  // Tip highlight and a shadow line along one side of the bridge.
  s += `<ellipse cx="50" cy="${num(y - 1.8)}" rx="${num(w * 0.45)}" ry="2.6" fill="${hex(scale(id.skin, 1.12))}" opacity="0.45"/>`;
  s += `<path d="M${num(47.6)} ${num(id.eyeY + 1)}Q${num(47.2)} ${num((id.eyeY + y) / 2)} ${num(50 - w * 0.55)} ${num(y - 3)}" fill="none" stroke="${lc}" stroke-width="0.5" opacity="0.3"/>`;
  let nostrils = '', wings = '';
  const rx = 1.3 + 0.3 * au.noseWrinkle;
  for (const side of [-1, 1]) {
    const nx = 50 + side * w * 0.42;
    nostrils += `M${num(nx - rx)} ${num(y + 0.4 - side * 0.3)}a${num(rx)} 0.8 ${side * 20} 1 0 ${num(2 * rx)} ${num(side * 0.6)}a${num(rx)} 0.8 ${side * 20} 1 0 ${num(-2 * rx)} ${num(-side * 0.6)}Z`;
    // The wing (ala) around each nostril.
    wings += `M${num(50 + side * w * 0.15)} ${num(y + 1.7)}Q${num(50 + side * (w + 0.6))} ${num(y + 1.6)} ${num(50 + side * w * 0.85)} ${num(y - 2.8)}`;
  }
  s += `<path d="${nostrils}" fill="${dark}"/><path d="${wings}" fill="none" stroke="${lc}" stroke-width="0.6" stroke-opacity="0.55"/>`;
  // AU9: short horizontal wrinkles across the bridge and diagonal "bunny lines".
  if (au.noseWrinkle > 0.12) {
    let d = '';
    for (let k = 0; k < 3; k++) {
      const wy = id.eyeY + 1.5 + k * 2.2;
      d += `M${num(47)} ${num(wy)}Q50 ${num(wy - 1)} ${num(53)} ${num(wy)}`;
    }
    for (const side of [-1, 1]) d += `M${num(50 + side * 3)} ${num(id.eyeY + 2)}L${num(50 + side * 5.5)} ${num(id.eyeY + 7)}`;
    s += `<path d="${d}" fill="none" stroke="${lc}" stroke-width="0.65" stroke-opacity="${num(Math.min(1, 1.2 * (au.noseWrinkle - 0.1)))}"/>`;
  }
  return s;
}
