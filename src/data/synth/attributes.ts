/**
 * The group attributes of a synthetic face, from what the generator drew (not
 * from the pixels): skin tone, apparent age (the static lines drawn), glasses
 * and occlusion. Written to the dataset's attributes.csv (src/data/attributes.ts),
 * so evaluation on synthetic faces has a per-group section like RAF-DB's.
 */
import type { FaceParams } from './params.js';

/** Attribute names, in the file's column order. */
export const SYNTH_ATTRIBUTES = ['skin_tone', 'apparent_age', 'glasses', 'occlusion'] as const;
export type SynthAttribute = (typeof SYNTH_ATTRIBUTES)[number];

export function faceAttributes(p: FaceParams): Record<SynthAttribute, string> {
  const { skinTone, age, glasses } = p.identity;
  return {
    // Thirds of the skin ramp (identity.ts): its 7 stops run from pale to deep brown.
    skin_tone: skinTone < 1 / 3 ? 'light' : skinTone < 2 / 3 ? 'medium' : 'dark',
    // age 0: no static lines drawn; otherwise 0.2..0.9, the strength of forehead, crow's-feet and nasolabial lines.
    apparent_age: age === 0 ? 'young' : age < 0.55 ? 'middle' : 'older',
    // Sunglasses hide the eyes; clear frames (round or rectangular) do not.
    glasses: glasses === null ? 'none' : glasses === 'sun' ? 'sunglasses' : 'clear',
    occlusion: p.scene.occlusion?.kind ?? 'none',
  };
}
