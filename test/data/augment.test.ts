// Batched augmentations: each op against a hand-computed or tiny JS reference
// (PIL's formulas), exact geometry of rotations, shifts, crops and flips, and
// the pipelines' determinism, per-image randomness, range and batch size 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';
import type { Tensor } from '../../src/torch/index.js';
import { Rng } from '../../src/data/random.js';
import * as A from '../../src/data/augment/index.js';

torch.setNumThreads(1);

type Pixel = (n: number, c: number, y: number, x: number) => number;

/** A float N×C×H×W tensor whose element (n, c, y, x) is f(n, c, y, x). */
function images(n: number, h: number, w: number, f: Pixel, c = 3): Tensor {
  const a = new Float32Array(n * c * h * w);
  let k = 0;
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[k++] = f(i, ch, y, x);
  return torch.tensor(a, { shape: [n, c, h, w] });
}

/** Reads element (n, c, y, x) of a flat NCHW array. */
const at = (a: Float32Array, [, c, h, w]: number[], n: number, ch: number, y: number, x: number) => a[((n * c! + ch) * h! + y) * w! + x]!;

/** An asymmetric pattern of 8-bit levels (values k/255), different per image and channel. */
const levels: Pixel = (n, c, y, x) => ((n * 37 + c * 71 + y * 13 + x * 29 + ((x * y) % 7) * 11) % 256) / 255;

function assertClose(actual: Tensor | Float32Array, expected: ArrayLike<number>, tol = 1e-6, what = 'value'): void {
  const a = actual instanceof Float32Array ? actual : (actual.data() as Float32Array);
  assert.equal(a.length, expected.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - expected[i]!) <= tol)) assert.fail(`${what} ${i}: got ${a[i]}, expected ${expected[i]}`);
  }
}

/** A JS reference over every element: out(n, c, y, x) from the input array. */
function reference(x: Tensor, f: (src: Float32Array, n: number, c: number, y: number, xx: number) => number): Float32Array {
  const src = x.data() as Float32Array;
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const out = new Float32Array(src.length);
  let k = 0;
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) out[k++] = f(src, i, ch, y, xx);
  return out;
}

test('toFloatImages / toUint8Images: NHWC bytes ↔ N×3×H×W in [0, 1]', () => {
  torch.tidy(() => {
    const size = 3;
    const bytes = new Uint8Array(2 * size * size * 3).map((_, i) => (i * 7) % 256);
    const x = A.toFloatImages(bytes, size);
    assert.deepEqual(x.shape, [2, 3, 3, 3]);
    assert.equal(x.dtype, 'float32');
    const a = x.data() as Float32Array;
    // Pixel (n=1, y=2, x=0), channel G(1) is byte ((1·3 + 2)·3 + 0)·3 + 1.
    assert.equal(at(a, x.shape, 1, 1, 2, 0), Math.fround(bytes[((1 * 3 + 2) * 3 + 0) * 3 + 1]! / 255));
    assert.deepEqual(Array.from(A.toUint8Images(x)), Array.from(bytes));
    assert.deepEqual(A.toFloatImages(bytes, size, { count: 1 }).shape, [1, 3, 3, 3]);
    assert.throws(() => A.toFloatImages(bytes, size, { count: 3 }), /need 81 bytes, got 54/);
  });
});

test('rotate by exactly ±90° equals a quarter turn by transpose + flip', () => {
  torch.tidy(() => {
    const x = images(2, 8, 8, levels);
    // Counter-clockwise: out[i][j] = in[j][W−1−i] = transpose then flip rows.
    assertClose(A.rotate(x, 90), x.transpose(2, 3).flip(2).contiguous().data() as Float32Array, 0, 'rotate 90');
    assertClose(A.rotate(x, -90), x.transpose(2, 3).flip(3).contiguous().data() as Float32Array, 0, 'rotate −90');
    assertClose(A.rotate(x, [90, 0]).narrow(0, 1, 1), x.narrow(0, 1, 1).contiguous().data() as Float32Array, 0, 'per image: 0°');
    // RandAugment's magnitude m maps linearly onto [−30°, 30°].
    assert.equal(A.opValue('rotate', 0), -30);
    assert.equal(A.opValue('rotate', 1), 30);
    assert.equal(A.opValue('rotate', 0.5), 0);
  });
});

