/**
 * The seven expressions as action-unit prototypes plus an intensity.
 *
 * Each prototype entry is `[amount, onset]`: at intensity `t` in (0, 1] the unit
 * is `amount · t^onset`. The onset exponent is how the classes are made to
 * overlap the way real ones do: cues an expression shares with a neighbour
 * (fear/surprise: brows up, eyes wide, jaw open; disgust/anger: brows down,
 * lids tight) have onset < 1 and show up already at low intensity, while the
 * cues that tell the neighbours apart (fear's lowered brows and stretched lips,
 * surprise's round mouth, disgust's nose wrinkle, anger's pressed lips) have
 * onset > 1 and only appear near full intensity. Sad's cues all start late, so
 * mild sadness is hard to tell from neutral. On top of that a third of the
 * faces blend in a weaker dose of a neighbouring expression, and every unit
 * jitters a little. A classifier therefore saturates clearly below 100% (an
 * MLP on the exact action units reaches ≈ 90%, on the rendered geometry
 * ≈ 87%), and unlabelled faces of the same distribution help.
 */
import { ACTION_UNIT_NAMES, type ActionUnitName, type ActionUnits, clamp01, zeroActionUnits } from './actionUnits.js';
import type { Rng } from './random.js';

/** Canonical class indices (src/data/classes.ts order). */
export const NEUTRAL = 0, HAPPY = 1, SAD = 2, SURPRISE = 3, FEAR = 4, DISGUST = 5, ANGER = 6;
export const EXPRESSION_COUNT = 7;

type Prototype = Partial<Record<ActionUnitName, readonly [amount: number, onset: number]>>;

/**
 * Variants per expression (people smile with or without teeth, anger can be
 * pressed lips or a shout), drawn with the given weights.
 */
const PROTOTYPES: ReadonlyArray<ReadonlyArray<{ weight: number; units: Prototype }>> = [
  // neutral: nothing beyond the per-face jitter.
  [{ weight: 1, units: {} }],
  // happy: AU6 + AU12, sometimes lips parted over the upper teeth.
  [
    { weight: 0.55, units: { cheekRaise: [0.85, 1.1], lipCornerPull: [1, 0.8], lidTighten: [0.2, 1.5] } },
    { weight: 0.45, units: { cheekRaise: [0.9, 1.1], lipCornerPull: [1, 0.8], jawDrop: [0.35, 1.2], upperLipRaise: [0.3, 1.2] } },
  ],
  // sad: AU1 + AU4 + AU15 (+ AU17 pout, drooping lids), all late.
  [
    { weight: 0.6, units: { innerBrowRaise: [0.9, 1.4], browLower: [0.45, 1.6], lipCornerDepress: [0.85, 1.3], chinRaise: [0.5, 1.6], lidDroop: [0.5, 1.5] } },
    { weight: 0.4, units: { innerBrowRaise: [0.8, 1.5], browLower: [0.35, 1.6], lipCornerDepress: [0.95, 1.2], chinRaise: [0.7, 1.4], lidDroop: [0.35, 1.5] } },
  ],
  // surprise: AU1 + AU2 + AU5 + AU26; the round "O" (lip funnel) is the late cue.
  [
    { weight: 0.7, units: { innerBrowRaise: [0.95, 0.7], outerBrowRaise: [1, 0.8], upperLidRaise: [0.95, 0.7], jawDrop: [0.75, 0.8], lipFunnel: [0.65, 1.7] } },
    { weight: 0.3, units: { innerBrowRaise: [0.9, 0.7], outerBrowRaise: [1, 0.8], upperLidRaise: [1, 0.7], jawDrop: [0.5, 0.9], lipFunnel: [0.4, 1.7] } },
  ],
  // fear: shares surprise's raised brows, wide eyes, open jaw; brows drawn down
  // and together (AU4), lids tightened (AU7) and lips stretched (AU20) come late.
  [
    { weight: 0.65, units: { innerBrowRaise: [0.95, 0.7], outerBrowRaise: [0.75, 0.8], upperLidRaise: [0.95, 0.7], jawDrop: [0.6, 0.8], browLower: [0.55, 1.8], lidTighten: [0.35, 1.8], lipStretch: [0.9, 1.8] } },
    { weight: 0.35, units: { innerBrowRaise: [0.9, 0.7], outerBrowRaise: [0.7, 0.8], upperLidRaise: [0.9, 0.7], jawDrop: [0.35, 0.9], browLower: [0.5, 1.8], lidTighten: [0.3, 1.8], lipStretch: [1, 1.7], upperLipRaise: [0.3, 1.8] } },
  ],
  // disgust: shares anger's lowered brows and tight lids; the nose wrinkle (AU9)
  // and raised upper lip (AU10) are the late cues.
  [
    { weight: 0.6, units: { browLower: [0.75, 0.8], lidTighten: [0.5, 0.8], noseWrinkle: [0.9, 1.6], upperLipRaise: [0.9, 1.5], cheekRaise: [0.35, 1.5], lipCornerDepress: [0.3, 1.5], jawDrop: [0.12, 1.5] } },
    { weight: 0.4, units: { browLower: [0.7, 0.8], lidTighten: [0.5, 0.8], noseWrinkle: [0.85, 1.6], upperLipRaise: [0.5, 1.6], lipCornerDepress: [0.7, 1.5], chinRaise: [0.5, 1.5] } },
  ],
  // anger: AU4 + AU5 + AU7 with pressed lips (AU24) or a shout (AU10 + AU26).
  [
    { weight: 0.6, units: { browLower: [0.9, 0.8], lidTighten: [0.5, 0.8], upperLidRaise: [0.45, 1.6], lipPress: [0.9, 1.5], chinRaise: [0.45, 1.6] } },
    { weight: 0.4, units: { browLower: [0.9, 0.8], lidTighten: [0.5, 0.8], upperLidRaise: [0.5, 1.6], jawDrop: [0.55, 1.4], upperLipRaise: [0.5, 1.5], lipStretch: [0.3, 1.6] } },
  ],
];

