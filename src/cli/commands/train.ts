/**
 * `semifer train`: one training run of any method on any dataset, with a
 * progress bar (step, losses, img/s, ETA), metrics.jsonl and summary.json.
 */
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { phaseProgress } from '../progress.js';
import { UsageError } from '../errors.js';
import { TRAIN_OPTIONS } from './trainOptions.js';
import { readerOptionsFromFlags } from './datasetOptions.js';
import { HyperParameterError, METHOD_HYPER, checkHyper, parseHyper } from '../../methods/hyperParameters.js';
import type { CommandContext } from '../command.js';
import type { OptionValues } from '../options/spec.js';
import type { TrainConfig, TrainEvents } from '../../train/index.js';

export type TrainValues = OptionValues<typeof TRAIN_OPTIONS>;

export function labelSpecFrom(o: Pick<TrainValues, 'labelsPerClass' | 'labelFraction' | 'labels'>): string {
  if (o.labelsPerClass !== undefined) return `n:${o.labelsPerClass}`;
  if (o.labelFraction !== undefined) return `fraction:${o.labelFraction}`;
  return o.labels ?? 'n:10';
}

/** The dedicated flags that set a hyper-parameter, by its name (for messages and clashes with --hyper). */
const HYPER_FLAGS: Record<string, string> = {
  threshold: '--threshold', thresholdMomentum: '--threshold-momentum', scale: '--margin-scale',
  relabelEpoch: '--relabel-epoch', scnWarmup: '--scn-warmup', relabelLowOnly: '--relabel-group',
};

/** Adds `--hyper name=v,…` to the dedicated flags' values; a name set both ways is refused. */
function addHyperFlag(hyper: Record<string, number>, spec: string): void {
  let parsed: Record<string, number>;
  try {
    parsed = parseHyper(spec);
  } catch (e) {
    throw new UsageError(`--hyper: ${(e as Error).message}`);
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (name in hyper) throw new UsageError(`--hyper sets '${name}', which ${HYPER_FLAGS[name] ?? 'another flag'} sets too; give it once`);
    hyper[name] = value;
  }
}

/** The TrainConfig of the command line's options (also used per fold by --folds). */
export async function trainConfigFrom(o: TrainValues): Promise<TrainConfig> {
  if ((o.unlabelledDataset === undefined) !== (o.unlabelledRoot === undefined)) {
    throw new UsageError('--unlabelled-dataset and --unlabelled-root go together');
  }
  const readerOptions = readerOptionsFromFlags(o.dataset, o);
  const { defaultConfig } = await import('../../train/index.js');
  const cfg = defaultConfig({
    dataset: o.dataset, root: o.root, method: o.method, out: o.out,
    labels: labelSpecFrom(o), labelNoise: o.labelNoise, noisyLabels: o.noisyLabels,
    unlabelled: o.unlabelledDataset ? { dataset: o.unlabelledDataset, root: o.unlabelledRoot! } : null,
    model: o.model, pretrained: o.pretrained ?? null, size: o.size, batch: o.batch, mu: o.mu,
    epochs: o.epochs, stepsPerEpoch: o.stepsPerEpoch, optimizer: o.optimizer, emaDecay: o.emaDecay,
    device: o.device, seed: o.seed, cacheDir: o.cacheDir, logEvery: o.logEvery, prefetch: o.prefetch,
  });
  if (o.lr !== undefined) cfg.lr = o.lr;
  if (o.weightDecay !== undefined) cfg.weightDecay = o.weightDecay;
  if (o.schedule !== undefined) cfg.schedule = o.schedule;
  if (o.threshold !== undefined) cfg.hyper.threshold = o.threshold;
  if (o.thresholdMomentum !== undefined) cfg.hyper.thresholdMomentum = o.thresholdMomentum;
  if (o.marginScale !== undefined) cfg.hyper.scale = o.marginScale;
  if (o.relabelEpoch !== undefined) cfg.hyper.relabelEpoch = o.relabelEpoch;
  if (o.scnWarmup !== undefined) cfg.hyper.scnWarmup = o.scnWarmup;
  if (o.relabelGroup !== undefined) cfg.hyper.relabelLowOnly = o.relabelGroup === 'low' ? 1 : 0;
  if (o.hyper !== undefined) addHyperFlag(cfg.hyper, o.hyper);
  try {
    checkHyper(cfg.method, cfg.hyper, cfg.noisyLabels);
  } catch (e) {
    const flag = e instanceof HyperParameterError ? HYPER_FLAGS[e.parameter] : undefined;
    throw new UsageError(`${(e as Error).message}${flag ? ` (from ${flag})` : ''}`);
  }
  cfg.headScale = o.headScale;
  if (o.cropPadding !== undefined) cfg.cropPadding = o.cropPadding;
  if (o.resumeFrom !== undefined) cfg.resumeFrom = o.resumeFrom;
  if (Object.keys(readerOptions).length > 0) cfg.readerOptions = readerOptions;
  return cfg;
}