test('translate by whole pixels shifts the pattern and fills black', () => {
  torch.tidy(() => {
    const x = images(1, 6, 7, (n, c, y, x) => (1 + c + y * 7 + x) / 100);
    const out = A.translate(x, 2, -1);
    const expected = reference(x, (s, n, c, y, xx) => {
      const sy = y + 1;
      const sx = xx - 2;
      return sy < 6 && sx >= 0 ? at(s, x.shape, n, c, sy, sx) : 0;
    });
    assertClose(out, expected, 0, 'translate');
  });
});

test('shearX / shearY follow PIL (x_in = x + s·y about the top-left corner, nearest)', () => {
  torch.tidy(() => {
    const x = images(1, 8, 8, levels);
    const s = 0.25; // s·(y + ½) never lands on a rounding tie
    const sx = reference(x, (src, n, c, y, xx) => {
      const j = Math.round(xx + s * (y + 0.5));
      return j < 8 ? at(src, x.shape, n, c, y, j) : 0;
    });
    assertClose(A.shearX(x, s), sx, 0, 'shearX');
    const sy = reference(x, (src, n, c, y, xx) => {
      const i = Math.round(y + s * (xx + 0.5));
      return i < 8 ? at(src, x.shape, n, c, i, xx) : 0;
    });
    assertClose(A.shearY(x, s), sy, 0, 'shearY');
  });
});

test('hflip mirrors only the flagged images', () => {
  torch.tidy(() => {
    const x = images(2, 4, 5, levels);
    const out = A.hflip(x, [1, 0]);
    const expected = reference(x, (s, n, c, y, xx) => at(s, x.shape, n, c, y, n === 0 ? 4 - xx : xx));
    assertClose(out, expected, 0, 'hflip');
  });
});

test('solarize inverts exactly the values ≥ threshold', () => {
  torch.tidy(() => {
    const x = images(1, 4, 4, (n, c, y, x) => (y * 4 + x) / 15);
    const ref = reference(x, (s, n, c, y, xx) => {
      const v = at(s, x.shape, n, c, y, xx);
      return v >= 0.5 ? 1 - v : v;
    });
    assertClose(A.solarize(x, 0.5), ref, 1e-7, 'solarize');
    // The value exactly at the threshold is inverted (PIL: level ≥ threshold).
    const edge = images(1, 1, 2, (n, c, y, x) => [100 / 255, 99 / 255][x]!);
    assertClose(A.solarize(edge, 100 / 255), [155 / 255, 99 / 255, 155 / 255, 99 / 255, 155 / 255, 99 / 255], 1e-7, 'edge');
  });
});

test('posterize keeps the top bits of each 8-bit level', () => {
  torch.tidy(() => {
    const x = images(2, 4, 4, levels);
    for (const bits of [1, 3, 4, 8]) {
      const mask = 256 - 2 ** (8 - bits);
      const ref = reference(x, (s, n, c, y, xx) => (Math.round(at(s, x.shape, n, c, y, xx) * 255) & mask) / 255);
      assertClose(A.posterize(x, bits), ref, 1e-6, `posterize ${bits}`);
    }
    const per = A.posterize(x, [2, 8]);
    assertClose(per.narrow(0, 1, 1).contiguous(), x.narrow(0, 1, 1).contiguous().data() as Float32Array, 1e-6, '8 bits = unchanged');
    assert.throws(() => A.posterize(x, 0), /bits must be an integer in 1..8/);
  });
});

/** PIL's ImageOps.equalize on one channel of 8-bit levels (the algorithm as written in Pillow, // 255). */
function pilEqualize(values: number[]): number[] {
  const h = new Array<number>(256).fill(0);
  for (const v of values) h[v]!++;
  const histo = h.filter((c) => c > 0);
  if (histo.length <= 1) return values;
  const step = Math.floor((histo.reduce((a, b) => a + b, 0) - histo[histo.length - 1]!) / 255);
  if (step === 0) return values;
  const lut: number[] = [];
  let n = Math.floor(step / 2);
  for (let i = 0; i < 256; i++) {
    lut.push(Math.min(255, Math.floor(n / step)));
    n += h[i]!;
  }
  return values.map((v) => lut[v]!);
}

