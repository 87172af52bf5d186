// Photos from the file picker or dropped on the page: each becomes a card with
// the picture, a box and bars per face, and the aligned crops the model saw.
import { classColour, drawFaces } from './overlay.js';

/** Photos are analysed at most this many pixels on their long side (enough for the detector, light on memory). */
const MAX_SIDE = 1600;

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
    const k = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * k);
    canvas.height = Math.round(bitmap.height * k);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
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
    // Larger detector input than the live view: photos hold smaller faces, and speed matters less.
    const faces = await analyse(canvas, 608);
    const ms = performance.now() - t0;
    const ctx = canvas.getContext('2d');
    drawFaces(ctx, faces, classes, { unit: canvas.width / Math.max(1, canvas.clientWidth) });
    figure.append(cropStrip(faces, classes));
    caption.textContent = `${file.name}: ${faces.length === 0 ? 'no face found' : `${faces.length} face${faces.length === 1 ? '' : 's'}`} · ${Math.round(ms)} ms`;
    figure.dataset.faces = String(faces.length);
    figure.dataset.top = faces.map((f) => f.topClass).join(',');
    figure.dataset.state = 'done';
  }

  return { addFiles };
}

/** The aligned crops, left to right in detection order, each with its top class. */
function cropStrip(faces, classes) {
  const strip = document.createElement('div');
  strip.className = 'crops';
  for (const face of faces) {
    const item = document.createElement('div');
    item.className = 'crop';
    const label = document.createElement('span');
    label.textContent = `${classes[face.top]} ${Math.round(face.probs[face.top] * 100)}%`;
    label.style.color = classColour(face.top);
    face.crop.title = classes.map((c, k) => `${c} ${(face.probs[k] * 100).toFixed(1)}%`).join('\n');
    item.append(face.crop, label);
    strip.append(item);
  }
  return strip;
}