/**
 * Expressions each one is commonly confused with. With probability
 * `BLEND_PROBABILITY` a face mixes in a weaker dose of one of them (a fearful
 * face with some surprise, a disgusted one with some anger), as real faces do.
 */
const NEIGHBOURS: readonly (readonly number[])[] = [
  [SAD, HAPPY, ANGER], // neutral: a hint of something
  [SURPRISE, NEUTRAL],
  [NEUTRAL, FEAR, DISGUST],
  [FEAR, HAPPY],
  [SURPRISE, SAD],
  [ANGER, SAD],
  [DISGUST, SAD],
];
const BLEND_PROBABILITY = 0.35;

/**
 * Intensity in (0, 1]: Beta(1.8, 1.4), mean ≈ 0.56, about a sixth of the
 * faces below 0.3 (nearly neutral-looking) and a quarter above 0.76.
 */
export function sampleIntensity(rng: Rng): number {
  return Math.max(0.03, rng.beta(1.8, 1.4));
}

export interface ExpressionDraw {
  au: ActionUnits;
  /** Index of the prototype variant used. */
  variant: number;
  /** The neighbouring expression blended in, if any, and its intensity. */
  blend: { expression: number; intensity: number } | null;
}

function addPrototype(au: ActionUnits, units: Prototype, intensity: number): void {
  for (const k of ACTION_UNIT_NAMES) {
    const entry = units[k];
    if (entry) au[k] = Math.max(au[k], entry[0] * Math.pow(intensity, entry[1]));
  }
}

function pickVariant(rng: Rng, expression: number): number {
  return rng.weighted(PROTOTYPES[expression].map((v) => v.weight));
}

/** The action units of one face: prototype at `intensity`, maybe a blended neighbour, plus per-face jitter. */
export function drawExpression(rng: Rng, expression: number, intensity: number): ExpressionDraw {
  if (!(Number.isInteger(expression) && expression >= 0 && expression < EXPRESSION_COUNT)) {
    throw new RangeError(`expression must be an integer 0..6, got ${expression}`);
  }
  const variant = pickVariant(rng, expression);
  const au = zeroActionUnits();
  addPrototype(au, PROTOTYPES[expression][variant].units, intensity);
  let blend: ExpressionDraw['blend'] = null;
  if (rng.chance(BLEND_PROBABILITY)) {
    const other = rng.pick(NEIGHBOURS[expression]);
    // Never stronger than the face's own expression (a neutral face gets only a hint).
    const w = expression === NEUTRAL ? rng.uniform(0.05, 0.3) : intensity * rng.uniform(0.15, 0.65);
    if (other !== NEUTRAL) {
      addPrototype(au, PROTOTYPES[other][pickVariant(rng, other)].units, w);
      blend = { expression: other, intensity: w };
    }
  }
  // Everyone's face moves a little all the time: small jitter on every unit.
  for (const k of ACTION_UNIT_NAMES) au[k] = clamp01(au[k] + rng.normal(0, 0.08));
  // Now and then one unrelated unit fires a little (a blink, a half-smile).
  if (rng.chance(0.15)) {
    const k = ACTION_UNIT_NAMES[rng.int(ACTION_UNIT_NAMES.length)];
    au[k] = clamp01(au[k] + rng.uniform(0.1, 0.4));
  }
  return { au, variant, blend };
}
