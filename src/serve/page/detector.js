// Finds faces with face-api and places the eyes and the mouth with its
// 68-point landmarks (iBUG order: 36–41 and 42–47 the eyes, 48–59 the outer
// lip), the three points the alignment needs — as src/deploy/detector.ts does
// for `semifer predict`. Two set-ups, each loaded on first use:
//   live:  Tiny Face Detector (input 320) + the tiny landmark net: fast enough for video;
//   photo: SSD MobileNet v1 + the full landmark net: the Node side's default,
//          so a photo gets the same faces here as with `semifer predict`.
import * as faceapi from '@vladmandic/face-api';

const KINDS = {
  live: {
    nets: ['tinyFaceDetector', 'faceLandmark68TinyNet'],
    options: () => new faceapi.TinyFaceDetectorOptions({ inputSize: 320, scoreThreshold: 0.5 }),
    tinyLandmarks: true,
  },
  photo: {
    nets: ['ssdMobilenetv1', 'faceLandmark68Net'],
    options: () => new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 }),
    tinyLandmarks: false,
  },
};

export function createDetector(modelsUrl) {
  const loading = new Map();
  const load = (kind) => {
    if (!loading.has(kind)) loading.set(kind, Promise.all(KINDS[kind].nets.map((net) => faceapi.nets[net].loadFromUri(modelsUrl))));
    return loading.get(kind);
  };

  /** Faces in `input` (a canvas), sorted left to right: box, score, eyeLeft, eyeRight, mouth (input pixels). */
  async function detect(input, kind) {
    await load(kind);
    const { options, tinyLandmarks } = KINDS[kind];
    const found = await faceapi.detectAllFaces(input, options()).withFaceLandmarks(tinyLandmarks);
    const faces = found.map(({ detection, landmarks }) => {
      const p = landmarks.positions;
      const b = detection.box;
      return {
        box: { x: b.x, y: b.y, width: b.width, height: b.height },
        score: detection.score,
        // On the image's left (the person's right eye) and on its right.
        eyeLeft: mean(p.slice(36, 42)),
        eyeRight: mean(p.slice(42, 48)),
        mouth: mean(p.slice(48, 60)),
      };
    });
    return faces.sort((a, b) => a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2));
  }

  return { load, detect };
}

const mean = (pts) => [pts.reduce((s, p) => s + p.x, 0) / pts.length, pts.reduce((s, p) => s + p.y, 0) / pts.length];
