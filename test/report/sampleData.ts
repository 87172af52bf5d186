/**
 * A synthetic but realistic ReportData: curves shaped like an Ada-CM, SCN or
 * supervised run on RAF-DB, a test evaluation with class imbalance, a t-SNE
 * layout and cartoon faces: a test fixture for the report's renderers and the
 * browser check, so they can be exercised without training a model.
 */
import { argmaxRows, evaluateProbs } from '../../src/eval/metrics.js';
import { mulberry32 } from '../../src/eval/tsne.js';
import { faceListsFromImages, pickFaces } from '../../src/report/faces.js';
import { drawFace } from './sampleFaces.js';
import type { EpochRow, MetricsRow, ReportData, StepRow } from '../../src/report/types.js';

export type SampleMethod = 'Ada-CM' | 'SCN' | 'Supervised';

export interface SampleOptions {
  method?: SampleMethod;
  seed?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Log a step row every this many steps. */
  logEvery?: number;
  labelBudget?: number | string;
  testSize?: number;
  /** Final accuracy the curves approach. */
  finalAccuracy?: number;
  faces?: boolean;
}

export const SAMPLE_CLASSES = ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger'];
/** RAF-DB-like test distribution (happy dominates, fear is rare). */
const CLASS_SHARE = [0.22, 0.39, 0.155, 0.107, 0.024, 0.052, 0.053];

function normalFrom(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Saturating learning curve from `a` to `b` over t ∈ [0, 1]. */
function approach(a: number, b: number, t: number, rate = 4): number {
  return b + (a - b) * Math.exp(-rate * t);
}

function metricsRows(o: Required<Omit<SampleOptions, 'faces' | 'labelBudget' | 'testSize'>>): MetricsRow[] {
  const rand = mulberry32(o.seed);
  const normal = normalFrom(rand);
  const rows: MetricsRow[] = [];
  const C = SAMPLE_CLASSES.length;
  const total = o.epochs * o.stepsPerEpoch;
  let thresholds = new Array<number>(C).fill(0.8);
  let teacherAcc = 0.3;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let s = o.logEvery; s <= o.stepsPerEpoch; s += o.logEvery) {
      const step = (epoch - 1) * o.stepsPerEpoch + s;
      const t = step / total;
      const noise = (): number => 1 + 0.18 * normal();
      const lx = Math.max(0.02, approach(1.9, 0.25, t, 5) * noise());
      const row: StepRow = { kind: 'step', epoch, step, lr: 5e-4, loss: {}, imgPerSec: Math.round(56 + 4 * normal()) };
      if (o.method === 'Ada-CM') {
        const subsetI = Math.max(0, Math.min(16, Math.round(approach(2, 12.5, t, 3.5) + 1.6 * normal())));
        const lu = Math.max(0, approach(0.05, 0.42, t, 6) * noise());
        const ls = Math.max(0, approach(4.2, 2.3, t, 3) * (1 + 0.08 * normal()));
        row.loss = { total: 0.5 * lx + lu + 0.1 * ls, Lx: lx, Lu: lu, Ls: ls };
        row.subsetI = subsetI;
        row.subsetII = 16 - subsetI;
        row.maskRate = subsetI / 16;
        row.pseudoLabelAccuracy = Math.min(1, Math.max(0, approach(0.55, 0.88, t, 3) + 0.06 * normal()));
        row.thresholds = [...thresholds];
      } else if (o.method === 'SCN') {
        const rr = Math.max(0, approach(0.14, 0.02, t, 6) * noise());
        row.loss = { total: lx + rr, WCE: lx, RR: rr };
        row.lr = 1e-3 * 0.9 ** (epoch - 1);
      } else {
        row.loss = { total: lx };
        row.lr = 5e-4 * 0.5 * (1 + Math.cos(Math.PI * t));
      }
      rows.push(row);
    }
    const t = epoch / o.epochs;
    const studentAcc = Math.min(0.99, approach(0.42, o.finalAccuracy - 0.015, t, 4) + 0.012 * normal());
    teacherAcc = 0.7 * teacherAcc + 0.3 * Math.min(0.99, approach(0.42, o.finalAccuracy, t, 4) + 0.004 * normal());
    const epochRow: EpochRow = {
      kind: 'epoch',
      epoch,
      student: { accuracy: studentAcc, meanClassAccuracy: studentAcc - 0.07 - 0.01 * rand() },
    };
    if (o.method !== 'Supervised') epochRow.teacher = { accuracy: teacherAcc, meanClassAccuracy: teacherAcc - 0.06 };
    if (o.method === 'Ada-CM') {
      // Ada-CM's margin: max(0.8, m_c · 0.97 / (1 + e^(−epoch))), m_c grows as the teacher gets confident
      thresholds = thresholds.map((_, c) => {
        const m = Math.min(0.999, approach(0.7, 0.97 - 0.04 * (c === 4 ? 1 : 0), t, 3) + 0.01 * normal());
        return Math.max(0.8, (m * 0.97) / (1 + Math.exp(-epoch)));
      });
      epochRow.thresholds = [...thresholds];
    }
    if (o.method === 'SCN' && epoch >= 10) {
      const byClass = CLASS_SHARE.map((p) => Math.round(p * (40 + 30 * rand()) * Math.exp(-(epoch - 10) / 12)));
      epochRow.relabelled = byClass.reduce((a, b) => a + b, 0);
      epochRow.relabelledByClass = byClass;
    }
    rows.push(epochRow);
  }
  return rows;
}

