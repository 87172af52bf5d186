/**
 * `semifer label suggest`: ranks a face folder's unanswered faces (ranking.ts)
 * with a run's model — its probabilities, its backbone features and the
 * method's thresholds (runModel.ts) — or, with no run yet, on the cold-start
 * pixel embedding alone. The result goes to suggested.json beside
 * the labels file, where `label serve` takes its order and the model's guesses.
 */
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../files/writeFileAtomic.js';
import { SEVEN_CLASSES } from '../data/classes.js';
import { openLabelsFile, readLabelsFile } from '../data/labelsFile.js';
import { decodeFaces, type FaceFolder } from './faceFolder.js';
import { defaultEmbedding, pixelEmbedding, rank, type Criterion, type Embedding } from './ranking.js';

export interface SuggestOptions {
  folder: FaceFolder;
  run?: string;
  n: number;
  criterion: Criterion;
  /** Features the distances are measured on (default: defaultEmbedding; pixels without a run). */
  embedding?: Embedding;
  seed?: number;
  /** Classes when neither a run nor an existing labels file gives them. */
  classes?: string[];
  onProgress?: (what: string, done: number, total: number) => void;
}

export interface SuggestedFace {
  image: string;
  guess?: string;
  probabilities?: number[];
  uncertainty?: number;
}

export interface SuggestionsDoc {
  version: 1;
  run: string | null;
  criterion: Criterion;
  classes: string[];
  thresholds: number[] | null;
  thresholdSource: string | null;
  /** What diversity was measured on. */
  embedding: 'backbone features' | 'pixels (16×16 grey, standardised)';
  answered: number;
  unanswered: number;
  createdAt: string;
  faces: SuggestedFace[];
}

/** Side the cold-start embedding decodes faces at (it averages them down to 16 × 16). */
const COLD_START_DECODE = 32;

export async function suggest(o: SuggestOptions): Promise<SuggestionsDoc> {
  const { folder } = o;
  const runModel = o.run !== undefined ? await (await import('./runModel.js')).openRunModel(o.run) : undefined;
  try {
    // The run's classes, else --classes, else the file's; openLabelsFile refuses a file with other classes.
    const classes = runModel?.meta.classes ?? o.classes ?? (existsSync(folder.labelsFile) ? readLabelsFile(folder.labelsFile).classes : [...SEVEN_CLASSES]);
    const labels = openLabelsFile(folder.labelsFile, classes);
    const size = runModel?.meta.size ?? COLD_START_DECODE;
    const decoded = await decodeFaces(folder.faces, size, (d, t) => o.onProgress?.('decode faces', d, t));
    const faces = decoded.kept.map((i) => folder.faces[i]!);
    const row = new Map(faces.map((f, i) => [f.image, i]));
    const labelled: number[] = [], exclude = new Set<number>();
    const counts = new Array<number>(classes.length).fill(0);
    for (const a of labels.answers) {
      const i = row.get(a.image);
      const c = classes.indexOf(a.label);
      if (c >= 0) counts[c]!++;
      if (i === undefined) continue;
      exclude.add(i);
      if (c >= 0) labelled.push(i);
    }
    const embedding = runModel ? o.embedding ?? defaultEmbedding(o.criterion, true) : 'pixels';
    let probs: Float32Array | undefined;
    let features;
    if (runModel) {
      const { predict } = await import('../eval/predict.js');
      const p = predict(runModel.model, decoded.pixels, size, { features: embedding === 'backbone' });
      probs = p.probs;
      if (embedding === 'backbone') features = p.featureDim ? { data: p.features!, dim: p.featureDim } : undefined;
    }
    if (embedding === 'pixels') features = pixelEmbedding(decoded.pixels, size);
    const C = classes.length;
    const picks = rank({ probs, numClasses: probs ? C : undefined, features, thresholds: runModel?.thresholds, labelledCounts: counts, labelled, exclude, seed: o.seed }, o.criterion, o.n);
    const round = (v: number) => Number(v.toFixed(4));
    return {
      version: 1, run: o.run ?? null, criterion: o.criterion, classes,
      thresholds: runModel?.thresholds?.map(round) ?? null, thresholdSource: runModel?.thresholdSource ?? null,
      embedding: embedding === 'backbone' ? 'backbone features' : 'pixels (16×16 grey, standardised)',
      answered: exclude.size, unanswered: faces.length - exclude.size, createdAt: new Date().toISOString(),
      faces: picks.map((s) => ({
        image: faces[s.index]!.image,
        ...(s.guess !== undefined ? { guess: classes[s.guess], probabilities: Array.from(probs!.subarray(s.index * C, (s.index + 1) * C), round), uncertainty: round(s.uncertainty!) } : {}),
      })),
    };
  } finally {
    runModel?.model.dispose();
  }
}

export function writeSuggestions(file: string, doc: SuggestionsDoc): void {
  writeFileAtomic(file, `${JSON.stringify(doc, null, 1)}\n`);
}
