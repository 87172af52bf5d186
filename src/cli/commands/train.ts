/**
 * `semifer train`: one training run of any method on any dataset, with a
 * progress bar (step, losses, img/s, ETA), metrics.jsonl and summary.json.
 */
import { defineCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { UsageError } from '../errors.js';
import { TRAIN_OPTIONS } from './trainOptions.js';
import { trainConfigEntries } from './trainConfigFile.js';
import { cliTrainEvents } from './trainProgress.js';
import { DEFAULT_DIST_TIMEOUT_S } from '../../distributed/defaults.js';
import { readerOptionsFromFlags } from './datasetOptions.js';
import { describeLabelSpec, parseLabelSpec } from '../../data/splits.js';
import { HyperParameterError, checkHyper, hyperHelp, parseHyper } from '../../methods/hyperParameters.js';
import { METHODS } from '../../methods/registry.js';
import type { CommandContext } from '../command.js';
import type { OptionValues } from '../options/spec.js';
import type { TrainConfig } from '../../train/index.js';

export type TrainValues = OptionValues<typeof TRAIN_OPTIONS>;

/**
 * The label protocol of the command line as the config records it (unset: the
 * default, defaultConfig's). `--labels` is parsed here, before any image is
 * decoded, so a malformed one is a usage error (exit 2).
 */
export function labelsFrom(o: Pick<TrainValues, 'labelsPerClass' | 'labelFraction' | 'labels'>): string | undefined {
  if (o.labelsPerClass !== undefined) return describeLabelSpec({ kind: 'nPerClass', n: o.labelsPerClass });
  if (o.labelFraction !== undefined) return describeLabelSpec({ kind: 'fraction', fraction: o.labelFraction });
  if (o.labels === undefined) return undefined;
  try {
    parseLabelSpec(o.labels);
  } catch (e) {
    throw new UsageError(`--labels: ${(e as Error).message}`);
  }
  return o.labels;
}

/**
 * The dedicated flags that set a hyper-parameter: by the hyper-parameter's
 * name, the flag, its option key, and how its value becomes the number.
 */
const HYPER_FLAG_TABLE: Record<string, { flag: string; option: keyof TrainValues; value?: (v: unknown) => number }> = {
  threshold: { flag: '--threshold', option: 'threshold' },
  thresholdMomentum: { flag: '--threshold-momentum', option: 'thresholdMomentum' },
  scale: { flag: '--margin-scale', option: 'marginScale' },
  relabelEpoch: { flag: '--relabel-epoch', option: 'relabelEpoch' },
  scnWarmup: { flag: '--scn-warmup', option: 'scnWarmup' },
  // The switch relabelLowOnly in words: --relabel-group low is 1, all is 0.
  relabelLowOnly: { flag: '--relabel-group', option: 'relabelGroup', value: (v) => (v === 'low' ? 1 : 0) },
};

/** The dedicated flag that sets each hyper-parameter (for messages, clashes with --hyper, and which methods a sweep axis applies to). */
export const HYPER_FLAGS: Record<string, string> = Object.fromEntries(Object.entries(HYPER_FLAG_TABLE).map(([name, f]) => [name, f.flag]));

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
  const labels = labelsFrom(o);
  const { defaultConfig } = await import('../../train/config.js');
  const cfg = defaultConfig({
    dataset: o.dataset, root: o.root, method: o.method, out: o.out,
    ...(labels !== undefined ? { labels } : {}), labelNoise: o.labelNoise, noisyLabels: o.noisyLabels,
    unlabelled: o.unlabelledDataset ? { dataset: o.unlabelledDataset, root: o.unlabelledRoot! } : null,
    model: o.model, pretrained: o.pretrained ?? null, size: o.size, batch: o.batch, mu: o.mu,
    epochs: o.epochs, stepsPerEpoch: o.stepsPerEpoch, optimizer: o.optimizer, emaDecay: o.emaDecay,
    device: o.device, seed: o.seed, cacheDir: o.cacheDir, logEvery: o.logEvery, prefetch: o.prefetch,
    precision: o.precision, channelsLast: o.channelsLast ?? false,
  });
  if (o.lr !== undefined) cfg.lr = o.lr;
  if (o.weightDecay !== undefined) cfg.weightDecay = o.weightDecay;
  if (o.schedule !== undefined) cfg.schedule = o.schedule;
  if (o.warmupSteps !== undefined) cfg.warmupSteps = o.warmupSteps;
  if (o.valPerClass !== undefined) cfg.valPerClass = o.valPerClass;
  cfg.valInBudget = o.valInBudget;
  cfg.evalTestEveryEpoch = o.evalTestEveryEpoch;
  cfg.fairBaseline = o.fairBaseline;
  for (const [name, { option, value }] of Object.entries(HYPER_FLAG_TABLE)) {
    const given = o[option];
    if (given !== undefined) cfg.hyper[name] = value ? value(given) : (given as number);
  }
  if (o.hyper !== undefined) addHyperFlag(cfg.hyper, o.hyper);
  try {
    checkHyper(cfg.method, cfg.hyper, cfg.noisyLabels);
  } catch (e) {
    const flag = e instanceof HyperParameterError ? HYPER_FLAGS[e.parameter] : undefined;
    throw new UsageError(`${(e as Error).message}${flag ? ` (from ${flag})` : ''}`);
  }
  if (o.task !== 'expression') {
    const { auMethodRefusal } = await import('../../train/actionUnits/auMethods.js');
    const refusal = auMethodRefusal(o.method);
    if (refusal) throw new UsageError(refusal);
    if (o.folds !== undefined) throw new UsageError('--task au and --folds do not go together yet: an AU run holds out its own test and validation subjects');
    cfg.task = o.task;
    cfg.auPosWeight = o.auPosWeight;
  }
  cfg.headScale = o.headScale;
  if (o.emaBuffers !== undefined) cfg.emaBuffers = o.emaBuffers;
  if (o.cropPadding !== undefined) cfg.cropPadding = o.cropPadding;
  if (o.backboneLrScale !== undefined) cfg.backboneLrScale = o.backboneLrScale;
  if (o.resumeFrom !== undefined) cfg.resumeFrom = o.resumeFrom;
  if (Object.keys(readerOptions).length > 0) cfg.readerOptions = readerOptions;
  return cfg;
}

