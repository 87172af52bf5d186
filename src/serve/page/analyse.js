// One picture → its faces, each with its box, aligned crop and class
// probabilities. Shared by the live view and the photos.
import { alignmentMatrix, cropFace } from './align.js';

/** A reusable pipeline bound to the loaded detector, classifier and template. */
export function createAnalyser({ detector, classifier, template }) {
  const scratch = document.createElement('canvas');
  return async function analyse(source, inputSize) {
    const faces = await detector.detect(source, inputSize);
    const crops = faces.map((face) => {
      const canvas = document.createElement('canvas');
      return cropFace(source, alignmentMatrix(face, template, classifier.size), classifier.size, canvas, scratch);
    });
    const probs = await classifier.classify(crops);
    return faces.map((face, i) => {
      const p = probs[i];
      let top = 0;
      for (let k = 1; k < p.length; k++) if (p[k] > p[top]) top = k;
      return { ...face, crop: crops[i], probs: p, top, topClass: classifier.classes[top] };
    });
  };
}
