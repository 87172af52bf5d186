/**
 * Who the face belongs to: everything that stays fixed when the expression
 * changes. Identity is the main nuisance a classifier has to see through — a
 * resting mouth that turns down, low brows or small eyes must not read as an
 * expression — so the resting offsets (`restMouthCurve`, `restBrow`) overlap
 * on purpose with what expressions do.
 *
 * All lengths are in the renderer's 100×100 canonical frame (an aligned face
 * filling the image, like RAF-DB's aligned crops).
 */
import { type Rgb, hsl, mix, ramp } from './color.js';
import type { Rng } from './random.js';

export type HairStyle = 'bald' | 'buzz' | 'short' | 'sidePart' | 'bangs' | 'long' | 'curly';
export type GlassesKind = 'round' | 'rect' | 'sun';
export type FacialHair = 'none' | 'moustache' | 'beard' | 'stubble';

export interface Identity {
  skin: Rgb;
  /** Where `skin` lies on the skin ramp: 0 lightest … 1 darkest (recorded as an attribute). */
  skinTone: number;
  /** Half-width of the face at the cheekbones. */
  faceHalfWidth: number;
  /** Jaw half-width as a fraction of the cheek half-width. */
  jawRatio: number;
  chinHalfWidth: number;
  chinY: number;
  /** Top of the skull (may lie above the image). */
  headTop: number;
  eyeY: number;
  /** Half the distance between the eye centres. */
  eyeSpacing: number;
  eyeHalfWidth: number;
  /** Height of the upper lid's apex above the eye line, relaxed. */
  eyeOpen: number;
  /** Outer eye corner offset (negative = up-slanted). */
  eyeTilt: number;
  iris: Rgb;
  /** Gap from the eye line to the brow, relaxed. */
  browGap: number;
  browThick: number;
  browArch: number;
  brow: Rgb;
  /** Nostrils' height below the eye line. */
  noseLength: number;
  noseHalfWidth: number;
  /** Mouth line's height below the nostrils. */
  mouthGap: number;
  mouthHalfWidth: number;
  upperLip: number;
  lowerLip: number;
  lip: Rgb;
  /** Resting mouth-corner offset (+ = down): some people look sad at rest. */
  restMouthCurve: number;
  /** Resting brow offset (+ = lower): some people look stern at rest. */
  restBrow: number;
  /** Left/right asymmetry of the mouth corners. */
  mouthAsym: number;
  /** Static lines (nasolabial folds, forehead): age, 0..1. */
  age: number;
  hairStyle: HairStyle;
  hair: Rgb;
  /** For 'bangs' and 'sidePart': lowest point of the fringe, relative to the brow line (+ = covers the brows). */
  fringe: number;
  /** Height of the hairline above the brows. */
  hairline: number;
  glasses: GlassesKind | null;
  glassesColor: Rgb;
  facialHair: FacialHair;
}

const SKIN_RAMP: readonly Rgb[] = [
  [255, 228, 206], [243, 204, 170], [228, 180, 140], [205, 150, 105], [170, 115, 78], [125, 82, 55], [85, 56, 40],
];

const HAIR_COLOURS: ReadonlyArray<{ weight: number; colour: Rgb }> = [
  { weight: 30, colour: [28, 24, 22] },
  { weight: 25, colour: [62, 42, 30] },
  { weight: 14, colour: [110, 75, 48] },
  { weight: 10, colour: [205, 170, 110] },
  { weight: 5, colour: [150, 70, 35] },
  { weight: 8, colour: [135, 130, 128] },
  { weight: 3, colour: [225, 222, 215] },
];

const HAIR_STYLES: ReadonlyArray<[HairStyle, number]> = [
  ['bald', 5], ['buzz', 13], ['short', 25], ['sidePart', 15], ['bangs', 15], ['long', 17], ['curly', 10],
];

/** `nuisance` in [0, 1] scales how far identities stray from an average face (1 = full variety). */
export function sampleIdentity(rng: Rng, nuisance = 1): Identity {
  const v = (lo: number, hi: number): number => {
    const mid = (lo + hi) / 2;
    return mid + (rng.uniform(lo, hi) - mid) * nuisance;
  };
  const n = (sd: number): number => rng.normal(0, sd * nuisance);
  const skinTone = rng.next() * (0.15 + 0.85 * nuisance);
  const skin = ramp(SKIN_RAMP, skinTone);
  const hairPick = HAIR_COLOURS[rng.weighted(HAIR_COLOURS.map((h) => h.weight))].colour;
  // A few percent dye their hair any colour.
  const hair: Rgb = rng.chance(0.04 * nuisance) ? hsl(rng.uniform(0, 360), 0.55, 0.4) : mix(hairPick, [0, 0, 0], rng.uniform(0, 0.2));
  const style = HAIR_STYLES[rng.weighted(HAIR_STYLES.map((s) => s[1]))][0];
  const eyeOpen = v(3.2, 4.7);
  const glassesRoll = rng.next();
  const glasses: GlassesKind | null =
    glassesRoll < 0.02 * nuisance ? 'sun' : glassesRoll < 0.1 * nuisance ? 'round' : glassesRoll < 0.19 * nuisance ? 'rect' : null;
  const fhRoll = rng.next();
  // Facial hair only on some faces (and never heavier than the nuisance level allows).
  const facialHair: FacialHair =
    fhRoll < 0.05 * nuisance ? 'moustache' : fhRoll < 0.1 * nuisance ? 'beard' : fhRoll < 0.15 * nuisance ? 'stubble' : 'none';
  const lipBase: Rgb = mix(skin, [190, 80, 85], rng.uniform(0.25, 0.5));
  return {
    skin,
    skinTone,
    faceHalfWidth: v(35, 43),
    jawRatio: v(0.7, 0.92),
    chinHalfWidth: v(7, 13),
    chinY: v(93, 100),
    headTop: v(-6, 6),
    eyeY: v(38.5, 44.5),
    eyeSpacing: v(15, 19),
    eyeHalfWidth: v(6.4, 8.4),
    eyeOpen,
    eyeTilt: v(-1.2, 0.8),
    iris: rng.chance(0.7) ? mix([60, 38, 22], [20, 12, 8], rng.next()) : rng.pick<Rgb>([[70, 110, 150], [80, 120, 80], [110, 110, 110]]),
    browGap: v(6.5, 9.5),
    browThick: v(2, 3.5),
    browArch: v(0.4, 2.6),
    // Brows follow the natural colour, not a dye.
    brow: mix(hairPick, [20, 15, 12], hairPick[0] > 120 ? 0.45 : 0.15),
    noseLength: v(14, 19.5),
    noseHalfWidth: v(4.8, 7.5),
    mouthGap: v(8.5, 12.5),
    mouthHalfWidth: v(11.5, 15),
    upperLip: v(2.2, 3.5),
    lowerLip: v(3, 4.6),
    lip: lipBase,
    restMouthCurve: n(0.8),
    restBrow: n(0.9),
    mouthAsym: n(0.5),
    age: rng.chance(0.3 * nuisance) ? rng.uniform(0.2, 0.9) : 0,
    hairStyle: nuisance > 0 ? style : 'short',
    hair,
    fringe: style === 'bangs' ? rng.uniform(-7, 2.5) : rng.uniform(-8, -2),
    hairline: v(16, 26),
    glasses,
    glassesColor: rng.pick<Rgb>([[25, 25, 25], [90, 60, 30], [150, 150, 155], [120, 30, 30]]),
    facialHair,
  };
}
