// The live view: the webcam's video with an overlay canvas redrawn after each
// analysed frame, as fast as detection + classification allow.
import { drawFaces } from './overlay.js';

export function createLiveView({ analyse, classes, section, video, overlay, stats, button, setStatus, backend }) {
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
    button.textContent = 'Start webcam';
  }

  async function loop(own) {
    let fps = 0, last = performance.now();
    while (stream === own) {
      if (video.readyState >= 2 && video.videoWidth > 0) {
        // Analyse a still copy of the frame, so the crops and the boxes come from the same picture.
        frame.width = video.videoWidth;
        frame.height = video.videoHeight;
        frame.getContext('2d').drawImage(video, 0, 0);
        const t0 = performance.now();
        const faces = await analyse(frame, 320);
        const ms = performance.now() - t0;
        if (stream !== own) break;
        render(faces);
        const now = performance.now();
        fps = fps === 0 ? 1000 / (now - last) : 0.9 * fps + 0.1 * (1000 / (now - last));
        last = now;
        stats.textContent = `${fps.toFixed(1)} fps · ${Math.round(ms)} ms per frame · ${faces.length} face${faces.length === 1 ? '' : 's'} · ${backend}`;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  function render(faces) {
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
  }

  return { toggle: () => (stream ? stop() : start()) };
}
