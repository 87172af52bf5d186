// Draws a box around each face and, beside it, one bar per class with its
// probability. Sizes are in CSS pixels times `unit` (canvas pixels per CSS
// pixel), so the labels read the same on a 640 px webcam frame and a 4000 px photo.

const PALETTE = ['#9aa0aa', '#f2c94c', '#56ccf2', '#bb6bd9', '#eb5757', '#6fcf97', '#f2994a', '#ff8ac6', '#2dd4bf', '#a3e635'];

export const classColour = (k) => PALETTE[k % PALETTE.length];

/**
 * `faces` from analyse.js; `mirror` flips boxes horizontally (for a selfie
 * view whose video is mirrored with CSS) while keeping the text readable.
 */
export function drawFaces(ctx, faces, classes, { unit = 1, mirror = false } = {}) {
  const W = ctx.canvas.width, H = ctx.canvas.height;
  const boxes = faces.map(({ box }) => ({ x: mirror ? W - box.x - box.width : box.x, y: box.y, w: box.width, h: box.height }));
  const size = panelSize(classes.length, unit);
  const placed = [];
  faces.forEach((face, i) => {
    const b = boxes[i];
    const colour = classColour(face.top);
    ctx.lineWidth = 2.5 * unit;
    ctx.strokeStyle = colour;
    ctx.strokeRect(b.x, b.y, b.w, b.h);
    const panel = placePanel(b, size, boxes, placed, W, H, 8 * unit);
    placed.push(panel);
    drawBars(ctx, face, classes, panel, unit, colour);
  });
}

function panelSize(rows, unit) {
  const pad = 6 * unit;
  return { w: pad * 2 + 176 * unit, h: pad * 2 + 16 * unit * rows };
}

const overlap = (a, b) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/**
 * Where the bars go: beside the box (right, left), then below or above it,
 * clamped into the frame; the spot that covers the least of the other faces
 * and of the panels already drawn wins (in a crowd some overlap is unavoidable).
 */
function placePanel(box, { w, h }, boxes, placed, W, H, gap) {
  const candidates = [
    { x: box.x + box.w + gap, y: box.y },
    { x: box.x - gap - w, y: box.y },
    { x: box.x, y: box.y + box.h + gap },
    { x: box.x, y: box.y - gap - h },
  ].map(({ x, y }) => ({ x: Math.max(0, Math.min(W - w, x)), y: Math.max(0, Math.min(H - h, y)), w, h }));
  let best = candidates[0], bestCost = Infinity;
  for (const c of candidates) {
    const cost = [...boxes, ...placed].reduce((sum, r) => sum + overlap(c, r), 0);
    if (cost < bestCost) [best, bestCost] = [c, cost];
  }
  return best;
}

function drawBars(ctx, face, classes, panel, unit, colour) {
  const pad = 6 * unit, row = 16 * unit, nameW = 62 * unit, barW = 80 * unit;
  const { x: px, y: py, w: panelW, h: panelH } = panel;
  ctx.fillStyle = 'rgba(16, 18, 22, 0.78)';
  ctx.fillRect(px, py, panelW, panelH);
  // A strip in the box's colour ties the panel to its face when faces crowd.
  ctx.fillStyle = colour;
  ctx.fillRect(px, py, 3 * unit, panelH);
  ctx.textBaseline = 'middle';
  classes.forEach((name, k) => {
    const cy = py + pad + row * k + row / 2;
    const p = face.probs[k];
    const isTop = k === face.top;
    ctx.fillStyle = isTop ? '#ffffff' : '#c9ccd3';
    ctx.font = `${isTop ? '600 ' : ''}${12 * unit}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    ctx.fillText(name, px + pad, cy);
    const bx = px + pad + nameW;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.12)';
    ctx.fillRect(bx, cy - row * 0.3, barW, row * 0.6);
    ctx.fillStyle = isTop ? colour : classColour(k);
    ctx.globalAlpha = isTop ? 1 : 0.7;
    ctx.fillRect(bx, cy - row * 0.3, barW * p, row * 0.6);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#c9ccd3';
    ctx.textAlign = 'right';
    ctx.fillText(`${Math.round(p * 100)}%`, px + panelW - pad, cy);
  });
  ctx.textAlign = 'left';
}
