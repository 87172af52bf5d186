/**
 * Canonical expression classes (docs/methods.md §5), in this order. Every reader maps
 * its dataset's own label codes onto indices of a class list; for the seven- and
 * eight-class expression tasks that list is a prefix of this one.
 */
export const CANONICAL_CLASSES = ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger', 'contempt'] as const;
export type CanonicalClass = (typeof CANONICAL_CLASSES)[number];

/** The seven basic expressions (RAF-DB, FER2013, SFEW, ExpW, …). */
export const SEVEN_CLASSES: readonly string[] = CANONICAL_CLASSES.slice(0, 7);
/** Eight classes with contempt (AffectNet-8, FERPlus). */
export const EIGHT_CLASSES: readonly string[] = CANONICAL_CLASSES.slice(0, 8);

/** Folder / file-name spellings people use, lower-cased, mapped to canonical names. */
const SYNONYMS: Record<string, CanonicalClass> = {
  neutral: 'neutral', neutrality: 'neutral', ne: 'neutral', calm: 'neutral',
  happy: 'happy', happiness: 'happy', joy: 'happy', ha: 'happy', smile: 'happy',
  sad: 'sad', sadness: 'sad', sa: 'sad',
  surprise: 'surprise', surprised: 'surprise', su: 'surprise',
  fear: 'fear', fearful: 'fear', afraid: 'fear', scared: 'fear', fe: 'fear',
  disgust: 'disgust', disgusted: 'disgust', di: 'disgust',
  anger: 'anger', angry: 'anger', an: 'anger',
  contempt: 'contempt', contemptuous: 'contempt', co: 'contempt',
};

/** Canonical name for a class spelling (case-insensitive), or undefined. */
export function canonicalClassName(name: string): CanonicalClass | undefined {
  return SYNONYMS[name.trim().toLowerCase()];
}

/** Every class spelling `canonicalClassName` accepts, for error messages. */
export function acceptedClassNames(): string[] {
  return Object.keys(SYNONYMS);
}