/** One run's progress on the terminal: decoding bars, then a step bar labelled `label`; call done() after the run. */
export function cliTrainEvents(ctx: CommandContext<unknown>, o: TrainValues, label = 'train'): { events: TrainEvents; done(): void } {
  let bar: ReturnType<typeof ctx.progress> | undefined;
  const decoding = phaseProgress((what, total) => ctx.progress({ total, label: what, unit: 'img' }));
  const events: TrainEvents = {
    onProgress: decoding.update,
    onData(d) {
      decoding.done();
      ctx.log(`${o.method} on ${o.dataset}: ${d.labelled} labelled, ${d.unlabelled} unlabelled, ${d.test} test images, ${d.classes.length} classes` +
        (d.skipped ? ` (${d.skipped} unreadable images skipped)` : '') + (d.startStep ? `; resuming at step ${d.startStep}` : ''));
      bar = ctx.progress({ total: d.totalSteps, label, unit: 'step' });
      bar.update(d.startStep);
    },
    onStep(e) {
      const fields: Record<string, string | number> = { epoch: `${e.epoch}/${o.epochs}` };
      for (const [k, v] of Object.entries(e.terms)) if (k !== 'total') fields[k] = v;
      fields['img/s'] = Math.round(e.imgPerSec);
      bar?.update(e.step + 1, { fields });
    },
    onEpoch(e) {
      const t = e.teacher ? `, teacher ${(100 * e.teacher.accuracy).toFixed(1)}%` : '';
      bar?.log(`epoch ${e.epoch}: test accuracy student ${(100 * e.student.accuracy).toFixed(1)}%${t}`);
    },
  };
  return { events, done: () => bar?.done() };
}

/** Runs training with the CLI's progress bar; shared with `semifer demo`. */
export async function runTraining(ctx: CommandContext<unknown>, o: TrainValues, command: string) {
  const cfg = await trainConfigFrom(o);
  const { train } = await import('../../train/index.js');
  const ui = cliTrainEvents(ctx, o);
  const summary = await train(cfg, { resume: o.resume, command, events: ui.events });
  ui.done();
  return summary;
}

export const trainCommand = defineCommand({
  name: 'train',
  summary: 'Train an expression classifier (Ada-CM, DTA+SNL, FixMatch, Mean Teacher, SCN, supervised)',
  usage: 'semifer train --dataset FORMAT --root PATH --method METHOD (--labels-per-class N | --label-fraction F | --labels SPEC) --out RUNDIR [options]',
  description: 'Writes RUNDIR/metrics.jsonl (every loss term, thresholds, subset sizes, pseudo-label accuracy, relabels), checkpoints after every epoch ' +
    '(atomic; --resume continues exactly), RUNDIR/summary.json and RUNDIR/model.safetensors (the EMA teacher where the method has one). ' +
    'With --folds K (datasets with subject ids): K runs in RUNDIR/fold-<k>/, each testing on one fold of subjects and training on the rest; ' +
    'RUNDIR/summary.json holds each fold\'s accuracy and the mean ± sample std; --resume skips finished folds and continues an interrupted one. ' +
    'Folds are built over the train split: an official test split is not used (a note says so).',
  examples: [
    'semifer train --dataset rafdb --root data/RAF-DB/basic --method adacm --labels adacm-rafdb-400 --model resnet18 --pretrained resnet18_msceleb.pth --out runs/adacm-400',
    'semifer train --dataset imagefolder --root data/synth --method dta-snl --labels-per-class 10 --model small --size 64 --epochs 8 --out runs/dta',
    'semifer train --dataset fer2013 --root data/fer2013 --method scn --labels all --label-noise 0.3 --model small --size 48 --out runs/scn-noisy',
    'semifer train --dataset ckplus --root data/CK+ --method supervised --labels all --model small --size 64 --folds 10 --out runs/ckplus-10fold',
    'semifer train --config runs/adacm/config.yaml --resume',
  ],
  options: TRAIN_OPTIONS,
  helpSections: Object.entries(METHOD_HYPER).filter(([, names]) => Object.keys(names).length > 0).map(([method, names]) => ({
    title: `--hyper names for --method ${method}${method === 'scn' ? ', or any method with --noisy-labels scn' : ''}`,
    rows: Object.entries(names),
  })),
  async run(ctx) {
    const o = ctx.options;
    if (o.folds !== undefined) {
      const { runFoldTraining } = await import('./trainFolds.js');
      return runFoldTraining(ctx as CommandContext<unknown>, o, ['semifer', ...process.argv.slice(2)].join(' '));
    }
    const summary = await runTraining(ctx as CommandContext<unknown>, o, ['semifer', ...process.argv.slice(2)].join(' '));
    if (ctx.json) ctx.printJson(summary);
    else {
      const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
      ctx.print([
        `${summary.method} (${summary.selectedModel}): accuracy ${pct(summary.accuracy)}, mean class accuracy ${pct(summary.meanClassAccuracy)}, macro-F1 ${pct(summary.macroF1)}` ,
        summary.teacher ? `student: accuracy ${pct(summary.student.accuracy)}` : '',
        `run folder: ${o.out} (report: semifer report --run ${o.out})`,
      ].filter(Boolean).join('\n'));
    }
    return EXIT.OK;
  },
});
