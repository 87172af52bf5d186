/**
 * The face detectors `predict` and `data faces` offer, in one place (the CLI
 * reads its choices and help from here without loading any engine).
 */
export const DETECTOR_KINDS = ['ssd', 'ssd-tfjs', 'tiny'] as const;
export type DetectorKind = (typeof DETECTOR_KINDS)[number];
export const DEFAULT_DETECTOR: DetectorKind = 'ssd';
export const DETECTOR_HELP =
  'Face detector: ssd (SSD MobileNet v1 + 68 landmarks on LibTorch, all cores), ' +
  'ssd-tfjs (the same nets on TF.js WASM, one thread: same faces, slower), ' +
  'tiny (Tiny Face Detector on TF.js: misses turned and small faces)';
