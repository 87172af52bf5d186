/**
 * Cartoon faces for the sample report (a test fixture): a face with eyes,
 * brows and a mouth whose shape follows the expression. Drawn with signed
 * distances and a little anti-aliasing; nothing here is meant for training.
 */
import { mulberry32 } from '../../src/eval/tsne.js';

type Rgb = [number, number, number];

/** Mouth curvature, openness, brow tilt, brow raise, eye size by canonical class name. */
const EXPRESSION: Record<string, { curve: number; open: number; browTilt: number; browRaise: number; eye: number }> = {
  neutral: { curve: 0, open: 0, browTilt: 0, browRaise: 0, eye: 1 },
  happy: { curve: 0.9, open: 0.25, browTilt: 0, browRaise: 0.1, eye: 0.85 },
  sad: { curve: -0.7, open: 0, browTilt: -0.5, browRaise: 0.1, eye: 0.95 },
  surprise: { curve: 0, open: 1, browTilt: 0, browRaise: 0.7, eye: 1.35 },
  fear: { curve: -0.3, open: 0.6, browTilt: -0.6, browRaise: 0.5, eye: 1.3 },
  disgust: { curve: -0.5, open: 0.15, browTilt: 0.4, browRaise: -0.2, eye: 0.75 },
  anger: { curve: -0.25, open: 0.1, browTilt: 0.8, browRaise: -0.3, eye: 0.9 },
  contempt: { curve: 0.35, open: 0, browTilt: 0.2, browRaise: 0, eye: 0.9 },
};

const SKINS: Rgb[] = [[241, 204, 170], [224, 172, 130], [198, 134, 96], [141, 93, 62], [250, 220, 196]];
const HAIR: Rgb[] = [[40, 30, 25], [90, 60, 35], [160, 120, 70], [30, 30, 30], [120, 80, 50]];

/** Coverage of a shape whose signed distance is `d` (negative inside), with a 1-px soft edge. */
function cover(d: number): number {
  return Math.min(1, Math.max(0, 0.5 - d));
}

/** One face, size × size RGB, for an expression name, varied by `seed` (skin, hair, pose, lighting). */
export function drawFace(expression: string, size: number, seed: number): Uint8Array {
  const rand = mulberry32(seed * 7919 + 13);
  const e = EXPRESSION[expression] ?? EXPRESSION.neutral!;
  const skin = SKINS[Math.floor(rand() * SKINS.length)]!;
  const hair = HAIR[Math.floor(rand() * HAIR.length)]!;
  const bg: Rgb = [200 + rand() * 40, 205 + rand() * 35, 210 + rand() * 30].map(Math.round) as Rgb;
  const s = size / 64;
  const cx = 32 + (rand() - 0.5) * 4;
  const cy = 34 + (rand() - 0.5) * 3;
  const rx = 19 + rand() * 3;
  const ry = 24 + rand() * 2;
  const light = 0.9 + rand() * 0.2;
  const out = new Uint8Array(size * size * 3);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / s;
      const y = (py + 0.5) / s;
      let col: Rgb = [...bg];
      const paint = (c: Rgb, a: number): void => {
        if (a <= 0) return;
        col = [col[0] + (c[0] - col[0]) * a, col[1] + (c[1] - col[1]) * a, col[2] + (c[2] - col[2]) * a];
      };
      // hair behind the head, then the head
      const hd = Math.hypot((x - cx) / (rx + 3), (y - cy + 4) / (ry + 2)) - 1;
      paint(hair, cover(hd * 20) * (y < cy + 6 ? 1 : 0));
      const fd = Math.hypot((x - cx) / rx, (y - cy) / ry) - 1;
      const shade = 1 - 0.18 * Math.max(0, (x - cx) / rx);
      paint([skin[0] * shade * light, skin[1] * shade * light, skin[2] * shade * light], cover(fd * 20));
      // fringe
      paint(hair, cover((y - (cy - ry * 0.62 + Math.sin((x - cx) * 0.35) * 1.5)) * 1.5) * cover(fd * 20));
      // eyes: whites and pupils
      for (const side of [-1, 1]) {
        const ex = cx + side * 7.5;
        const ey = cy - 4;
        const ew = 3.6 * e.eye;
        const eh = 2.2 * e.eye;
        paint([250, 250, 250], cover((Math.hypot((x - ex) / ew, (y - ey) / eh) - 1) * 3));
        paint([35, 30, 30], cover((Math.hypot(x - ex, y - ey) - 1.5 * Math.min(1.2, e.eye)) * 2));
        // brow: a short tilted bar; inner end lower when tilt > 0 (anger), higher when < 0 (sadness)
        const bx = x - ex;
        const towardCentre = (-side * bx) / 4; // +1 at the inner end of the brow
        const by0 = ey - 5.5 - e.browRaise * 3 + e.browTilt * 1.8 * towardCentre;
        const bd = Math.max(Math.abs(bx) - 4, Math.abs(y - by0) - 0.9);
        paint([hair[0] * 0.8, hair[1] * 0.8, hair[2] * 0.8], cover(bd * 1.5));
      }
      // nose
      paint([skin[0] * 0.8, skin[1] * 0.75, skin[2] * 0.72], cover((Math.hypot((x - cx) / 1.6, (y - cy - 3) / 3) - 1) * 2) * 0.6);
      // mouth: a parabola through the corners, thickened; open mouths are a dark ellipse
      const mx = cx;
      const my = cy + 11;
      const dx = x - mx;
      const w = 8 - e.open * 2;
      if (Math.abs(dx) < w + 1) {
        const curveY = my + e.curve * (1 - (dx * dx) / (w * w)) * 3.2; // curve > 0: centre lower than corners, a smile
        if (e.open > 0.3) {
          const oh = 1.2 + e.open * 3.2;
          const od = Math.hypot(dx / (w * 0.75), (y - curveY) / oh) - 1;
          paint([90, 25, 35], cover(od * 3));
        } else {
          const lipD = Math.max(Math.abs(y - curveY) - 0.9 - e.open * 2, Math.abs(dx) - w);
          paint([160, 60, 70], cover(lipD * 1.5));
        }
      }
      const o = (py * size + px) * 3;
      out[o] = Math.round(Math.min(255, col[0]));
      out[o + 1] = Math.round(Math.min(255, col[1]));
      out[o + 2] = Math.round(Math.min(255, col[2]));
    }
  }
  return out;
}
