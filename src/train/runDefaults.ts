/**
 * Defaults that follow the run. The papers' values are right for the papers'
 * runs (Ada-CM: 20 × 800 = 16,000 steps from a face-pretrained ResNet-18) and
 * wrong for most runs people make (a few hundred to a few thousand steps, often
 * from random weights). Where a value only makes sense relative to the run's
 * length or the head's start, its default is derived here; every rule gives
 * back the paper's value at the paper's protocol, and an explicit flag (or a
 * preset) always wins. docs/defaults.md gives each rule's reason and the
 * measurement behind it.
 */
import type { TrainConfig } from './config.js';
import type { CheckpointContent } from './checkpoint.js';
import { METHODS } from '../methods/registry.js';
import { DEFAULT_WEAK_PADDING } from '../data/augment/weak.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Mean Teacher / Ada-CM / DTA teacher decay of the papers (time constant 1,000 steps). */
export const PAPER_EMA_DECAY = 0.999;

/**
 * The teacher's time constant as a fraction of the run: 1/16, so that the
 * paper's 16,000 steps give its 1,000-step constant (0.999). A fixed 0.999 in
 * a 240-step run leaves the teacher averaging over mostly untrained weights:
 * its time constant is four times the whole run.
 */
export const TEACHER_TIME_FRACTION = 1 / 16;

/**
 * The logit scale of Ada-CM's head (L2-normalised features) when none is given.
 * With ‖f‖ = 1 a logit is at most ‖w_c‖, and at initialisation ‖w_c‖ ≈ 0.6, so
 * the largest probability over C = 7 classes starts near e^1.2/(e^1.2 + 6) ≈ 0.35:
 * no unlabelled face can pass the 0.8 margin floor until the classifier's
 * weights have grown about four-fold, which the authors' 16,000 steps allow
 * and a short run does not. 16 is the scale cosine classifiers commonly use;
 * it lets a confidence of 0.97 be reached with ‖w_c‖ ≈ 0.17. The paper's head
 * is `--head-scale 1`.
 */
export const DEFAULT_HEAD_SCALE = 16;

/** The input side at which the authors' 8-px crop padding was set. */
export const PAPER_INPUT_SIZE = 224;

/**
 * The weak view's crop padding. From random weights: the authors' 8 px at any
 * size (docs/results.md was measured so; at 32 px it shifts a face by up to a
 * quarter, a strong regulariser for a network that knows nothing yet). From a
 * face-pretrained backbone: the same fraction of the face as the authors' 8 px
 * at 224 px (2 px at 64, 4 px at 112). A pretrained face network knows centred,
 * aligned faces; shifted by an eighth of the face with black borders, its
 * features changed so much between the training views and the test images
 * that fine-tuned MobileFaceNet predicted one class for every test face
 * (docs/backbones.md has the measurement). A run that continues another
 * (`--resume-from RUN`, the labelling loop's next round) keeps the padding
 * RUN used, so a pretrained start does not get 8 px from its second round.
 */
export function cropPaddingFor(cfg: Pick<TrainConfig, 'cropPadding' | 'pretrained' | 'size'> & { resumeFrom?: string | null }): number {
  if (cfg.cropPadding !== undefined) return cfg.cropPadding;
  const inherited = cfg.resumeFrom ? recordedDefault(cfg.resumeFrom, 'cropPadding', (v) => Number.isInteger(v) && v >= 0) : undefined;
  if (inherited !== undefined) return inherited;
  if (!cfg.pretrained) return DEFAULT_WEAK_PADDING;
  return Math.round((DEFAULT_WEAK_PADDING * cfg.size) / PAPER_INPUT_SIZE);
}