/** Test-set probabilities whose confusions look like FER: fear ↔ surprise, disgust ↔ sad/anger, neutral ↔ sad. */
function testProbs(n: number, accuracy: number, seed: number): { probs: Float32Array; labels: Int32Array } {
  const rand = mulberry32(seed + 101);
  const C = SAMPLE_CLASSES.length;
  const confusable: number[][] = [[2], [0], [0, 5], [4], [3, 2], [2, 6], [5, 0]];
  const easy = [0.85, 0.95, 0.8, 0.85, 0.55, 0.55, 0.75];
  const labels = new Int32Array(n);
  const probs = new Float32Array(n * C);
  let k = 0;
  CLASS_SHARE.forEach((share, c) => {
    const m = c === C - 1 ? n - k : Math.round(share * n);
    for (let i = 0; i < m && k < n; i++) labels[k++] = c;
  });
  const bias = accuracy / 0.85;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const right = rand() < Math.min(0.99, easy[y]! * bias);
    const alts = confusable[y]!;
    const pred = right ? y : rand() < 0.75 ? alts[Math.floor(rand() * alts.length)]! : Math.floor(rand() * C);
    const logits = Array.from({ length: C }, () => rand() * 1.2);
    logits[pred]! += 2 + rand() * 3.5;
    if (!right) logits[y]! += rand() * 2;
    const ex = logits.map(Math.exp);
    const z = ex.reduce((a, b) => a + b, 0);
    ex.forEach((v, c) => (probs[i * C + c] = v / z));
  }
  return { probs, labels };
}

/** A t-SNE-like layout: classes as blobs around a ring, misclassified points pulled towards the predicted class. */
function tsneLayout(labels: Int32Array, preds: Int32Array, seed: number): Float32Array {
  const rand = mulberry32(seed + 202);
  const normal = normalFrom(rand);
  const C = SAMPLE_CLASSES.length;
  const centres = Array.from({ length: C }, (_, c) => [30 * Math.cos((2 * Math.PI * c) / C), 30 * Math.sin((2 * Math.PI * c) / C)]);
  const out = new Float32Array(labels.length * 2);
  for (let i = 0; i < labels.length; i++) {
    const a = centres[labels[i]!]!;
    const b = centres[preds[i]!]!;
    const f = preds[i] === labels[i] ? 0 : 0.55 + 0.3 * rand();
    out[2 * i] = a[0]! * (1 - f) + b[0]! * f + 5.5 * normal();
    out[2 * i + 1] = a[1]! * (1 - f) + b[1]! * f + 5.5 * normal();
  }
  return out;
}

