/**
 * Choosing the example faces for the report from test-set probabilities:
 * the most confident correct predictions, the most ambiguous ones (smallest
 * gap between the two highest probabilities) and the misclassified ones.
 */
import { encodePng } from './png.js';
import type { FaceExample, FaceLists } from './types.js';

export interface FacePick {
  index: number;
  trueLabel: number;
  predLabel: number;
  confidence: number;
  /** Top-1 minus top-2 probability. */
  margin: number;
}

export interface FacePicks {
  confident: FacePick[];
  ambiguous: FacePick[];
  misclassified: FacePick[];
}

/** Indices for each list, `perList` at most each; ties broken by index so the choice is deterministic. */
export function pickFaces(probs: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, perList = 16): FacePicks {
  const all: FacePick[] = [];
  for (let i = 0; i < labels.length; i++) {
    let a = -Infinity, b = -Infinity, arg = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probs[i * numClasses + c]!;
      if (p > a) { b = a; a = p; arg = c; } else if (p > b) b = p;
    }
    all.push({ index: i, trueLabel: labels[i]!, predLabel: arg, confidence: a, margin: a - (Number.isFinite(b) ? b : 0) });
  }
  const byConfidence = (x: FacePick, y: FacePick): number => y.confidence - x.confidence || x.index - y.index;
  return {
    confident: all.filter((f) => f.predLabel === f.trueLabel).sort(byConfidence).slice(0, perList),
    ambiguous: [...all].sort((x, y) => x.margin - y.margin || x.index - y.index).slice(0, perList),
    misclassified: all.filter((f) => f.predLabel !== f.trueLabel).sort(byConfidence).slice(0, perList),
  };
}

/** Decoded images as the data layer holds them: N × size × size × channels, uint8, row-major. */
export interface ImageBatch {
  size: number;
  pixels: Uint8Array;
  /** 3 (RGB, the default) or 1 (grey). */
  channels?: 1 | 3;
  ids?: string[];
}

/** The three face lists with PNG crops cut from a decoded image batch. */
export function faceListsFromImages(images: ImageBatch, probs: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, perList = 16): FaceLists {
  const ch = images.channels ?? 3;
  const bytes = images.size * images.size * ch;
  const toExample = (p: FacePick): FaceExample => ({
    png: encodePng(images.pixels.subarray(p.index * bytes, (p.index + 1) * bytes), images.size, images.size, ch),
    trueLabel: p.trueLabel,
    predLabel: p.predLabel,
    confidence: p.confidence,
    id: images.ids?.[p.index],
  });
  const picks = pickFaces(probs, labels, numClasses, perList);
  return {
    confident: picks.confident.map(toExample),
    ambiguous: picks.ambiguous.map(toExample),
    misclassified: picks.misclassified.map(toExample),
  };
}
