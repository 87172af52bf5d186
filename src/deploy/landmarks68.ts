/**
 * 68 landmarks for detected faces with face-api's landmark net on LibTorch
 * (src/models/faceapi/faceLandmark68Net.ts), all faces of a photo in one
 * batch. The crop and the mapping back follow face-api's
 * `detectAllFaces(…).withFaceLandmarks()`, so the points agree with its TF.js
 * path to a fraction of a pixel (test/deploy/ssdLibtorch.test.ts):
 *
 *  - the crop is the box clipped to the image with x, y, width and height
 *    each floored;
 *  - it is padded with black to a square, the shorter side's padding split
 *    round(d/2) after and the rest before, and resized to 112 px as TF
 *    resizes (tfResize.ts);
 *  - points come back relative to the crop (face-api assumes the padding was
 *    split evenly, a < 1 px quirk kept for agreement) and are shifted by the
 *    box's unfloored corner.
 */
import * as torch from '../torch/index.js';
import { FaceLandmark68Net, LANDMARK_INPUT_SIZE } from '../models/faceapi/faceLandmark68Net.js';
import { faceApiWeights, type FaceBox } from './ssdDetect.js';
import { squareResizeTf, type PixelRect } from './tfResize.js';
import type { Point, RgbImage } from './detector.js';

let net: FaceLandmark68Net | undefined;
/** The network, loaded once per process (350 KB of weights). */
export function landmarkNet(): FaceLandmark68Net {
  net ??= torch.noGrad(() => FaceLandmark68Net.fromManifest(faceApiWeights('face_landmark_68_model')));
  return net;
}

/** face-api's Box.clipAtImageBorders: clipped, then each of x, y, width, height floored. */
function cropOf(b: FaceBox, image: RgbImage): PixelRect {
  const x = Math.max(b.x, 0), y = Math.max(b.y, 0);
  const width = Math.min(b.x + b.width - x, image.width - x), height = Math.min(b.y + b.height - y, image.height - y);
  return { x: Math.floor(x), y: Math.floor(y), width: Math.floor(width), height: Math.floor(height) };
}

/**
 * The 68 points of each box, in the image's coordinates; null for a box
 * with no pixels inside the image.
 */
export function detectLandmarks(image: RgbImage, boxes: readonly FaceBox[]): (Point[] | null)[] {
  const crops = boxes.map((b) => cropOf(b, image));
  const valid = crops.map((c, i) => (c.width > 0 && c.height > 0 ? i : -1)).filter((i) => i >= 0);
  const out: (Point[] | null)[] = boxes.map(() => null);
  if (valid.length === 0) return out;
  const S = LANDMARK_INPUT_SIZE;
  const pixels = new Float32Array(valid.length * 3 * S * S);
  valid.forEach((i, k) => squareResizeTf(image, crops[i]!, 'centred', S, pixels, k * 3 * S * S));
  const rel = torch.tidy(() => torch.noGrad(() => landmarkNet().forward(torch.tensor(pixels, { shape: [valid.length, 3, S, S] })).data() as Float32Array));
  valid.forEach((i, k) => {
    const c = crops[i]!, b = boxes[i]!;
    const scale = S / Math.max(c.width, c.height);
    const w = c.width * scale, h = c.height * scale;
    const padX = w < h ? (h - w) / 2 : 0, padY = h < w ? (w - h) / 2 : 0;
    const points: Point[] = [];
    for (let p = 0; p < 68; p++) {
      const rx = (rel[k * 136 + 2 * p]! * S - padX) / w, ry = (rel[k * 136 + 2 * p + 1]! * S - padY) / h;
      points.push([rx * c.width + b.x, ry * c.height + b.y]);
    }
    out[i] = points;
  });
  return out;
}
