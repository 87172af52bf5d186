/**
 * Usage: USAGE below (`--help` prints it).
 *
 * A criterion may name the features its distances use, as `label suggest --features` does:
 * `typical:pixels`, `diversity:backbone` (default: the criterion's own, ranking.ts).
 *
 * The labelling loop simulated on synthetic faces, the true labels playing the
 * user: start from 1 label per class (drawn with the seed), then rounds of
 * train → `label suggest` (src/label/suggest.ts, the command's own code) →
 * "label" the suggested faces with their true class (writeLabelsFile, as
 * `label serve` does) → train again, afresh with a cosine-decayed rate
 * (`--start scratch`) or continuing from the previous round's model
 * (`--start previous`, `--resume-from`). Accuracy is measured on the synthetic test split,
 * which is never labelled or suggested. Prints a Markdown table of accuracy
 * against labels used, mean ± std over the seeds, per criterion, and writes
 * DIR/results.json.
 *
 * Kept small for a shared 2-core machine: 700 clean faces (nuisance 0) at
 * `--size` px (32), `--model` (the small CNN; the first round starts from
 * `--pretrained` when given), `--steps` steps per round of `--method`
 * (supervised), batch 16 (7 in the first round, which has only 7 labels).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { synthesizeDataset } from '../src/data/synth/index.js';
import { SEVEN_CLASSES } from '../src/data/classes.js';
import { writeLabelsFile, type LabelAnswer } from '../src/data/labelsFile.js';
import { rngFor } from '../src/data/random.js';
import { openFaceFolder } from '../src/label/faceFolder.js';
import { suggest } from '../src/label/suggest.js';
import { CRITERIA, EMBEDDINGS, type Criterion, type Embedding } from '../src/label/ranking.js';
import { defaultConfig, train } from '../src/train/index.js';
import { ARCHS, type Arch } from '../src/models/index.js';
import { cropPaddingFor } from '../src/train/runDefaults.js';
import { benchArgs } from './args.js';

const USAGE = 'node dist/bench/labelling.js [--out DIR] [--seeds 0,1,2] [--criteria typical,random] [--budgets 7,14,28,49,70,100] [--start scratch|previous] [--steps 300] [--epochs 10] [--method supervised] [--model small --size 32 | --model mobilefacenet --pretrained human-models:mobilefacenet --size 64]';

const arg = benchArgs(USAGE, ['out', 'seeds', 'criteria', 'budgets', 'start', 'steps', 'epochs', 'method', 'model', 'size', 'pretrained']);

const out = resolve(arg('out', '.cache/semifer/bench-labelling'));
const seeds = arg('seeds', '0,1,2').split(',').map(Number);
const criteria = arg('criteria', 'typical,random').split(',');
const budgets = arg('budgets', '7,14,28,49,70,100').split(',').map(Number);
/**
 * How each round trains. `previous` (the protocol first measured): continue from the previous
 * round's model for `--steps` steps at a constant rate. `scratch`: start every round afresh
 * (from `--pretrained` or random weights, the same start for every criterion) and decay the rate
 * to 0 on a cosine over `--epochs` epochs, so the last model is not a snapshot of a still-moving
 * network and one round's luck does not carry into the next.
 */
const start = arg('start', 'scratch');
if (start !== 'previous' && start !== 'scratch') throw new Error(`--start ${start}: expected previous or scratch`);
const steps = Number(arg('steps', start === 'scratch' ? '300' : '100'));
const epochs = Number(arg('epochs', start === 'scratch' ? '10' : '1'));
if (!Number.isInteger(epochs) || epochs < 1 || steps % epochs !== 0) throw new Error(`--epochs ${epochs}: expected a whole number ≥ 1 dividing --steps ${steps}`);
/** supervised by default; a semi-supervised method also gets every pool face as unlabelled data. */
const method = arg('method', 'supervised');
const model = arg('model', 'small') as Arch;
if (!ARCHS.includes(model)) throw new Error(`unknown --model ${model}; expected ${ARCHS.join(', ')}`);
const size = Number(arg('size', '32'));
const pretrained = arg('pretrained', '') || null;
/** Batch of every round; the 7-label first round trains on batches of 7 (train refuses a batch larger than the labelled set). */
const BATCH = 16;
/** `name` or `name:features`. */
function parseCriterion(spec: string): { criterion: Criterion; embedding?: Embedding } {
  const [name, features] = spec.split(':') as [Criterion, Embedding | undefined];
  if (!CRITERIA.includes(name)) throw new Error(`unknown criterion ${name}; expected ${CRITERIA.join(', ')}`);
  if (features !== undefined && !EMBEDDINGS.includes(features)) throw new Error(`unknown features ${features} in ${spec}; expected ${EMBEDDINGS.join(', ')}`);
  return { criterion: name, embedding: features };
}
criteria.forEach(parseCriterion);
if (budgets[0] !== SEVEN_CLASSES.length) throw new Error(`the first budget must be one label per class (${SEVEN_CLASSES.length})`);

/** Links every image of root/<split>/<class>/ into dest (flat), returning name → class. */
function linkSplit(root: string, split: string, dest: string): Map<string, string> {
  mkdirSync(dest, { recursive: true });
  const truth = new Map<string, string>();
  for (const c of readdirSync(join(root, split))) {
    for (const f of readdirSync(join(root, split, c))) {
      if (!existsSync(join(dest, f))) symlinkSync(join(root, split, c, f), join(dest, f));
      truth.set(f, c);
    }
  }
  return truth;
}

