// The live view: the webcam's video with an overlay canvas redrawn after each
// analysed frame, as fast as detection + classification allow.
import { drawFaces } from './overlay.js';
import { cropCanvas } from './align.js';

export function createLiveView({ analyse, classes, section, video, overlay, stats, crops, button, setStatus, backend }) {
  const frame = document.createElement('canvas');
  let stream = null;
  let frames = 0;

  async function start() {
    if (!navigator.mediaDevices?.getUserMedia) {
      setStatus('The webcam needs this page on localhost or https; photos still work.', true);
      return;
    }
    button.disabled = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' }, audio: false });
    } catch (err) {
      button.disabled = false;
      setStatus(`Webcam unavailable: ${err.message}`, true);
      return;
    }
    video.srcObject = stream;
    await video.play();
    section.hidden = false;
    button.textContent = 'Stop webcam';
    button.disabled = false;
    loop(stream);
  }

  function stop() {
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = null;
    video.srcObject = null;
    section.hidden = true;
    crops.replaceChildren();
    button.textContent = 'Start webcam';
  }

  async function loop(own) {
    const times = [];
    while (stream === own) {
      if (video.readyState >= 2 && video.videoWidth > 0) {
        // Analyse a still copy of the frame, so the crops and the boxes come from the same picture.
        frame.width = video.videoWidth;
        frame.height = video.videoHeight;
        frame.getContext('2d', { willReadFrequently: true }).drawImage(video, 0, 0);
        const t0 = performance.now();
        const result = await analyse(frame, { kind: 'live' });
        const ms = performance.now() - t0;
        if (stream !== own) break;
        render(result);
        // Frames per second over the last ten analysed frames.
        times.push(performance.now());
        if (times.length > 10) times.shift();
        const fps = times.length > 1 ? (1000 * (times.length - 1)) / (times.at(-1) - times[0]) : 0;
        const n = result.faces.length;
        stats.textContent = `${fps.toFixed(1)} fps · ${Math.round(ms)} ms per frame · ${n} face${n === 1 ? '' : 's'} · ${backend}`;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  function render({ faces, crops: pixels, size }) {
    overlay.width = frame.width;
    overlay.height = frame.height;
    const ctx = overlay.getContext('2d');
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    const unit = overlay.width / Math.max(1, overlay.clientWidth);
    drawFaces(ctx, faces, classes, { unit, mirror: true });
    // For scripts and tests: how many faces carry bars, and their top classes.
    overlay.dataset.frames = String(++frames);
    overlay.dataset.faces = String(faces.length);
    overlay.dataset.top = faces.map((f) => f.topClass).join(',');
    // What the model sees: the aligned crops of this frame.
    crops.replaceChildren(...faces.map((_, i) => cropCanvas(pixels, i, size)));
  }

  return { toggle: () => (stream ? stop() : start()) };
}
