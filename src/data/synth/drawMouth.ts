/**
 * Mouth: outer lip shape, then (when parted) the dark opening with teeth and
 * tongue clipped inside it, or a lip line when closed. The opening's shape
 * carries the expression: a crescent lifted at the corners (happy), a round
 * "O" (surprise), a wide box with lower teeth (fear), an angular upper lip over
 * the teeth (disgust, snarling anger), a thin pressed line (anger), a pout
 * with corners down (sad).
 */
import type { ActionUnits } from './actionUnits.js';
import { hex, mix } from './color.js';
import type { Identity } from './identity.js';
import type { MouthLayout } from './layout.js';
import { type Point, cubicThrough, num, pt, xy } from './svgPath.js';
import { lineColour } from './drawHead.js';

interface Opening {
  tl: Point; tr: Point; br: Point; bl: Point;
  inset: number;
}

function openingCorners(m: MouthLayout): Opening {
  return {
    tl: pt(m.left.x + 0.8, m.left.y - m.cornerOpen), tr: pt(m.right.x - 0.8, m.right.y - m.cornerOpen),
    br: pt(m.right.x - 0.8, m.right.y + m.cornerOpen), bl: pt(m.left.x + 0.8, m.left.y + m.cornerOpen),
    inset: 0.3 * (1 - Math.min(1, 1.6 * m.roundness)),
  };
}

/**
 * A lens inside the opening: along the top (or bottom) edge and back through
 * `midY`. With the same inset as the edge it stays between the two edges, so
 * teeth and tongue need no clip path (clip paths are slow in librsvg).
 */
function lens(o: Opening, m: MouthLayout, top: boolean, midY: number): string {
  return top
    ? `M${xy(o.tl)}${cubicThrough(o.tl, o.tr, m.innerTop, o.inset)}${cubicThrough(o.tr, o.tl, midY, o.inset)}Z`
    : `M${xy(o.bl)}${cubicThrough(o.bl, o.br, m.innerBottom, o.inset)}${cubicThrough(o.br, o.bl, midY, o.inset)}Z`;
}

export function drawMouth(id: Identity, au: ActionUnits, m: MouthLayout): string {
  const L = m.left, R = m.right;
  const hw = (R.x - L.x) / 2;
  const lipDark = hex(mix(id.lip, [40, 10, 10], 0.45));
  const lc = lineColour(id.skin);
  // Outer lips: upper edge with a cupid's bow, lower edge a single curve.
  const top = m.innerTop - m.upperThick;
  const bw = hw * 0.22;
  const bowL = pt(50 - bw, top - 0.3), bowR = pt(50 + bw, top - 0.3);
  const upper = `M${xy(L)}C${num(L.x + (bowL.x - L.x) * 0.45)} ${num(L.y + (bowL.y - L.y) * 0.85)} ${num(bowL.x - 1.2)} ${num(bowL.y)} ${xy(bowL)}`
    + `Q50 ${num(top + 1)} ${xy(bowR)}C${num(bowR.x + 1.2)} ${num(bowR.y)} ${num(R.x - (R.x - bowR.x) * 0.45)} ${num(R.y + (bowR.y - R.y) * 0.85)} ${xy(R)}`;
  const outerInset = 0.28 * (1 - m.roundness) + 0.04;
  const lips = `${upper}${cubicThrough(R, L, m.innerBottom + m.lowerThick, outerInset)}Z`;
  let body = `<path d="${lips}" fill="${hex(id.lip)}"/>`;
  if (m.open) {
    const o = openingCorners(m);
    const d = `M${xy(o.tl)}${cubicThrough(o.tl, o.tr, m.innerTop, o.inset)}L${xy(o.br)}${cubicThrough(o.br, o.bl, m.innerBottom, o.inset)}Z`;
    const gap = m.innerBottom - m.innerTop;
    body += `<path d="${d}" fill="#2a0f10" stroke="${lipDark}" stroke-width="0.4"/>`;
    if (gap > 3) body += `<path d="${lens(o, m, false, m.innerBottom - Math.min(3, gap * 0.35))}" fill="#a8454c"/>`;
    if (m.upperTeeth > 0.3) body += `<path d="${lens(o, m, true, m.innerTop + m.upperTeeth)}" fill="#eeeae0"/>`;
    if (m.lowerTeeth > 0.3) body += `<path d="${lens(o, m, false, m.innerBottom - m.lowerTeeth)}" fill="#e4dfd2"/>`;
  } else {
    // Closed: the lips' meeting line; pressed lips make it darker and straighter.
    body += `<path d="M${xy(L)}${cubicThrough(L, R, m.centerY, 0.3)}" fill="none" stroke="${lipDark}" stroke-width="${num(0.6 + 0.5 * au.lipPress)}" stroke-linecap="round"/>`;
  }
  // Corner marks (both corners in one path each): smile brackets curve up (AU12), AU15 pulls short lines down, AU24 bulges the corners.
  let up = '', down = '', press = '';
  for (const [c, side] of [[L, -1], [R, 1]] as const) {
    up += `M${num(c.x + side * 0.8)} ${num(c.y + 1.2)}Q${num(c.x + side * 2)} ${num(c.y)} ${num(c.x + side * 1.3)} ${num(c.y - 1.6)}`;
    down += `M${num(c.x + side * 0.4)} ${num(c.y + 0.5)}L${num(c.x + side * 1.4)} ${num(c.y + 3.2)}`;
    press += `M${num(c.x + side * 0.6 - 0.9)} ${num(c.y)}a0.9 0.9 0 1 0 1.8 0a0.9 0.9 0 1 0 -1.8 0Z`;
  }
  if (au.lipCornerPull > 0.15) body += `<path d="${up}" fill="none" stroke="${lc}" stroke-width="0.45" stroke-opacity="${num(Math.min(1, au.lipCornerPull))}"/>`;
  if (au.lipCornerDepress > 0.2) body += `<path d="${down}" fill="none" stroke="${lc}" stroke-width="0.45" stroke-opacity="${num(Math.min(1, au.lipCornerDepress))}"/>`;
  if (au.lipPress > 0.25) body += `<path d="${press}" fill="${lc}" fill-opacity="${num(0.5 * au.lipPress)}"/>`;
  return body;
}
