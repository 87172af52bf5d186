/**
 * Per-image nuisance: pose, lighting, camera and occlusion. None of it carries
 * information about the expression; it is what makes the synthetic task a real
 * learning problem instead of template matching.
 */
import { type Rgb, hsl, mix } from './color.js';
import type { Identity } from './identity.js';
import type { Rng } from './random.js';

export type OcclusionKind = 'patch' | 'hand' | 'mask' | 'bar';

export interface Occlusion {
  kind: OcclusionKind;
  /** Centre in the canonical 100×100 frame. */
  x: number;
  y: number;
  /** Size (patch/bar: width and height; hand: palm radius in `w`). */
  w: number;
  h: number;
  /** Degrees. */
  angle: number;
  color: Rgb;
}

export interface BackgroundShape {
  x: number;
  y: number;
  r: number;
  color: Rgb;
  square: boolean;
}

export interface Scene {
  background: Rgb;
  background2: Rgb;
  clutter: BackgroundShape[];
  shirt: Rgb;
  /** In-plane head rotation in degrees. */
  rotation: number;
  scale: number;
  /** Translation in canonical units. */
  dx: number;
  dy: number;
  /** Direction the light comes from (degrees) and how strong the gradient is (0..0.35). */
  lightAngle: number;
  lightStrength: number;
  /** out = contrast · in + brightness, per channel (colour cast). */
  contrast: [number, number, number];
  brightness: number;
  /** Gaussian blur sigma in canonical units (1 = 1 px at 100 px). */
  blur: number;
  /** Gaussian pixel noise, standard deviation in 0..255 units. */
  noise: number;
  noiseSeed: number;
  occlusion: Occlusion | null;
}

/** `nuisance` in [0, 1] scales every kind of variation (0 = studio shot, 1 = default). */
export function sampleScene(rng: Rng, identity: Identity, nuisance = 1): Scene {
  const q = nuisance;
  const background = hsl(rng.uniform(0, 360), rng.uniform(0, 0.35), rng.uniform(0.25, 0.8));
  const clutter: BackgroundShape[] = [];
  const nClutter = rng.chance(0.6 * q) ? 1 + rng.int(3) : 0;
  for (let i = 0; i < nClutter; i++) {
    clutter.push({
      x: rng.uniform(-10, 110), y: rng.uniform(-10, 110), r: rng.uniform(8, 30),
      color: hsl(rng.uniform(0, 360), rng.uniform(0, 0.5), rng.uniform(0.15, 0.9)), square: rng.chance(0.5),
    });
  }
  const cast = (): number => 1 + rng.normal(0, 0.05 * q);
  const c = rng.uniform(1 - 0.25 * q, 1 + 0.15 * q);
  return {
    background,
    background2: mix(background, rng.chance(0.5) ? [255, 255, 255] : [0, 0, 0], rng.uniform(0, 0.4)),
    clutter,
    shirt: hsl(rng.uniform(0, 360), rng.uniform(0, 0.6), rng.uniform(0.1, 0.8)),
    rotation: Math.max(-15, Math.min(15, rng.normal(0, 5 * q))),
    scale: 1 + rng.uniform(-0.1, 0.1) * q,
    dx: Math.max(-6, Math.min(6, rng.normal(0, 2.5 * q))),
    dy: Math.max(-6, Math.min(6, rng.normal(0, 2.5 * q))),
    lightAngle: rng.uniform(0, 360),
    lightStrength: rng.uniform(0, 0.35 * q),
    contrast: [c * cast(), c * cast(), c * cast()],
    brightness: rng.normal(0, 14 * q),
    blur: rng.chance(0.6 * q) ? rng.uniform(0.3, 1.3) : 0,
    noise: rng.chance(0.7 * q) ? rng.uniform(1, 7) : 0,
    noiseSeed: rng.nextUint32(),
    occlusion: rng.chance(0.08 * q) ? sampleOcclusion(rng, identity) : null,
  };
}

function sampleOcclusion(rng: Rng, identity: Identity): Occlusion {
  const roll = rng.next();
  if (roll < 0.4) {
    // A random patch anywhere on the face (a sticker, a scarf edge, a microphone…).
    const w = rng.uniform(12, 30);
    return { kind: 'patch', x: rng.uniform(25, 75), y: rng.uniform(30, 90), w, h: w * rng.uniform(0.6, 1.6),
      angle: rng.uniform(-40, 40), color: hsl(rng.uniform(0, 360), rng.uniform(0, 0.6), rng.uniform(0.1, 0.9)) };
  }
  if (roll < 0.75) {
    // A hand over the mouth, chin or a cheek, in a skin tone near the face's own.
    const skin = mix(identity.skin, rng.chance(0.5) ? [255, 225, 200] : [120, 80, 55], rng.uniform(0, 0.3));
    return { kind: 'hand', x: rng.uniform(30, 70), y: rng.uniform(70, 95), w: rng.uniform(10, 15), h: 0,
      angle: rng.uniform(-50, 50), color: skin };
  }
  if (roll < 0.9) {
    // A surgical mask: hides the mouth, leaving only brows and eyes.
    return { kind: 'mask', x: 50, y: 0, w: 0, h: 0, angle: 0,
      color: rng.pick<Rgb>([[170, 200, 225], [235, 235, 235], [40, 40, 45]]) };
  }
  // A horizontal bar (an anonymisation bar or a phone) across eyes or mouth.
  return { kind: 'bar', x: 50 + rng.uniform(-10, 10), y: rng.chance(0.5) ? 42 : 78, w: rng.uniform(40, 90), h: rng.uniform(6, 11),
    angle: rng.uniform(-10, 10), color: rng.chance(0.5) ? [10, 10, 10] : hsl(rng.uniform(0, 360), 0.3, rng.uniform(0.2, 0.7)) };
}
