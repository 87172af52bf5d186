/**
 * Where the eyes and the mouth land in the square face crop, as fractions of
 * its side. Provisional: replaced by the template of src/deploy/align.ts.
 */
export const ALIGN_TEMPLATE = {
  leftEye: [0.3, 0.38],
  rightEye: [0.7, 0.38],
  mouth: [0.5, 0.78],
};
