// Photos from the file picker or dropped on the page: each becomes a card with
// the picture, a box and bars per face, and the aligned crops the model saw.
import { classColour, drawFaces } from './overlay.js';
import { cropCanvas, rgbImageOf } from './align.js';

/** The detector sees the photo shrunk to this long side, as in `semifer predict` (src/deploy/detector.ts). */
const DETECT_MAX_SIDE = 1280;
/** Crops are cut from the photo itself up to this long side; more pixels only cost memory for 48–112 px crops. */
const CROP_MAX_SIDE = 2560;

export function createPhotoView({ analyse, classes, container, setStatus }) {
  let queue = Promise.resolve();

  function addFiles(files) {
    const images = [...files].filter((f) => f.type.startsWith('image/'));
    if (images.length === 0) {
      setStatus('Those files are not images.', true);
      return;
    }
    for (const file of images) queue = queue.then(() => analysePhoto(file)).catch((err) => setStatus(`${file.name}: ${err.message}`, true));
  }

  async function analysePhoto(file) {
    const bitmap = await createImageBitmap(file);
    const canvas = scaledCopy(bitmap, DETECT_MAX_SIDE);
    const source = Math.max(bitmap.width, bitmap.height) > DETECT_MAX_SIDE ? scaledCopy(bitmap, CROP_MAX_SIDE) : canvas;
    const image = rgbImageOf(source);
    bitmap.close();

    const figure = document.createElement('figure');
    figure.className = 'photo';
    figure.dataset.state = 'analysing';
    figure.append(canvas);
    const caption = document.createElement('figcaption');
    caption.textContent = `${file.name}: analysing…`;
    figure.append(caption);
    container.prepend(figure);

    const t0 = performance.now();
    let result;
    try {
      result = await analyse(canvas, { kind: 'photo', image, scale: source.width / canvas.width });
    } catch (err) {
      caption.textContent = `${file.name}: ${err.message}`;
      figure.dataset.state = 'error';
      throw err;
    }
    const { faces, crops, size } = result;
    const ms = performance.now() - t0;
    const ctx = canvas.getContext('2d');
    drawFaces(ctx, faces, classes, { unit: canvas.width / Math.max(1, canvas.clientWidth) });
    figure.append(cropStrip(faces, crops, size, classes));
    caption.textContent = `${file.name}: ${faces.length === 0 ? 'no face found' : `${faces.length} face${faces.length === 1 ? '' : 's'}`} · ${Math.round(ms)} ms`;
    figure.dataset.faces = String(faces.length);
    figure.dataset.top = faces.map((f) => f.topClass).join(',');
    // For scripts: the points (detector-canvas pixels; × scale = photo pixels) and probabilities.
    figure.dataset.result = JSON.stringify({
      scale: source.width / canvas.width,
      faces: faces.map(({ box, score, eyeLeft, eyeRight, mouth, probs }) => ({ box, score, eyeLeft, eyeRight, mouth, probs: [...probs] })),
    });
    figure.dataset.state = 'done';
  }

  return { addFiles };
}

/** The bitmap drawn into a canvas no longer than maxSide on its long side. */
function scaledCopy(bitmap, maxSide) {
  const k = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * k);
  canvas.height = Math.round(bitmap.height * k);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** The aligned crops the model saw, left to right, each with its top class. */
function cropStrip(faces, crops, size, classes) {
  const strip = document.createElement('div');
  strip.className = 'crops';
  faces.forEach((face, i) => {
    const item = document.createElement('div');
    item.className = 'crop';
    const label = document.createElement('span');
    label.textContent = `${classes[face.top]} ${Math.round(face.probs[face.top] * 100)}%`;
    label.style.color = classColour(face.top);
    const crop = cropCanvas(crops, i, size);
    crop.title = classes.map((c, k) => `${c} ${(face.probs[k] * 100).toFixed(1)}%`).join('\n');
    item.append(crop, label);
    strip.append(item);
  });
  return strip;
}