export function sampleReportData(options: SampleOptions = {}): ReportData {
  const method = options.method ?? 'Ada-CM';
  const seed = options.seed ?? 1;
  const epochs = options.epochs ?? 20;
  const budget = options.labelBudget ?? 400;
  // More labels, better model: about +4.5 points per doubling of a numeric budget, around 400.
  const budgetGain = typeof budget === 'number' && budget > 0 ? 0.045 * Math.log2(budget / 400) : 0;
  const final = options.finalAccuracy ?? Math.min(0.95, (method === 'Supervised' ? 0.74 : method === 'SCN' ? 0.8 : 0.84) + budgetGain);
  const metrics = metricsRows({ method, seed, epochs, stepsPerEpoch: options.stepsPerEpoch ?? 800, logEvery: options.logEvery ?? 10, finalAccuracy: final });
  const n = options.testSize ?? 600;
  const { probs, labels } = testProbs(n, final, seed);
  const C = SAMPLE_CLASSES.length;
  const ev = evaluateProbs(probs, labels, C);
  const preds = argmaxRows(probs, C);

  let faces;
  if (options.faces ?? true) {
    const size = 48;
    // Draw only the faces that will be picked; the rest of the batch stays blank.
    const pixels = new Uint8Array(n * size * size * 3);
    const ids = Array.from({ length: n }, (_, i) => `test_${String(i + 1).padStart(4, '0')}_aligned.jpg`);
    const picks = pickFaces(probs, labels, C, 10);
    const wanted = new Set([...picks.confident, ...picks.ambiguous, ...picks.misclassified].map((p) => p.index));
    for (const i of wanted) pixels.set(drawFace(SAMPLE_CLASSES[labels[i]!]!, size, seed * 100000 + i), i * size * size * 3);
    faces = faceListsFromImages({ size, pixels, ids }, probs, labels, C, 10);
  }

  const start = Date.UTC(2026, 10, 26, 9, 12, 5);
  const stepsTotal = epochs * (options.stepsPerEpoch ?? 800);
  const end = start + Math.round((stepsTotal * 48) / 56) * 1000;
  const last = [...metrics].reverse().find((r): r is EpochRow => r.kind === 'epoch');
  return {
    run: {
      name: `${method.toLowerCase()}-rafdb-${budget}-s${seed}`,
      method,
      model: 'ResNet-18 (MS-Celeb-1M)',
      dataset: 'RAF-DB',
      labelBudget: budget,
      seed,
      epochs,
      startTime: new Date(start).toISOString(),
      endTime: new Date(end).toISOString(),
      command: `semifer train --method ${method.toLowerCase()} --data ~/data/RAF-DB --labels ${budget} --epochs ${epochs} --seed ${seed} --out runs/`,
      summary: {
        student: { accuracy: last?.student?.accuracy ?? ev.accuracy, meanClassAccuracy: last?.student?.meanClassAccuracy ?? ev.meanClassAccuracy, macroF1: ev.macroF1 - 0.01, ece: (ev.ece ?? 0) + 0.01 },
        teacher: method === 'Supervised' ? undefined : { accuracy: ev.accuracy, meanClassAccuracy: ev.meanClassAccuracy, macroF1: ev.macroF1, ece: ev.ece },
      },
    },
    classNames: SAMPLE_CLASSES,
    metrics,
    eval: ev,
    evalModel: method === 'Supervised' ? 'student' : 'teacher (EMA)',
    tsne: { points: tsneLayout(labels, preds, seed), labels, predicted: preds, description: 'pooled 512-d features (synthetic layout)' },
    faces,
  };
}
