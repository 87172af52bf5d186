/** Picking images out of a decoded split: N×S×S×3 RGB bytes, one frame after another. */

/** Copies the frames at `positions` out of N×S×S×3 bytes, in that order. */
export function gatherFrames(images: Uint8Array, size: number, positions: ArrayLike<number>): Uint8Array {
  const frame = size * size * 3;
  const out = new Uint8Array(positions.length * frame);
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    out.set(images.subarray(p * frame, (p + 1) * frame), i * frame);
  }
  return out;
}
