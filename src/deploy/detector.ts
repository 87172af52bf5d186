/**
 * Finding faces in ordinary photos with face-api's (@vladmandic/face-api)
 * networks and its bundled weights, read from disk. The kinds (detectorKinds.ts):
 *
 *  - `ssd` (default): SSD MobileNet v1, 512×512 input, 5.6 MB of weights, and
 *    the 68-point landmark net, both on LibTorch with all its threads
 *    (ssdDetect.ts, landmarks68.ts; the faces of a photo go through the
 *    landmark net as one batch). Finds every face in the six face-api sample
 *    photos at confidence 0.5 (test/deploy).
 *  - `ssd-tfjs`: the same two nets run by face-api itself on TensorFlow.js's
 *    WASM backend, one thread: the same boxes and points (to < 1 px,
 *    test/deploy/ssdLibtorch.test.ts), several times slower.
 *  - `tiny`: Tiny Face Detector (a Tiny-YOLOv2) on TF.js, 416×416 input,
 *    190 KB, misses turned and small faces and boxes loosely.
 *
 * Each face gets 68 landmarks (iBUG 300-W order), from which the eye centres
 * (points 36–41, 42–47) and the mouth centre (outer lip, 48–59) are taken
 * for alignment (align.ts).
 *
 * Photos are shrunk to `maxSide` (1280 px) before detection: both detectors
 * resize their input to ≤ 512 px anyway, and the landmark net works on 112 px
 * crops, so more pixels only cost time. Boxes and points are mapped back to
 * the photo's own coordinates. The limit this implies: faces with less than
 * ≈ 15 px between the eyes *after* shrinking (≈ 1/85 of the longer side) are
 * not found (measured with SSD on a sample photo shrunk onto a 1280 px canvas:
 * found at 15 px, none at 12 px).
 */
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type * as FaceApi from '@vladmandic/face-api';
import { facePointsFrom68 } from './align.js';
import { loadTf, requireBesideTf, resolveBesideTf, type Tf } from './tfjs.js';
import { DEFAULT_DETECTOR, DETECTOR_KINDS, SSD_MAX_RESULTS, type DetectorKind } from './detectorKinds.js';

export { DETECTOR_KINDS, type DetectorKind } from './detectorKinds.js';

export type Point = [x: number, y: number];

export interface DetectedFace {
  /** Pixel box in the photo's coordinates (top-left corner, size). */
  box: { x: number; y: number; width: number; height: number };
  /** The detector's confidence, 0–1. */
  score: number;
  /** The 68 landmarks, photo coordinates. */
  landmarks: Point[];
  /** Eye on the image's left (the person's right eye) and on its right, and the mouth centre. */
  eyeLeft: Point;
  eyeRight: Point;
  mouth: Point;
}

/** An RGB image in memory (photo.ts's Photo is one). */
export interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

export interface DetectorOptions {
  kind?: DetectorKind;
  /** Faces scoring below this are dropped (default 0.5). */
  minConfidence?: number;
  /** Longer side of the image the detector sees (default 1280). */
  maxSide?: number;
}

