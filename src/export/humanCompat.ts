/**
 * `semifer export --format tfjs --compat human`: a TF.js graph model with the
 * interface of @vladmandic/human's emotion model, so a Human user swaps it in
 * with `face: { emotion: { modelPath: '…/model.json' } }`.
 *
 * What Human does with an emotion model (src/gear/emotion.ts, Human ≥ 3.0.6):
 * it reads the input shape; for a 3-channel input [N, S, S, 3] it resizes its
 * face crop (RGB, 0–1) bilinearly to S × S, multiplies by 255, subtracts
 * HUMAN_RGB_INPUT.subtract per channel (R, G, B, in that order), executes the
 * model with that one tensor and reads its one output as probabilities in the
 * order HUMAN_RGB_INPUT.classes (no softmax of its own). (A 1-channel input
 * takes Human's other path, the 64 × 64 grayscale model of oarriaga; it is not
 * used here because a semifer model was trained on colour.)
 *
 * The adaptation lives inside the graph: a per-channel affine turns Human's
 * values back into the model's own normalisation (from the model file's
 * metadata), and the softmax is multiplied by a 0/1 matrix that puts each
 * semifer class at its Human name (a Human class the model lacks gets 0).
 */
import { canonicalClassName } from '../data/classes.js';
import { errorOfKind } from '../errorKind.js';
import type { SemiferExportMetadata } from './metadata.js';

export const COMPAT_TARGETS = ['human'] as const;
export type CompatTarget = (typeof COMPAT_TARGETS)[number];

/** Human's interface for an RGB emotion model (its `rgb` branch; the class order it labels the output with). */
export const HUMAN_RGB_INPUT = {
  classes: ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'],
  /** Human's input value for channel c: 255 · pixel(0–1) − subtract[c]. */
  multiply: 255,
  subtract: [103.939, 116.779, 123.68],
} as const;

/** A model that cannot take Human's interface (e.g. a class Human has no name for): the user's model, exit 2. */
export class CompatError extends errorOfKind('bad-input') {}

/** What the graph and the files need for a compat export. */
export interface CompatAdapter {
  /** The model's input from the target's: x_model[c] = x_target[c] · scale[c] + shift[c]. */
  inputScale: Float32Array;
  inputShift: Float32Array;
  /** C × K, row-major: probabilities_target = probabilities_model · classMatrix. */
  classMatrix: Float32Array;
  /** The index in the target's classes of each model class. */
  targetIndex: number[];
  /** The metadata written into the export: the target's classes, input units and single output. */
  metadata: SemiferExportMetadata;
}

/** Where each of the model's classes goes in Human's list; throws CompatError naming what cannot be mapped. */
export function humanClassIndex(classes: readonly string[], where: string): number[] {
  const human = HUMAN_RGB_INPUT.classes;
  const humanCanonical = human.map((h) => canonicalClassName(h));
  const used = new Map<number, string>();
  return classes.map((c) => {
    const canonical = canonicalClassName(c);
    const j = canonical ? humanCanonical.indexOf(canonical) : -1;
    if (j < 0) {
      throw new CompatError(`${where}: class '${c}' has no counterpart among Human's emotion classes (${human.join(', ')}); ` +
        `--compat human needs every class of the model to be one of them (under any spelling semifer accepts, e.g. 'anger' for 'angry')`);
    }
    const other = used.get(j);
    if (other !== undefined) throw new CompatError(`${where}: classes '${other}' and '${c}' both map to Human's '${human[j]}'`);
    used.set(j, c);
    return j;
  });
}

/** The adapter from a normal TF.js export's metadata (the model's classes and normalisation) to Human's interface. */
export function humanCompat(meta: SemiferExportMetadata, where: string): CompatAdapter {
  const targetIndex = humanClassIndex(meta.classes, where);
  const { multiply, subtract, classes } = HUMAN_RGB_INPUT;
  const K = classes.length;
  const inputScale = new Float32Array(3);
  const inputShift = new Float32Array(3);
  for (let c = 0; c < 3; c++) {
    // Human: x = multiply·p − subtract; the model: (byte·scale − mean)/std with byte = 255·p.
    // So p = (x + subtract)/multiply and x_model = ((x + subtract)·255·scale/multiply − mean)/std.
    const k = (255 * meta.input.scale) / multiply;
    inputScale[c] = k / meta.input.std[c]!;
    inputShift[c] = (subtract[c]! * k - meta.input.mean[c]!) / meta.input.std[c]!;
  }
  const classMatrix = new Float32Array(meta.classes.length * K);
  targetIndex.forEach((j, i) => (classMatrix[i * K + j] = 1));
  return {
    inputScale, inputShift, classMatrix, targetIndex,
    metadata: {
      ...meta,
      classes: [...classes],
      // In these units inputFromPixels gives exactly Human's values: byte·1 − subtract[c].
      input: { ...meta.input, layout: 'NHWC', scale: multiply / 255, mean: [subtract[0], subtract[1], subtract[2]], std: [1, 1, 1] },
      outputs: { probabilities: 'probabilities' },
      compat: 'human',
    },
  };
}

/** Model probabilities (N × C) in the target's order (N × K), as the compat graph computes them. */
export function toTargetOrder(probabilities: Float32Array, a: CompatAdapter): Float32Array {
  const C = a.targetIndex.length;
  const K = a.classMatrix.length / C;
  const n = probabilities.length / C;
  const out = new Float32Array(n * K);
  for (let r = 0; r < n; r++) a.targetIndex.forEach((j, i) => (out[r * K + j] = probabilities[r * C + i]!));
  return out;
}
