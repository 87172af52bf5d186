/**
 * Continuous facial "action units": the knobs an expression turns.
 *
 * Loosely after FACS (the AU numbers are in the comments) so that the
 * expression prototypes in `expressions.ts` can follow the well-known EMFACS
 * recipes (happy = AU6+12, surprise = AU1+2+5+26, …). Every unit is in [0, 1];
 * 0 is the relaxed face, 1 the strongest the renderer draws.
 */
export interface ActionUnits {
  /** AU1: inner brow ends up (sad, fear, surprise). */
  innerBrowRaise: number;
  /** AU2: outer brow ends up (surprise). */
  outerBrowRaise: number;
  /** AU4: brows down and drawn together (anger, fear, sad, disgust). */
  browLower: number;
  /** AU5: upper lid up, white shows above the iris (surprise, fear, anger's glare). */
  upperLidRaise: number;
  /** AU6: cheeks up, lower lid pushed up, crow's feet (happy). */
  cheekRaise: number;
  /** AU7: lower lid tightened, eyes narrowed from below (anger, disgust, fear). */
  lidTighten: number;
  /** AU41/43: upper lid droops (sad). */
  lidDroop: number;
  /** AU9: nose wrinkled, nostrils up (disgust). */
  noseWrinkle: number;
  /** AU10: upper lip raised, upper teeth may show (disgust, snarl). */
  upperLipRaise: number;
  /** AU12: lip corners pulled up and out (happy). */
  lipCornerPull: number;
  /** AU15: lip corners pulled down (sad, disgust). */
  lipCornerDepress: number;
  /** AU17: chin raised, lower lip pushed up into a pout (sad, anger). */
  chinRaise: number;
  /** AU20: lips stretched sideways, square-ish mouth (fear). */
  lipStretch: number;
  /** AU22/27-like rounding: the "O" mouth of surprise. */
  lipFunnel: number;
  /** AU23/24: lips pressed thin (anger). */
  lipPress: number;
  /** AU25–27: lips parted, jaw dropped. */
  jawDrop: number;
}

export type ActionUnitName = keyof ActionUnits;

/** Fixed order, used for vectors (analysis, tests) and for deterministic iteration. */
export const ACTION_UNIT_NAMES: readonly ActionUnitName[] = [
  'innerBrowRaise', 'outerBrowRaise', 'browLower', 'upperLidRaise', 'cheekRaise', 'lidTighten',
  'lidDroop', 'noseWrinkle', 'upperLipRaise', 'lipCornerPull', 'lipCornerDepress', 'chinRaise',
  'lipStretch', 'lipFunnel', 'lipPress', 'jawDrop',
];

export function zeroActionUnits(): ActionUnits {
  const au = {} as ActionUnits;
  for (const k of ACTION_UNIT_NAMES) au[k] = 0;
  return au;
}

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/** The units as a vector in `ACTION_UNIT_NAMES` order. */
export function actionUnitVector(au: ActionUnits): number[] {
  return ACTION_UNIT_NAMES.map((k) => au[k]);
}
