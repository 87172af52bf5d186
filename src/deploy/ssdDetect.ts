/**
 * Face boxes from face-api's SSD MobileNet v1 on LibTorch
 * (src/models/faceapi/ssdMobilenetV1.ts), with the same input preparation,
 * thresholds and box mapping as face-api's own `locateFaces`, so the boxes
 * are the ones its TF.js path finds (test/deploy/ssdLibtorch.test.ts):
 *
 *  1. the image is padded with black on the right or bottom to a square,
 *     resized to 512×512 as TF resizes (tfResize.ts) and scaled to [−1, 1];
 *  2. anchors scoring above the threshold go through greedy NMS at IoU 0.5,
 *     at most 100 faces;
 *  3. boxes are clipped to the square and mapped to the image through
 *     face-api's rounded 512-px size of the image (`512 / round(side · 512 / longer)`),
 *     a quirk kept so that the boxes agree to the pixel.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { SsdMobilenetV1, SSD_INPUT_SIZE } from '../models/faceapi/ssdMobilenetV1.js';
import { nonMaxSuppression, type ScoredBox } from './nms.js';
import { squareResizeTf } from './tfResize.js';
import type { RgbImage } from './detector.js';
import { SSD_MAX_RESULTS } from './detectorKinds.js';

/** face-api's NMS overlap for SSD (SsdMobilenetv1.locateFaces). */
export const SSD_IOU_THRESHOLD = 0.5;

export interface FaceBox { x: number; y: number; width: number; height: number; score: number }

/** A face-api weights file (`<name>-weights_manifest.json`) shipped in its package's model/ folder. */
export function faceApiWeights(name: string): string {
  const pkg = createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json');
  const file = join(dirname(pkg), 'model', `${name}-weights_manifest.json`);
  if (!existsSync(file)) throw new Error(`${file}: missing; reinstall @vladmandic/face-api (its weights ship in model/)`);
  return file;
}

let net: SsdMobilenetV1 | undefined;
/** The network, loaded once per process (5.6 MB of weights). */
export function ssdNet(): SsdMobilenetV1 {
  net ??= torch.noGrad(() => SsdMobilenetV1.fromManifest(faceApiWeights('ssd_mobilenetv1_model')));
  return net;
}

/** One image → 1 × 3 × 512 × 512 in [−1, 1], as face-api prepares it. */
export function ssdInput(image: RgbImage): Tensor {
  const S = SSD_INPUT_SIZE;
  const pixels = new Float32Array(3 * S * S);
  squareResizeTf(image, { x: 0, y: 0, width: image.width, height: image.height }, 'after', S, pixels);
  return torch.tidy(() => torch.tensor(pixels, { shape: [1, 3, S, S] }).div(127.5).sub(1));
}

/** Faces in `image` (its own pixel coordinates), best first. */
export function detectFaceBoxes(image: RgbImage, o: { minConfidence: number; maxResults?: number }): FaceBox[] {
  const { boxes, scores } = torch.tidy(() => torch.noGrad(() => {
    const out = ssdNet().forward(ssdInput(image));
    return { boxes: out.boxes.data() as Float32Array, scores: out.scores.data() as Float32Array };
  }));
  const candidates: ScoredBox[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! <= o.minConfidence) continue;
    candidates.push({ box: [boxes[4 * i]!, boxes[4 * i + 1]!, boxes[4 * i + 2]!, boxes[4 * i + 3]!], score: scores[i]! });
  }
  const kept = nonMaxSuppression(candidates, { scoreThreshold: o.minConfidence, iouThreshold: SSD_IOU_THRESHOLD, maxResults: o.maxResults ?? SSD_MAX_RESULTS });
  const { width: w, height: h } = image;
  const side = Math.max(w, h);
  const padX = SSD_INPUT_SIZE / Math.round((w * SSD_INPUT_SIZE) / side), padY = SSD_INPUT_SIZE / Math.round((h * SSD_INPUT_SIZE) / side);
  return kept.map((k) => {
    const [y0, x0, y1, x1] = candidates[k]!.box;
    const top = Math.max(0, y0) * padY * h, bottom = Math.min(1, y1) * padY * h;
    const left = Math.max(0, x0) * padX * w, right = Math.min(1, x1) * padX * w;
    return { x: left, y: top, width: right - left, height: bottom - top, score: candidates[k]!.score };
  });
}
