// Face crops for the model, made by the very code `semifer predict` uses:
// /lib/align.js is the compiled src/deploy/align.ts (the template, the
// similarity fit that levels the eyes, the supersampled bilinear warp),
// served as it is, so the browser and Node cut the same crop from the same pixels.
import { alignFace } from '/lib/align.js';

/** A canvas (or anything drawable) as align.ts's RgbImage: RGB bytes, row by row. */
export function rgbImageOf(canvas) {
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, width, height).data;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return { rgb, width, height };
}

/**
 * All faces' crops in one N × size × size × 3 buffer (the classifier's input).
 * `scale` maps the faces' points (detector pixels) to `image` pixels.
 */
export function alignedCrops(image, faces, size, scale = 1) {
  const out = new Uint8Array(faces.length * size * size * 3);
  const at = ([x, y]) => [x * scale, y * scale];
  faces.forEach((f, i) => out.set(alignFace(image, { eyeLeft: at(f.eyeLeft), eyeRight: at(f.eyeRight), mouth: at(f.mouth) }, size), i * size * size * 3));
  return out;
}

/** Crop number i of `crops` drawn into a new size×size canvas (the thumbnails under a photo). */
export function cropCanvas(crops, i, size) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const img = new ImageData(size, size);
  const base = i * size * size * 3;
  for (let p = 0; p < size * size; p++) {
    img.data[4 * p] = crops[base + 3 * p];
    img.data[4 * p + 1] = crops[base + 3 * p + 1];
    img.data[4 * p + 2] = crops[base + 3 * p + 2];
    img.data[4 * p + 3] = 255;
  }
  canvas.getContext('2d').putImageData(img, 0, 0);
  return canvas;
}