/** Runs training with the CLI's progress bar; shared with `semifer demo`. */
export async function runTraining(ctx: CommandContext<unknown>, o: TrainValues, command: string) {
  const cfg = await trainConfigFrom(o);
  const { train } = await import('../../train/index.js');
  const { joinLaunch } = await import('../../distributed/fromFlags.js');
  const launch = joinLaunch({ syncBn: o.syncBn, distTimeout: o.distTimeout }, cfg.device);
  if (launch) cfg.device = launch.device;
  const ui = cliTrainEvents(ctx, o);
  if (cfg.task === 'au') {
    if (launch) throw new UsageError('--task au does not train distributed yet: start it without --nproc or a launcher');
    const { trainActionUnits } = await import('../../train/actionUnits/trainActionUnits.js');
    const summary = await trainActionUnits(cfg, { resume: o.resume, overwrite: o.overwrite, signal: ctx.signal, command, events: ui.events });
    ui.done();
    return summary;
  }
  try {
    const summary = await train(cfg, { resume: o.resume, overwrite: o.overwrite, signal: ctx.signal, command, events: ui.events, dist: launch?.dist });
    ui.done();
    return summary;
  } catch (e) {
    // A peer lost inside an op (sync batch norm's backward) reads as the lost peer it is.
    throw launch ? (await import('../../distributed/processGroup.js')).asPeerLost(e) : e;
  } finally {
    launch?.dist.close();
  }
}