test('equalize matches PIL on a known histogram, per image and channel', () => {
  torch.tidy(() => {
    // Channel 0: a 4×4 image with a spread histogram large enough for step ≥ 1 needs ≥ 256 pixels,
    // so use 16×16 (256 pixels); channel 1: two levels only (step 0 → unchanged); channel 2: skewed.
    const h = 16;
    const level = (n: number, c: number, y: number, x: number): number => {
      const i = y * h + x;
      if (c === 0) return (i * 7 + n * 3) % 256;
      if (c === 1) return i < 200 ? 10 : 20;
      return Math.min(255, Math.floor((i * i) / 200) + n);
    };
    const x = images(2, h, h, (n, c, y, xx) => level(n, c, y, xx) / 255);
    const out = A.equalize(x).data() as Float32Array;
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 3; c++) {
        const vals: number[] = [];
        for (let y = 0; y < h; y++) for (let xx = 0; xx < h; xx++) vals.push(level(n, c, y, xx));
        const expected = pilEqualize(vals);
        const got = vals.map((_, i) => Math.round(at(out, [2, 3, h, h], n, c, Math.floor(i / h), i % h) * 255));
        assert.deepEqual(got, expected, `image ${n} channel ${c}`);
      }
    }
    // A hand-checked case: levels 0 (128 px), 100 (64 px), 200 (64 px) → step = (256 − 64) // 255 = 0 → unchanged.
    const small = images(1, 16, 16, (n, c, y) => (y < 8 ? 0 : y < 12 ? 100 : 200) / 255);
    assertClose(A.equalize(small), small.data() as Float32Array, 0, 'step 0');
  });
});

test('autoContrast stretches each channel min → 0, max → 1; a flat channel stays', () => {
  torch.tidy(() => {
    const x = images(2, 3, 3, (n, c, y, xx) => (c === 2 ? 0.4 : 0.2 + 0.05 * (y * 3 + xx) + 0.1 * n * c));
    const out = A.autoContrast(x);
    const ref = reference(x, (s, n, c, y, xx) => {
      if (c === 2) return 0.4;
      const lo = 0.2 + 0.1 * n * c;
      const hi = lo + 0.4;
      return (at(s, x.shape, n, c, y, xx) - lo) / (hi - lo);
    });
    assertClose(out, ref, 1e-5, 'autoContrast');
  });
});

test('brightness, color, contrast: PIL blend formulas against a JS reference', () => {
  torch.tidy(() => {
    const x = images(2, 2, 3, (n, c, y, xx) => ((n * 5 + c * 3 + y * 2 + xx * 7) % 11) / 10);
    const shape = x.shape;
    const luma = (s: Float32Array, n: number, y: number, xx: number) =>
      0.299 * at(s, shape, n, 0, y, xx) + 0.587 * at(s, shape, n, 1, y, xx) + 0.114 * at(s, shape, n, 2, y, xx);
    const clip = (v: number) => Math.min(1, Math.max(0, v));
    const f = [0.3, 1.6];
    assertClose(A.brightness(x, f), reference(x, (s, n, c, y, xx) => clip(at(s, shape, n, c, y, xx) * f[n]!)), 1e-6, 'brightness');
    assertClose(A.color(x, f), reference(x, (s, n, c, y, xx) => {
      const g = luma(s, n, y, xx);
      return clip(g + f[n]! * (at(s, shape, n, c, y, xx) - g));
    }), 1e-6, 'color');
    assertClose(A.contrast(x, f), reference(x, (s, n, c, y, xx) => {
      let m = 0;
      for (let yy = 0; yy < 2; yy++) for (let x2 = 0; x2 < 3; x2++) m += luma(s, n, yy, x2) / 6;
      return clip(m + f[n]! * (at(s, shape, n, c, y, xx) - m));
    }), 1e-6, 'contrast');
  });
});

test('sharpness blends with PIL’s 3×3 SMOOTH kernel, border pixels kept', () => {
  torch.tidy(() => {
    const x = images(1, 5, 6, levels);
    const f = 0.3;
    const ref = reference(x, (s, n, c, y, xx) => {
      const v = at(s, x.shape, n, c, y, xx);
      if (y === 0 || xx === 0 || y === 4 || xx === 5) return v;
      let sum = 4 * v; // centre weight 5 = 1 (in the 3×3 box) + 4
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += at(s, x.shape, n, c, y + dy, xx + dx);
      const smooth = sum / 13;
      return Math.min(1, Math.max(0, smooth + f * (v - smooth)));
    });
    assertClose(A.sharpness(x, f), ref, 1e-6, 'sharpness');
  });
});

