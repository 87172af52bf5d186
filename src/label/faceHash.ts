/**
 * A perceptual hash of an aligned face crop, for skipping the same face seen
 * twice (the same photo saved again, resized, re-compressed, or a burst of
 * near-identical shots). Difference hash: the crop in grey, area-averaged to
 * (W+1) × H cells, one bit per pair of horizontal neighbours (left brighter
 * than right). 16 × 16 = 256 bits rather than the usual 64: aligned faces all
 * share one layout, so a coarse 8 × 8 hash puts different people too close
 * (measured by bench/faceHash.ts, numbers in docs/labelling.md).
 */
export const HASH_SIDE = 16;
export const HASH_BITS = HASH_SIDE * HASH_SIDE;

/** The hash as HASH_BITS / 32 unsigned 32-bit words. */
export type FaceHash = Uint32Array;

export function faceHash(rgb: Uint8Array, size: number): FaceHash {
  if (rgb.length !== size * size * 3) throw new RangeError(`faceHash: ${rgb.length} bytes are not a ${size}×${size} RGB crop`);
  const W = HASH_SIDE + 1, H = HASH_SIDE;
  const sum = new Float64Array(W * H), cnt = new Float64Array(W * H);
  for (let y = 0; y < size; y++) {
    const cy = Math.min(H - 1, Math.floor((y * H) / size));
    for (let x = 0; x < size; x++) {
      const cx = Math.min(W - 1, Math.floor((x * W) / size));
      const o = (y * size + x) * 3;
      sum[cy * W + cx] += 0.299 * rgb[o]! + 0.587 * rgb[o + 1]! + 0.114 * rgb[o + 2]!;
      cnt[cy * W + cx]++;
    }
  }
  const cell = (x: number, y: number): number => sum[y * W + x]! / Math.max(1, cnt[y * W + x]!);
  const out = new Uint32Array(HASH_BITS / 32);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < HASH_SIDE; x++) {
      if (cell(x, y) > cell(x + 1, y)) {
        const bit = y * HASH_SIDE + x;
        out[bit >>> 5]! |= 1 << (bit & 31);
      }
    }
  }
  return out;
}

export function hammingDistance(a: FaceHash, b: FaceHash): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let v = (a[i]! ^ b[i]!) >>> 0;
    // Popcount (SWAR).
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    d += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return d;
}

export function hashToHex(h: FaceHash): string {
  return Array.from(h, (w) => w.toString(16).padStart(8, '0')).join('');
}

export function hashFromHex(hex: string): FaceHash {
  if (!/^[0-9a-f]+$/.test(hex) || hex.length !== HASH_BITS / 4) throw new Error(`not a ${HASH_BITS}-bit face hash: '${hex}'`);
  return Uint32Array.from({ length: HASH_BITS / 32 }, (_, i) => parseInt(hex.slice(i * 8, i * 8 + 8), 16));
}

/**
 * Hamming distance up to which two crops count as the same face. Measured on
 * face-api's sample photos (bench/faceHash.ts, docs/labelling.md): 21 of the
 * 22 faces of the photos shrunk to 80 % and re-saved at JPEG quality 60 lie
 * within 20 bits of the original's (one at 50); the closest two different
 * people of the 231 pairs are 69 apart.
 */
export const DEFAULT_DUPLICATE_DISTANCE = 40;

/** The kept faces' hashes, searched linearly (thousands of faces × 8 words: microseconds). */
export class HashIndex {
  private readonly hashes: FaceHash[] = [];
  private readonly names: string[] = [];

  add(h: FaceHash, name: string): void {
    this.hashes.push(h);
    this.names.push(name);
  }

  /** The nearest kept face within `maxDistance`, if any. */
  nearest(h: FaceHash, maxDistance: number): { name: string; distance: number } | undefined {
    let best: { name: string; distance: number } | undefined;
    for (let i = 0; i < this.hashes.length; i++) {
      const d = hammingDistance(h, this.hashes[i]!);
      if (d <= maxDistance && (!best || d < best.distance)) best = { name: this.names[i]!, distance: d };
    }
    return best;
  }

  get size(): number {
    return this.hashes.length;
  }
}