/**
 * The backbone's learning rate as a fraction of the head's (`--backbone-lr-scale`):
 * 1 unless set, from random weights and from a pretrained backbone alike. A
 * smaller rate for pretrained layers is common fine-tuning practice, but on the
 * synthetic faces from the face-pretrained MobileFaceNet it cost accuracy
 * (docs/backbones.md has the measurement): the faces the network was trained on
 * are far from these, and its layers must move. A run that continues another
 * (`--resume-from RUN`, the labelling loop's next round) keeps RUN's fraction.
 */
export function backboneLrScaleFor(cfg: Pick<TrainConfig, 'backboneLrScale'> & { resumeFrom?: string | null }): number {
  if (cfg.backboneLrScale !== undefined) return cfg.backboneLrScale;
  return (cfg.resumeFrom ? recordedDefault(cfg.resumeFrom, 'backboneLrScale', (v) => v >= 0) : undefined) ?? 1;
}

/** A default a finished run resolved (its summary.json), if it recorded a valid one. */
function recordedDefault(run: string, key: keyof ResolvedRunDefaults, valid: (v: number) => boolean): number | undefined {
  try {
    const value = (JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { defaults?: Record<string, unknown> }).defaults?.[key];
    return typeof value === 'number' && valid(value) ? value : undefined;
  } catch {
    return undefined; // no summary (initFromRun says what is missing), or one from before the rule
  }
}

/** EMA decay whose time constant 1/(1 − d) is TEACHER_TIME_FRACTION of the run, capped at the paper's 0.999. */
export function teacherDecayFor(totalSteps: number): number {
  const timeConstant = Math.max(1, totalSteps * TEACHER_TIME_FRACTION);
  return Math.min(PAPER_EMA_DECAY, 1 - 1 / timeConstant);
}

/** The values a run actually uses for the defaults above; recorded in metrics.jsonl and summary.json. */
export interface ResolvedRunDefaults {
  emaDecay: number;
  headScale: number;
  /** The weak view's crop padding, pixels (cropPaddingFor). */
  cropPadding: number;
  /** The backbone's learning rate as a fraction of lr (backboneLrScaleFor). */
  backboneLrScale: number;
  /** Method hyper-parameters filled in from the run (only those the user left unset). */
  hyper: Record<string, number>;
}

/**
 * A checkpoint with one parameter group was trained with the backbone at the
 * head's rate (scale 1, or written before `--backbone-lr-scale` existed): it
 * resumes as it was trained, and its optimiser state fits.
 */
export function resumedBackboneLrScale(scale: number, resume: CheckpointContent | null): number {
  return resume && resume.meta.optimizer.paramGroups.length === 1 ? 1 : scale;
}

/**
 * Fills in every run-following default that `cfg` leaves unset: the teacher's
 * EMA decay, the normalised head's logit scale, the crop padding, and the method hyper-parameters
 * declared to follow the teacher's decay (DTA's threshold momentum: the same
 * time constant as the teacher, dynamicThreshold.ts), and the backbone's
 * learning-rate fraction, which a run resumed from `resume` takes from it.
 */
export function resolveRunDefaults(cfg: Pick<TrainConfig, 'method' | 'epochs' | 'stepsPerEpoch' | 'hyper' | 'emaDecay' | 'headScale' | 'cropPadding' | 'backboneLrScale' | 'pretrained' | 'size'> & { resumeFrom?: string | null }, resume: CheckpointContent | null = null): ResolvedRunDefaults {
  const totalSteps = cfg.epochs * cfg.stepsPerEpoch;
  const decay = teacherDecayFor(totalSteps);
  const hyper = { ...cfg.hyper };
  const declared = METHODS.find((m) => m.name === cfg.method)?.hyper ?? {};
  for (const [name, p] of Object.entries(declared)) if (p.followsTeacherDecay && hyper[name] === undefined) hyper[name] = decay;
  return { emaDecay: cfg.emaDecay ?? decay, headScale: cfg.headScale ?? DEFAULT_HEAD_SCALE, cropPadding: cropPaddingFor(cfg), backboneLrScale: resumedBackboneLrScale(backboneLrScaleFor(cfg), resume), hyper };
}