test('fillRects / Cutout paint exactly the square, in the given colour', () => {
  torch.tidy(() => {
    const x = images(2, 10, 10, () => 0.25);
    const rects = [A.cutoutRect(4, 5, 5, 10, 10), A.NO_RECT];
    assert.deepEqual(rects[0], { x0: 3, y0: 3, x1: 7, y1: 7 });
    // Near the right border the square is cut; near the left its corner is clamped to 0.
    assert.deepEqual(A.cutoutRect(4, 9.5, 0.5, 10, 10), { x0: 7, y0: 0, x1: 10, y1: 4 });
    const out = A.fillRects(x, rects, [0.1, 0.2, 0.3]);
    const ref = reference(x, (s, n, c, y, xx) => (n === 0 && y >= 3 && y < 7 && xx >= 3 && xx < 7 ? [0.1, 0.2, 0.3][c]! : 0.25));
    assertClose(out, ref, 1e-7, 'cutout');
    // Random Cutout: squares of side ≤ half the image, in the authors' grey.
    const big = images(64, 16, 16, () => 1);
    const cut = A.cutout(big, new Rng(3)).data() as Float32Array;
    for (let n = 0; n < 64; n++) {
      let painted = 0;
      for (let y = 0; y < 16; y++) for (let xx = 0; xx < 16; xx++) if (at(cut, big.shape, n, 0, y, xx) !== 1) {
        painted++;
        assert.ok(Math.abs(at(cut, big.shape, n, 0, y, xx) - 125 / 255) < 1e-6);
      }
      assert.ok(painted <= 64, `image ${n}: ${painted} pixels painted, at most 8×8`);
    }
  });
});

test('weak: a crop is a whole-pixel shifted copy with zero padding, then an optional mirror', () => {
  torch.tidy(() => {
    const x = images(3, 12, 12, (n, c, y, xx) => 0.1 + levels(n, c, y, xx) * 0.9);
    const params: A.WeakParams[] = [{ dx: 3, dy: -2, flip: false }, { dx: -8, dy: 8, flip: true }, { dx: 0, dy: 0, flip: false }];
    const out = A.applyWeak(x, params);
    const ref = reference(x, (s, n, c, y, xx) => {
      const p = params[n]!;
      const cx = p.flip ? 11 - xx : xx; // the mirror comes after the crop
      const sy = y + p.dy;
      const sx = cx + p.dx;
      return sy >= 0 && sy < 12 && sx >= 0 && sx < 12 ? at(s, x.shape, n, c, sy, sx) : 0;
    });
    assertClose(out, ref, 0, 'weak');
    // Random weak: same size; each image is one of the 17×17 shifts (or none), mirrored or not.
    const rand = A.weak(x, new Rng(11));
    assert.deepEqual(rand.shape, x.shape);
    const r = rand.data() as Float32Array;
    const src = x.data() as Float32Array;
    for (let n = 0; n < 3; n++) {
      let found = false;
      for (let dy = -8; dy <= 8 && !found; dy++) for (let dx = -8; dx <= 8 && !found; dx++) for (const flip of [false, true]) {
        let ok = true;
        for (let c = 0; c < 3 && ok; c++) for (let y = 0; y < 12 && ok; y++) for (let xx = 0; xx < 12 && ok; xx++) {
          const cx = flip ? 11 - xx : xx;
          const sy = y + dy;
          const sx = cx + dx;
          const v = sy >= 0 && sy < 12 && sx >= 0 && sx < 12 ? at(src, x.shape, n, c, sy, sx) : 0;
          ok = at(r, x.shape, n, c, y, xx) === v;
        }
        if (ok) found = true;
      }
      assert.ok(found, `image ${n} is not a shifted (mirrored) copy`);
    }
    // Crop shifts stay within the padding; about half the images are cropped and half mirrored.
    const many = A.sampleWeak(new Rng(5), 2000);
    assert.ok(many.every((p) => Math.abs(p.dx) <= 8 && Math.abs(p.dy) <= 8));
    const cropped = many.filter((p) => p.dx !== 0 || p.dy !== 0).length / 2000;
    const flipped = many.filter((p) => p.flip).length / 2000;
    assert.ok(cropped > 0.42 && cropped < 0.55, `cropped ${cropped}`);
    assert.ok(flipped > 0.45 && flipped < 0.55, `flipped ${flipped}`);
  });
});