/** An ImageFolder of the labelled faces (train) and the synthetic test split, for `train`. */
function roundDataset(dir: string, answers: LabelAnswer[], poolFaces: string, synth: string): string {
  rmSync(dir, { recursive: true, force: true });
  for (const a of answers) {
    const name = a.image.split('/').pop()!;
    mkdirSync(join(dir, 'train', a.label), { recursive: true });
    symlinkSync(join(poolFaces, name), join(dir, 'train', a.label, name));
  }
  for (const c of readdirSync(join(synth, 'test'))) {
    mkdirSync(join(dir, 'test', c), { recursive: true });
    for (const f of readdirSync(join(synth, 'test', c))) symlinkSync(join(synth, 'test', c, f), join(dir, 'test', c, f));
  }
  return dir;
}

async function main(): Promise<void> {
  const synth = join(out, `synth-${size}`);
  await synthesizeDataset({ out: synth, n: 700, format: 'imagefolder', size, seed: 0, nuisance: 0, testFraction: 0.2 });
  const pool = join(out, `pool-${size}`);
  const truth = linkSplit(synth, 'train', join(pool, 'faces'));
  const results: { criterion: string; seed: number; labels: number; accuracy: number; seconds: number }[] = [];
  for (const seed of seeds) {
    for (const spec of criteria) {
      const { criterion, embedding } = parseCriterion(spec);
      const sim = join(out, `${spec.replace(':', '-')}-seed${seed}`);
      rmSync(sim, { recursive: true, force: true });
      mkdirSync(sim, { recursive: true });
      const folder = openFaceFolder(pool, join(sim, 'labels.csv'));
      // One face per class, drawn with the seed: the same start for every criterion.
      const rng = rngFor(seed, 'labelling-start');
      const answers: LabelAnswer[] = SEVEN_CLASSES.map((c) => {
        const of = folder.faces.filter((f) => truth.get(f.image.split('/').pop()!) === c);
        const f = of[rng.int(of.length)]!;
        return { image: f.image, label: c };
      });
      let previous: string | undefined;
      for (let r = 0; r < budgets.length; r++) {
        writeLabelsFile(folder.labelsFile, { classes: [...SEVEN_CLASSES], answers });
        const runDir = join(sim, `round${r}`);
        const t0 = performance.now();
        const cfg = defaultConfig({
          dataset: 'imagefolder', root: roundDataset(join(sim, `data${r}`), answers, join(pool, 'faces'), synth), method, out: runDir,
          labels: 'all', model, size, pretrained: start === 'previous' && previous ? null : pretrained, batch: Math.min(BATCH, answers.length), epochs, stepsPerEpoch: steps / epochs, lr: 1e-3, seed, prefetch: 0,
          // Fixed here so later changes to train's defaults do not move the measurement (docs/labelling.md §6):
          // plain supervised training, every label trained on (no validation hold-out, the last model kept).
          schedule: start === 'scratch' ? 'cosine' : 'constant', weightDecay: 0, valPerClass: 0, fairBaseline: false, cropPadding: cropPaddingFor({ pretrained, size }),
          cacheDir: join(out, 'cache'), resumeFrom: start === 'previous' ? previous ?? null : null,
          unlabelled: method === 'supervised' ? null : { dataset: 'unlabelled', root: pool },
        });
        const summary = await train(cfg);
        const seconds = (performance.now() - t0) / 1000;
        results.push({ criterion: spec, seed, labels: answers.length, accuracy: summary.accuracy, seconds });
        console.error(`${spec} seed ${seed}: ${answers.length} labels → ${(100 * summary.accuracy).toFixed(1)}% (${seconds.toFixed(0)} s)`);
        previous = runDir;
        const next = budgets[r + 1];
        if (next === undefined) break;
        const doc = await suggest({ folder, run: runDir, n: next - answers.length, criterion, embedding, seed });
        for (const f of doc.faces) answers.push({ image: f.image, label: truth.get(f.image.split('/').pop()!)! });
      }
      writeFileSync(join(out, 'results.json'), JSON.stringify({ seeds, criteria, budgets, steps, start, epochs, model, size, pretrained, results }, null, 1));
    }
  }
  const stat = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const s = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
    return `${(100 * m).toFixed(1)} ± ${(100 * s).toFixed(1)}`;
  };
  console.log(`| labels | ${criteria.join(' | ')} |`);
  console.log(`|---:|${criteria.map(() => '---:').join('|')}|`);
  for (const b of budgets) console.log(`| ${b} | ${criteria.map((c) => stat(results.filter((r) => r.criterion === c && r.labels === b).map((r) => r.accuracy))).join(' | ')} |`);
  console.log(`\nPer seed, accuracy (%) at ${budgets.join(', ')} labels:`);
  for (const c of criteria) {
    for (const seed of seeds) console.log(`${c} seed ${seed}: ${budgets.map((b) => results.find((r) => r.criterion === c && r.seed === seed && r.labels === b)).map((r) => (r ? (100 * r.accuracy).toFixed(1) : '–')).join(', ')}`);
  }
}

await main();
