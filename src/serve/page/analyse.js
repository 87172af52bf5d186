// One picture → its faces: box, class probabilities and the aligned crop.
// Shared by the live view and the photos.
import { alignedCrops, rgbImageOf } from './align.js';

export function createAnalyser({ detector, classifier }) {
  /**
   * `canvas`: what the detector sees; `kind`: 'live' or 'photo' (detector.js);
   * `image`/`scale`: where the crops are cut (align.js's RgbImage; defaults to the canvas itself).
   */
  return async function analyse(canvas, { kind, image, scale = 1 }) {
    const faces = await detector.detect(canvas, kind);
    if (faces.length === 0) return { faces: [], crops: new Uint8Array(0), size: classifier.size };
    const crops = alignedCrops(image ?? rgbImageOf(canvas), faces, classifier.size, scale);
    const probs = await classifier.classify(crops);
    return {
      crops,
      size: classifier.size,
      faces: faces.map((face, i) => {
        const p = probs[i];
        let top = 0;
        for (let k = 1; k < p.length; k++) if (p[k] > p[top]) top = k;
        return { ...face, probs: p, top, topClass: classifier.classes[top] };
      }),
    };
  };
}