test('RandAugment: one batch, a different op per image, each as if applied alone', () => {
  torch.tidy(() => {
    const ops = A.RAND_AUGMENT_OPS;
    // 24×24 = 576 pixels: enough for equalize's step = (pixels − last bin) // 255 to be ≥ 1.
    // Levels in 51..204 so that autoContrast has something to stretch.
    const x = images(ops.length, 24, 24, (n, c, y, xx) => (51 + Math.round(levels(n, c, y, xx) * 153)) / 255);
    // Magnitudes near 0.15: far from each op's identity (mid-range is 0° / no shear / no shift).
    const plan: A.RandAugmentPlan = ops.map((op, i) => [{ op, magnitude: 0.15 + 0.01 * i }]);
    const out = A.applyRandAugment(x, plan);
    ops.forEach((op, i) => {
      const one = x.narrow(0, i, 1).contiguous();
      const alone = A.applyRandAugment(one, [plan[i]!]);
      assertClose(out.narrow(0, i, 1).contiguous(), alone.data() as Float32Array, 1e-6, op);
      if (op !== 'identity') assert.ok(alone.sub(one).abs().max().item() > 0, `${op} changed nothing`);
    });
    // Two rounds compose in order: brightness 0.5 then solarize at level 64 (the brightened values).
    const two = A.applyRandAugment(x.narrow(0, 0, 1).contiguous(), [[{ op: 'brightness', magnitude: (0.5 - 0.05) / 0.9 }, { op: 'solarize', magnitude: 64 / 256 }]]);
    assertClose(two, A.solarize(A.brightness(x.narrow(0, 0, 1).contiguous(), 0.5), 64 / 255).data() as Float32Array, 1e-6, 'two rounds');
    // Sampled plans: 3 ops per image, drawn per image.
    const sampled = A.sampleRandAugment(new Rng(1), 32);
    assert.ok(sampled.every((p) => p.length === 3 && p.every((s) => s.magnitude >= 0 && s.magnitude < 1)));
    assert.ok(new Set(sampled.map((p) => p.map((s) => s.op).join())).size > 20, 'images draw different ops');
  });
});

test('random erasing follows torchvision’s sampling; Gaussian noise has the asked σ', () => {
  torch.tidy(() => {
    const rng = new Rng(9);
    const o = { p: 1, scale: [0.02, 0.33] as const, ratio: [0.3, 3.3] as const, value: 0 };
    for (let i = 0; i < 200; i++) {
      const r = A.sampleErasingRect(rng, 32, 32, o);
      const area = (r.x1 - r.x0) * (r.y1 - r.y0);
      assert.ok(r.x0 >= 0 && r.y0 >= 0 && r.x1 < 33 && r.y1 < 33);
      // Rounding h and w moves the area a little beyond the scale bounds.
      assert.ok(area === 0 || (area >= 0.02 * 1024 * 0.6 && area <= 0.33 * 1024 * 1.3), `area ${area}`);
    }
    const x = images(4, 32, 32, () => 0.5);
    const erased = A.randomErasing(x, new Rng(2), { p: 1, value: 0 }).data() as Float32Array;
    for (let n = 0; n < 4; n++) {
      let zeros = 0;
      for (let y = 0; y < 32; y++) for (let xx = 0; xx < 32; xx++) if (at(erased, x.shape, n, 1, y, xx) === 0) zeros++;
      assert.ok(zeros > 0 && zeros < 1024 * 0.5, `image ${n}: ${zeros} erased`);
    }
    const noisy = A.gaussianNoise(x, new Rng(4), 0.05, [1, 0, 1, 0]);
    const d = noisy.sub(x);
    assert.equal(d.narrow(0, 1, 1).abs().max().item(), 0, 'unflagged image untouched');
    const std = d.narrow(0, 0, 1).std().item();
    assert.ok(Math.abs(std - 0.05) < 0.003, `σ = ${std}`);
    assert.ok(Math.abs(d.narrow(0, 2, 1).mean().item()) < 0.005);
  });
});

