/**
 * Where every facial feature sits for given identity + action units, in the
 * canonical 100×100 frame. This is the "rig": all expression geometry lives
 * here, the draw* files only turn these numbers into shapes.
 */
import type { ActionUnits } from './actionUnits.js';
import type { Identity } from './identity.js';
import { type Point, pt } from './svgPath.js';

export interface EyeLayout {
  /** -1 for the eye on the image's left, +1 for the right. */
  side: -1 | 1;
  inner: Point;
  outer: Point;
  /** Apex height of the upper lid above the corner line, and depth of the lower lid below it. */
  upper: number;
  lower: number;
  iris: Point;
  irisR: number;
}

export interface BrowLayout {
  side: -1 | 1;
  inner: Point;
  mid: Point;
  outer: Point;
  thick: number;
}

export interface MouthLayout {
  left: Point;
  right: Point;
  /** Lips' meeting line at the centre (closed mouth). */
  centerY: number;
  /** Inner edges of the opening at the centre; equal to centerY when closed. */
  innerTop: number;
  innerBottom: number;
  /** Half-height of the opening at the corners: > 0 makes a square-ish stretched mouth. */
  cornerOpen: number;
  /** 0 = lens-shaped opening, 1 = round "O". */
  roundness: number;
  upperThick: number;
  lowerThick: number;
  upperTeeth: number;
  lowerTeeth: number;
  open: boolean;
}

export interface Layout {
  faceHalfWidth: number;
  jawHalfWidth: number;
  chinY: number;
  eyes: [EyeLayout, EyeLayout];
  brows: [BrowLayout, BrowLayout];
  browLine: number;
  noseY: number;
  noseHalfWidth: number;
  mouth: MouthLayout;
}

export function computeLayout(id: Identity, au: ActionUnits): Layout {
  const sides: Array<-1 | 1> = [-1, 1];
  const eyes = sides.map((side): EyeLayout => {
    const cx = 50 + side * id.eyeSpacing;
    const upper = Math.max(0.45, id.eyeOpen * (1 + 0.9 * au.upperLidRaise - 0.35 * au.lidTighten - 0.3 * au.cheekRaise
      - 0.6 * au.lidDroop - 0.2 * au.noseWrinkle - 0.12 * au.browLower));
    const lower = Math.max(0.3, id.eyeOpen * 0.62 * (1 + 0.3 * au.upperLidRaise - 0.6 * au.lidTighten - 0.6 * au.cheekRaise
      - 0.3 * au.noseWrinkle));
    return {
      side,
      inner: pt(cx - side * id.eyeHalfWidth, id.eyeY),
      outer: pt(cx + side * id.eyeHalfWidth, id.eyeY + id.eyeTilt),
      upper,
      lower,
      iris: pt(cx, id.eyeY + 0.3 + id.eyeTilt / 2),
      irisR: Math.min(id.eyeOpen * 0.92, id.eyeHalfWidth * 0.55),
    };
  }) as [EyeLayout, EyeLayout];

  const browBase = id.eyeY - id.browGap + id.restBrow;
  const brows = sides.map((side): BrowLayout => {
    const innerY = browBase + 3.6 * au.browLower - 5.2 * au.innerBrowRaise - 1.2 * au.outerBrowRaise + 0.8 * au.noseWrinkle;
    const outerY = browBase + 0.6 + 1.2 * au.browLower - 4.8 * au.outerBrowRaise - 0.8 * au.innerBrowRaise;
    const midY = browBase - id.browArch + 2.2 * au.browLower - 2.4 * au.outerBrowRaise - 2.6 * au.innerBrowRaise;
    return {
      side,
      // AU4 pulls the inner ends together; AU1 alone pulls them up and slightly in.
      inner: pt(50 + side * (id.eyeSpacing - id.eyeHalfWidth * 1.05 - 2.2 * au.browLower - 0.6 * au.innerBrowRaise), innerY),
      mid: pt(50 + side * (id.eyeSpacing + id.eyeHalfWidth * 0.15), midY),
      outer: pt(50 + side * (id.eyeSpacing + id.eyeHalfWidth * 1.3), outerY),
      thick: id.browThick * (1 + 0.15 * au.browLower),
    };
  }) as [BrowLayout, BrowLayout];

  const restNoseY = id.eyeY + id.noseLength;
  const noseY = restNoseY - 1.8 * au.noseWrinkle - 0.7 * au.upperLipRaise;
  const baseY = restNoseY + id.mouthGap;

  const hw = id.mouthHalfWidth * (1 + 0.24 * au.lipCornerPull + 0.38 * au.lipStretch - 0.5 * au.lipFunnel
    - 0.1 * au.lipPress - 0.08 * au.chinRaise + 0.05 * au.lipCornerDepress);
  const cornerY = baseY + id.restMouthCurve - 4 * au.lipCornerPull + 3.6 * au.lipCornerDepress + 1.2 * au.lipStretch
    - 0.8 * au.upperLipRaise + 1.2 * au.jawDrop;
  const centerY = baseY - 1.5 * au.chinRaise + 0.4 * au.lipCornerDepress;
  const opening = 12 * au.jawDrop;
  const innerTop = centerY - 0.28 * opening - 2.8 * au.upperLipRaise;
  const innerBottom = centerY + 0.72 * opening + (opening > 1 ? 0.8 * au.lipStretch : 0);
  const open = innerBottom - innerTop > 0.8;
  const gap = innerBottom - innerTop;
  return {
    faceHalfWidth: id.faceHalfWidth,
    jawHalfWidth: id.faceHalfWidth * id.jawRatio,
    chinY: id.chinY + 5 * au.jawDrop,
    eyes,
    brows,
    browLine: browBase,
    noseY,
    noseHalfWidth: id.noseHalfWidth * (1 + 0.15 * au.noseWrinkle + 0.08 * au.browLower),
    mouth: {
      left: pt(50 - hw, cornerY + id.mouthAsym * 0.7),
      right: pt(50 + hw, cornerY - id.mouthAsym * 0.7),
      centerY,
      innerTop: open ? innerTop : centerY,
      innerBottom: open ? innerBottom : centerY,
      cornerOpen: open ? gap * 0.2 * au.lipStretch : 0,
      roundness: au.lipFunnel,
      upperThick: id.upperLip * Math.max(0.25, 1 - 0.65 * au.lipPress - 0.25 * au.lipStretch - 0.2 * au.lipCornerPull + 0.35 * au.lipFunnel),
      lowerThick: id.lowerLip * Math.max(0.25, 1 - 0.6 * au.lipPress - 0.2 * au.lipStretch + 0.25 * au.lipFunnel + 0.2 * au.chinRaise),
      upperTeeth: open ? Math.min(3.4, gap * 0.6) * (1 - 0.7 * au.lipFunnel) : 0,
      lowerTeeth: open ? Math.min(2.6, gap * 0.4) * Math.max(au.lipStretch, 0.7 * au.upperLipRaise) : 0,
      open,
    },
  };
}
