/**
 * The face detectors `predict` and `data faces` offer, and the settings their
 * LibTorch and TF.js paths share, in one place (the CLI reads its choices and
 * help from here without loading any engine).
 */
export const DETECTOR_KINDS = ['ssd', 'ssd-tfjs', 'tiny'] as const;
export type DetectorKind = (typeof DETECTOR_KINDS)[number];
export const DEFAULT_DETECTOR: DetectorKind = 'ssd';
export const DETECTOR_HELP =
  'Face detector: ssd (SSD MobileNet v1 + 68 landmarks on LibTorch, all cores), ' +
  'ssd-tfjs (the same nets on TF.js WASM, one thread: same faces, slower), ' +
  'tiny (Tiny Face Detector on TF.js: misses turned and small faces)';

/** At most this many faces per photo from SSD, on both paths (face-api's default). */
export const SSD_MAX_RESULTS = 100;