export const trainCommand = defineCommand({
  name: 'train',
  summary: 'Train an expression classifier (Ada-CM, DTA+SNL, FixMatch, Mean Teacher, SCN, supervised)',
  usage: 'semifer train --dataset FORMAT --root PATH --method METHOD (--labels-per-class N | --label-fraction F | --labels SPEC) --out RUNDIR [options]',
  description: 'Writes RUNDIR/metrics.jsonl (every loss term, thresholds, subset sizes, pseudo-label accuracy, relabels), checkpoints after every epoch ' +
    '(atomic; --resume continues exactly), RUNDIR/summary.json and RUNDIR/model.safetensors (the EMA teacher where the method has one). ' +
    'With --folds K (datasets with subject ids): K runs in RUNDIR/fold-<k>/, each testing on one fold of subjects and training on the rest; ' +
    'RUNDIR/summary.json holds each fold\'s accuracy and the mean ± sample std; --resume skips finished folds and continues an interrupted one. ' +
    'Folds are built over the train split: an official test split is not used (a note says so). ' +
    'Ctrl-C (or SIGTERM) stops before the next step with a checkpoint (exit 130/143); --resume continues. ' +
    '--config accepts a run\'s own RUNDIR/config.json; its command and startTime keys are recorded metadata, ignored on read.',
  examples: [
    'semifer train --dataset rafdb --root data/RAF-DB/basic --method adacm --labels adacm-rafdb-400 --model resnet18 --pretrained resnet18_msceleb.pth --out runs/adacm-400',
    'semifer train --preset adacm-rafdb-400 --root data/RAF-DB/basic --pretrained resnet18_msceleb.pth --out runs/adacm-400',
    'semifer train --preset adacm-rafdb-400 --dry-run',
    'semifer train --dataset imagefolder --root data/synth --method dta-snl --labels-per-class 10 --model small --size 64 --epochs 8 --out runs/dta',
    'semifer train --dataset fer2013 --root data/fer2013 --method scn --labels all --label-noise 0.3 --model small --size 48 --out runs/scn-noisy',
    'semifer train --dataset ckplus --root data/CK+ --method supervised --labels all --model small --size 64 --folds 10 --out runs/ckplus-10fold',
    'semifer train --preset adacm-rafdb-400 --root data/RAF-DB/basic --batch 32 --nproc 2 --out runs/adacm-2ranks',
    'semifer train --config runs/adacm/config.yaml --resume',
    'semifer train --config runs/adacm/config.json --out runs/adacm-again',
  ],
  options: TRAIN_OPTIONS,
  configEntries: trainConfigEntries,
  handlesInterrupt: true,
  helpSections: METHODS.filter((m) => Object.keys(m.hyper).length > 0).map((m) => ({
    title: `--hyper names for --method ${m.name}${m.scnLoss ? ', or any method with --noisy-labels scn' : ''}`,
    rows: Object.entries(m.hyper).map(([name, p]) => [name, hyperHelp(p)] as const),
  })),
  async run(ctx) {
    const o = ctx.options;
    if (o.dryRun) {
      const { printDryRun } = await import('./trainDryRun.js');
      return printDryRun(ctx as CommandContext<unknown>, o, await trainConfigFrom(o));
    }
    if (o.task === 'au' && o.nproc !== undefined && o.nproc > 1) throw new UsageError('--task au does not train distributed yet: start it without --nproc');
    if (o.nproc !== undefined && o.nproc > 1 && !process.env.WORLD_SIZE) {
      if (o.folds !== undefined) throw new UsageError('--nproc and --folds do not go together: distributed training runs one training at a time');
      const { launchLocalWorkers } = await import('../../distributed/launcher.js');
      return launchLocalWorkers({ nproc: o.nproc, argv: process.argv.slice(1), graceMs: ((o.distTimeout ?? DEFAULT_DIST_TIMEOUT_S) + 30) * 1000 });
    }
    if (o.folds !== undefined) {
      if (process.env.WORLD_SIZE) throw new UsageError('--folds does not run distributed (WORLD_SIZE is set): start it without a launcher');
      const { runFoldTraining } = await import('./trainFolds.js');
      return runFoldTraining(ctx as CommandContext<unknown>, { ...o, folds: o.folds }, await trainConfigFrom(o), ['semifer', ...process.argv.slice(2)].join(' '));
    }
    const summary = await runTraining(ctx as CommandContext<unknown>, o, ['semifer', ...process.argv.slice(2)].join(' '));
    if (ctx.json) ctx.printJson(summary);
    else if ('task' in summary) {
      const { formatAuSummary } = await import('../../eval/actionUnits.js');
      ctx.print(`${formatAuSummary(summary)}\nrun folder: ${o.out} (report: semifer report --run ${o.out})`);
    } else {
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
