// The page's entry point: reads config.json, picks a TensorFlow.js backend,
// loads face-api's nets and the exported model, then wires the webcam button,
// the file picker and drag-and-drop. body[data-state] is loading|ready|error.
import { chooseBackend } from './backend.js';
import { createDetector } from './detector.js';
import { loadClassifier } from './classifier.js';
import { createAnalyser } from './analyse.js';
import { createLiveView } from './webcam.js';
import { createPhotoView } from './photos.js';

const $ = (id) => document.getElementById(id);

function setStatus(text, isError = false) {
  $('status').textContent = text;
  if (isError) console.warn(text);
}

async function main() {
  const config = await (await fetch('/config.json')).json();
  const backend = await chooseBackend(config.wasmUrl);
  document.body.dataset.backend = backend;
  setStatus(`Loading the face detector and the model (${backend})…`);
  const detector = createDetector(config.faceModelsUrl);
  const [classifier] = await Promise.all([loadClassifier(config.modelUrl, config.metadata), detector.load('live')]);
  const analyse = createAnalyser({ detector, classifier });
  const { classes, input, model } = config.metadata;

  const live = createLiveView({
    analyse, classes, backend, setStatus,
    section: $('live'), video: $('video'), overlay: $('overlay'), stats: $('live-stats'), crops: $('live-crops'), button: $('webcam-toggle'),
  });
  $('webcam-toggle').addEventListener('click', () => live.toggle());
  $('webcam-toggle').disabled = false;

  const photos = createPhotoView({ analyse, classes, container: $('photos'), setStatus });
  $('file-input').addEventListener('change', (e) => {
    photos.addFiles(e.target.files);
    e.target.value = '';
  });
  wireDragAndDrop((files) => photos.addFiles(files));

  setStatus(`Ready · ${model?.arch ?? 'model'} ${model?.method ? `(${model.method})` : ''} · ${classes.length} classes at ${input.size} px · ${backend}`);
  document.body.dataset.state = 'ready';
  // The photo detector's weights (≈ 6 MB) load in the background, ready before most first drops.
  detector.load('photo').catch((err) => setStatus(`Photo detector failed to load: ${err.message}`, true));
}

/** The whole window is the drop zone; a veil shows while files hover over it. */
function wireDragAndDrop(onFiles) {
  const veil = $('drop-veil');
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    veil.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) veil.hidden = true;
  });
  window.addEventListener('dragover', (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    veil.hidden = true;
    if (e.dataTransfer?.files?.length) onFiles(e.dataTransfer.files);
  });
}

main().catch((err) => {
  console.error(err);
  document.body.dataset.state = 'error';
  setStatus(`Could not start: ${err.message}`, true);
});