export interface Detector {
  readonly kind: DetectorKind;
  readonly minConfidence: number;
  readonly maxSide: number;
  /** Faces sorted left to right (by box centre). */
  detect(image: RgbImage): Promise<DetectedFace[]>;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;
export const DEFAULT_DETECT_MAX_SIDE = 1280;

let faceApi: Promise<typeof FaceApi> | undefined;
const loadedNets = new Set<string>();

/** face-api's Node/WASM bundle, sharing our tfjs instance (tfjs.ts). */
function loadFaceApi(): Promise<typeof FaceApi> {
  faceApi ??= loadTf().then(() => requireBesideTf<typeof FaceApi>('@vladmandic/face-api/dist/face-api.node-wasm.js'));
  return faceApi;
}

/** The weights folder shipped inside the face-api package. */
function modelDir(): string {
  // Resolved like the bundle itself, so the weights come from the same install as the code.
  return join(dirname(resolveBesideTf('@vladmandic/face-api/package.json')), 'model');
}

async function loadNet(api: typeof FaceApi, name: 'ssdMobilenetv1' | 'tinyFaceDetector' | 'faceLandmark68Net'): Promise<void> {
  if (loadedNets.has(name)) return;
  await api.nets[name].loadFromDisk(modelDir());
  loadedNets.add(name);
}

export async function createDetector(o: DetectorOptions = {}): Promise<Detector> {
  const kind = o.kind ?? DEFAULT_DETECTOR;
  if (!DETECTOR_KINDS.includes(kind)) throw new Error(`unknown detector '${kind}'; expected one of ${DETECTOR_KINDS.join(', ')}`);
  const minConfidence = o.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new RangeError(`minConfidence must be in [0, 1], got ${minConfidence}`);
  const maxSide = o.maxSide ?? DEFAULT_DETECT_MAX_SIDE;
  if (!Number.isInteger(maxSide) || maxSide < 64) throw new RangeError(`maxSide must be an integer ≥ 64, got ${maxSide}`);
  const find = kind === 'ssd' ? await libtorchFinder(minConfidence) : await tfjsFinder(kind, minConfidence);
  return {
    kind, minConfidence, maxSide,
    async detect(image) {
      if (image.rgb.length !== image.width * image.height * 3) throw new RangeError(`detect: ${image.rgb.length} bytes are not a ${image.width}×${image.height} RGB image`);
      const small = await shrink(image, maxSide);
      const found = await find(small);
      const sx = image.width / small.width, sy = image.height / small.height;
      const faces = found.map(({ box: b, score, landmarks: points }): DetectedFace => {
        const landmarks = points.map(([x, y]): Point => [x * sx, y * sy]);
        return {
          box: { x: b.x * sx, y: b.y * sy, width: b.width * sx, height: b.height * sy },
          score,
          landmarks,
          ...facePointsFrom68(landmarks),
        };
      });
      return faces.sort((a, b) => (a.box.x + a.box.width / 2) - (b.box.x + b.box.width / 2));
    },
  };
}

/** Faces in the (shrunk) image's own coordinates. */
type Finder = (image: RgbImage) => Promise<Array<{ box: { x: number; y: number; width: number; height: number }; score: number; landmarks: Point[] }>>;

/** SSD and the landmark net on LibTorch; loaded on first use, so the TF.js kinds never load LibTorch. */
async function libtorchFinder(minConfidence: number): Promise<Finder> {
  const { detectFaceBoxes, ssdNet } = await import('./ssdDetect.js');
  const { detectLandmarks, landmarkNet } = await import('./landmarks68.js');
  ssdNet();
  landmarkNet();
  return async (image) => {
    const boxes = detectFaceBoxes(image, { minConfidence });
    const points = detectLandmarks(image, boxes);
    return boxes.flatMap((b, i) => (points[i] ? [{ box: b, score: b.score, landmarks: points[i]! }] : []));
  };
}

/** face-api's own pipeline on TF.js WASM. */
async function tfjsFinder(kind: 'ssd-tfjs' | 'tiny', minConfidence: number): Promise<Finder> {
  const api = await loadFaceApi();
  const tf = await loadTf();
  await loadNet(api, kind === 'ssd-tfjs' ? 'ssdMobilenetv1' : 'tinyFaceDetector');
  await loadNet(api, 'faceLandmark68Net');
  const options = kind === 'ssd-tfjs'
    ? new api.SsdMobilenetv1Options({ minConfidence, maxResults: SSD_MAX_RESULTS })
    : new api.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: minConfidence });
  return async (image) => {
    const input = toTensor(tf, image);
    try {
      const found = await api.detectAllFaces(input as unknown as FaceApi.TNetInput, options).withFaceLandmarks();
      return found.map((f) => ({
        box: { x: f.detection.box.x, y: f.detection.box.y, width: f.detection.box.width, height: f.detection.box.height },
        score: f.detection.score,
        landmarks: f.landmarks.positions.map((p): Point => [p.x, p.y]),
      }));
    } finally {
      input.dispose();
    }
  };
}

/** The image itself when it is small enough, else a copy shrunk (area-averaged by libvips) to maxSide. */
async function shrink(image: RgbImage, maxSide: number): Promise<RgbImage> {
  if (Math.max(image.width, image.height) <= maxSide) return image;
  const { data, info } = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(maxSide, maxSide, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

function toTensor(tf: Tf, image: RgbImage) {
  // int32 like a decoded browser image: face-api normalises it itself.
  return tf.tensor3d(Int32Array.from(image.rgb), [image.height, image.width, 3], 'int32');
}
