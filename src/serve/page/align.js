// Face alignment in the browser, the same geometry as the Node side
// (src/deploy/align.ts): a similarity transform (rotation, uniform scale,
// shift) that levels the eyes and puts the eye centres and the mouth centre
// as close as possible to the template points in the square crop. The
// template comes from the server (config.json), so there is one source of truth.

/**
 * The 2×3 matrix [a, b, c, d, e, f] (canvas setTransform order) taking image
 * coordinates to crop pixels. `template` holds fractions of the crop side.
 */
export function alignmentMatrix(face, template, size) {
  const src = [face.leftEye, face.rightEye, face.mouth];
  const dst = [template.leftEye, template.rightEye, template.mouth].map(([x, y]) => [x * size, y * size]);
  // Eyes level: undo the tilt of the eye line.
  const angle = -Math.atan2(face.rightEye[1] - face.leftEye[1], face.rightEye[0] - face.leftEye[0]);
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const rotated = src.map(([x, y]) => [cos * x - sin * y, sin * x + cos * y]);
  // With the rotation fixed, the least-squares scale and shift over the three points.
  const centre = (pts) => [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
  const [rx, ry] = centre(rotated), [dx, dy] = centre(dst);
  let num = 0, den = 0;
  for (let i = 0; i < 3; i++) {
    const px = rotated[i][0] - rx, py = rotated[i][1] - ry;
    num += px * (dst[i][0] - dx) + py * (dst[i][1] - dy);
    den += px * px + py * py;
  }
  const scale = den > 0 ? num / den : 1;
  return [scale * cos, scale * sin, -scale * sin, scale * cos, dx - scale * rx, dy - scale * ry];
}

/**
 * Draws the aligned face into `out` (a size×size canvas). A big face is first
 * drawn at a multiple of the size and halved step by step, so the shrink
 * averages pixels instead of skipping them.
 */
export function cropFace(source, matrix, size, out, scratch) {
  const [a, b] = matrix;
  const shrink = 1 / Math.hypot(a, b);
  let side = size;
  while (side * 2 <= size * shrink && side < size * 8) side *= 2;
  const work = side === size ? out : scratch;
  work.width = work.height = side;
  const k = side / size;
  const ctx = work.getContext('2d', { willReadFrequently: true });
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, side, side);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.setTransform(matrix[0] * k, matrix[1] * k, matrix[2] * k, matrix[3] * k, matrix[4] * k, matrix[5] * k);
  ctx.drawImage(source, 0, 0);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  while (side > size) {
    // Halve into the top-left quarter of the same canvas (the browser copies the source first).
    const half = side / 2;
    const target = half === size ? out : work;
    if (target === out) out.width = out.height = size;
    const tctx = target.getContext('2d', { willReadFrequently: true });
    tctx.imageSmoothingEnabled = true;
    tctx.imageSmoothingQuality = 'high';
    tctx.drawImage(work, 0, 0, side, side, 0, 0, half, half);
    side = half;
  }
  return out;
}
