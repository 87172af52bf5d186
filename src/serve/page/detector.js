// Finds faces with face-api's tiny detector and places the eyes and the mouth
// with its tiny 68-point landmark net (points 36–41 and 42–47 are the eyes,
// 48–67 the mouth): the three points the alignment needs.
import * as faceapi from '@vladmandic/face-api';

export async function loadDetector(modelsUrl) {
  await faceapi.nets.tinyFaceDetector.loadFromUri(modelsUrl);
  await faceapi.nets.faceLandmark68TinyNet.loadFromUri(modelsUrl);
  return { detect };
}

const mean = (pts) => [pts.reduce((s, p) => s + p.x, 0) / pts.length, pts.reduce((s, p) => s + p.y, 0) / pts.length];

/**
 * Faces in `input` (canvas, image or video), largest input size = most accurate and slowest
 * (320 keeps live video fast; photos use more). Each: box {x, y, width, height}, score, points.
 */
async function detect(input, inputSize) {
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.5 });
  const found = await faceapi.detectAllFaces(input, options).withFaceLandmarks(true);
  return found.map(({ detection, landmarks }) => {
    const p = landmarks.positions;
    return {
      box: { x: detection.box.x, y: detection.box.y, width: detection.box.width, height: detection.box.height },
      score: detection.score,
      // Image-left and image-right eye (the person's right and left eye).
      leftEye: mean(p.slice(36, 42)),
      rightEye: mean(p.slice(42, 48)),
      mouth: mean(p.slice(48, 68)),
    };
  });
}