test('SCN pipeline: flip or noise on about half the images, erasing in the mean colour', () => {
  torch.tidy(() => {
    const x = images(200, 8, 8, levels);
    const flipOnly = A.scnAugment(x, new Rng(1), { noiseStd: 0, erasing: false });
    const flipped = x.flip(3);
    let same = 0;
    let mirrored = 0;
    for (let n = 0; n < 200; n++) {
      const y = flipOnly.narrow(0, n, 1);
      if (y.sub(x.narrow(0, n, 1)).abs().max().item() === 0) same++;
      else if (y.sub(flipped.narrow(0, n, 1)).abs().max().item() === 0) mirrored++;
    }
    assert.equal(same + mirrored, 200, 'every image is unchanged or mirrored');
    assert.ok(mirrored > 30 && mirrored < 75, `${mirrored} of 200 mirrored (expected ≈ 50)`);
    const grey = images(8, 16, 16, () => 1);
    const e = A.scnAugment(grey, new Rng(3), { basicProb: 0, erasing: { p: 1 } }).data() as Float32Array;
    const fills = new Set<number>();
    for (let c = 0; c < 3; c++) for (let i = 0; i < 256; i++) {
      const v = at(e, grey.shape, 0, c, Math.floor(i / 16), i % 16);
      if (v !== 1) fills.add(Math.round(v * 1000));
    }
    assert.deepEqual([...fills].sort(), [406, 456, 485], 'ImageNet mean = 0 after normalisation');
  });
});

test('pipelines: determinism, per-image randomness, range [0, 1], uint8 input, batch size 1', () => {
  torch.tidy(() => {
    const x = images(8, 32, 32, levels);
    const u8 = x.mul(255).round().to('uint8');
    for (const kind of A.AUGMENT_KINDS) {
      const aug = A.buildAugment(kind, { size: 32 });
      const a = aug(x, new Rng(7));
      const b = aug(x, new Rng(7));
      assert.deepEqual(a.shape, [8, 3, 32, 32]);
      assert.equal(a.dtype, 'float32');
      assert.equal(a.sub(b).abs().max().item(), 0, `${kind}: same seed, same output`);
      assert.ok(a.min().item() >= 0 && a.max().item() <= 1, `${kind}: range`);
      assert.equal(aug(u8, new Rng(7)).sub(a).abs().max().item(), 0, `${kind}: uint8 input`);
      assert.deepEqual(aug(x.narrow(0, 0, 1).contiguous(), new Rng(1)).shape, [1, 3, 32, 32], `${kind}: batch size 1`);
      if (kind !== 'none') assert.ok(aug(x, new Rng(8)).sub(a).abs().max().item() > 0, `${kind}: other seed differs`);
    }
    // Its own stream when no Rng is passed: successive calls differ, a rebuilt pipeline repeats.
    const s1 = A.buildAugment('strong', { seed: 3 });
    const first = s1(x);
    assert.ok(s1(x).sub(first).abs().max().item() > 0);
    assert.equal(A.buildAugment('strong', { seed: 3 })(x).sub(first).abs().max().item(), 0);
    // Per image: the same image repeated in a batch gets different strong views.
    const same = x.narrow(0, 0, 1).repeat(8, 1, 1, 1);
    const views = A.buildAugment('strong')(same, new Rng(2));
    let distinct = 0;
    for (let i = 1; i < 8; i++) if (views.narrow(0, i, 1).sub(views.narrow(0, 0, 1)).abs().max().item() > 0) distinct++;
    assert.equal(distinct, 7);
    assert.throws(() => A.buildAugment('weak', { size: 16 })(x), /expected 16×16 images, got 32×32/);
    assert.throws(() => A.buildAugment('bogus' as A.AugmentKind), /unknown augmentation 'bogus'/);
    assert.throws(() => A.buildAugment('scn', { scn: { noiseStd: -1 } }), /noiseStd must be a finite number ≥ 0/);
  });
});

test('normalize / denormalize with the ImageNet statistics', () => {
  torch.tidy(() => {
    const x = images(1, 1, 1, (n, c) => [0.485, 0.456, 0.406][c]! + [0.229, 0.224, 0.225][c]!);
    assertClose(A.normalize(x), [1, 1, 1], 1e-6, 'normalize');
    assertClose(A.denormalize(A.normalize(x)), x.data() as Float32Array, 1e-6, 'round trip');
  });
});

test('no tensor is left behind by any pipeline', () => {
  const x = torch.keep(images(4, 16, 16, levels));
  const before = torch.memory().tensors;
  for (const kind of A.AUGMENT_KINDS) {
    const y = A.buildAugment(kind)(x, new Rng(1));
    y.dispose();
  }
  assert.equal(torch.memory().tensors, before);
  x.dispose();
});
