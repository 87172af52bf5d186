/** Example test faces: most confident correct, most ambiguous, misclassified. */
import { pngDataUri } from '../png.js';
import { imageGrid, type GridImage } from '../svg/imageGrid.js';
import type { FaceExample, FaceLists } from '../types.js';
import { absent, figure, section } from './common.js';

const RIGHT = '#2f855a';
const WRONG = '#c53030';

function gridImages(faces: FaceExample[], classNames: string[]): GridImage[] {
  const name = (c: number): string => classNames[c] ?? `class ${c}`;
  const out: GridImage[] = [];
  for (const f of faces) {
    const href = pngDataUri(f.png);
    if (!href) continue; // not base64: never put an arbitrary string into the page
    const ok = f.trueLabel === f.predLabel;
    out.push({
      href,
      caption: [ok ? name(f.trueLabel) : `${name(f.trueLabel)} → ${name(f.predLabel)}`, `p = ${(f.confidence * 100).toFixed(1)}%`],
      color: ok ? RIGHT : WRONG,
      tooltip: `${f.id ? `${f.id}: ` : ''}true ${name(f.trueLabel)}, predicted ${name(f.predLabel)} with p = ${f.confidence.toFixed(3)}`,
    });
  }
  return out;
}

const LISTS: { key: keyof FaceLists; title: string; note: string }[] = [
  { key: 'confident', title: 'Most confident, correct', note: 'Correct predictions with the highest top-1 probability.' },
  { key: 'ambiguous', title: 'Most ambiguous', note: 'Smallest gap between the two most probable classes; green = correct, red = wrong (true → predicted).' },
  { key: 'misclassified', title: 'Misclassified', note: 'Wrong predictions, most confident first (true → predicted).' },
];

export function renderFaces(faces: FaceLists | undefined, classNames: string[]): string {
  const cards = LISTS.map(({ key, title, note }) => {
    const images = gridImages(faces?.[key] ?? [], classNames);
    return images.length
      ? figure(title, imageGrid({ name: `faces-${key}`, title: `Test faces: ${title.toLowerCase()}`, images, columns: Math.min(10, images.length), imageSize: 84 }), note, true)
      : absent(`faces-${key}`, title, { wide: true, message: faces ? 'No samples in this list.' : undefined });
  });
  return section('faces', 'Example faces', cards);
}
