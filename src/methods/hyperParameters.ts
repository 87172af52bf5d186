/**
 * The hyper-parameters each method reads from `TrainConfig.hyper`, by name.
 * METHODS.md: "every hyper-parameter named here is a default that the CLI and
 * config can change"; `semifer train --hyper name=value,…` reaches all of them.
 * A name the method does not read is refused, so that a misspelt or misplaced
 * one cannot silently train the default. Torch-free: the CLI checks flags
 * before it loads the engine.
 */

/** SCN's loss (the `scn` method, or any method with --noisy-labels scn). */
const SCN_HYPER = {
  beta: 'fraction of the batch in the high-importance group (0.7)',
  delta1: 'rank-regularisation margin δ1 (default follows the batch: 0.15 at 1024, 0.07 at 64, ≈0.048 at 16; see scnRank.ts)',
  delta2: 'relabelling margin δ2 (0.2)',
  relabelEpoch: 'first epoch of relabelling (10)',
  scnWarmup: 'epochs of plain cross-entropy before the α weighting (0)',
  relabelLowOnly: '1: relabel only the low-importance group (the paper); 0: any sample (the code, default)',
} as const;

export const METHOD_HYPER: Record<string, Record<string, string>> = {
  supervised: {},
  scn: SCN_HYPER,
  fixmatch: { threshold: 'confidence threshold (0.95)', lambdaU: 'weight of the unlabelled loss (1)' },
  meanteacher: { consistencyWeight: 'weight of the consistency loss after ramp-up (10; the paper\'s CIFAR-10 value is 100)', rampupEpochs: 'sigmoid ramp-up length in epochs (5)' },
  adacm: {
    lambdaX: 'λ1, weight of the labelled loss (0.5)',
    lambdaU: 'λ2, weight of subset I\'s pseudo-label loss (1)',
    lambdaS: 'λ3, weight of subset II\'s contrastive loss (0.1)',
    temperature: 'contrastive temperature (0.07)',
    baseTemperature: 'contrastive base temperature (0.07)',
    studentShrink: 'per-step student weight shrink factor times lr (0.02)',
    base: 'margin floor and epoch-1 margin (0.8)',
    scale: 'margin scale S in m_c·S/(1+e^(−slope·epoch)) (0.97)',
    slope: 'margin slope in the epoch (1)',
    teacherPseudoLabels: '1: q from the EMA teacher in evaluation mode (this project\'s variant); 0: from the student, as the paper (default)',
    forwardPerView: '1: one forward pass per view batch, so BatchNorm normalises each on its own, as the authors\' code (default); 0: one pass over all views',
    marginAugment: '1: learn the margins from the teacher on weakly augmented labelled faces, as the authors\' code; 0: without augmentation, as METHODS.md (default)',
    marginFromValidation: '1: learn the margins on the validation images when the run has them (default); 0: on the labelled training images, as the paper',
  },
  'dta-snl': {
    lambdaU: 'weight of the positive pseudo-label loss (1)',
    lambdaN: 'weight of selective negative learning (1)',
    gamma: 'complementary-label cut-off γ (0.05)',
    thresholdMomentum: 'EMA momentum of τ and ρ (0.999)',
    min: 'threshold floor (0.5)',
    max: 'threshold ceiling (0.95)',
  },
};

/** A refused hyper-parameter; `parameter` names it, so a caller can say which flag set it. */
export class HyperParameterError extends Error {
  constructor(message: string, readonly parameter: string) {
    super(message);
  }
}

/** Names that only take 0 or 1. */
const SWITCHES = new Set(['relabelLowOnly', 'teacherPseudoLabels', 'forwardPerView', 'marginAugment', 'marginFromValidation']);

/** The names `method` reads (SCN's too when its noisy-label handling is on). */
export function hyperNamesFor(method: string, noisyLabels?: string): Record<string, string> {
  const own = METHOD_HYPER[method];
  if (!own) throw new Error(`unknown method '${method}'; expected one of ${Object.keys(METHOD_HYPER).join(', ')}`);
  return noisyLabels === 'scn' ? { ...own, ...SCN_HYPER } : own;
}

/** Throws, naming the method and what it reads, when `hyper` holds a name it does not read or a value that is not allowed. */
export function checkHyper(method: string, hyper: Record<string, number>, noisyLabels?: string): void {
  const known = hyperNamesFor(method, noisyLabels);
  for (const [name, value] of Object.entries(hyper)) {
    if (!(name in known)) {
      const list = Object.keys(known);
      throw new HyperParameterError(`method '${method}' has no hyper-parameter '${name}'; ` + (list.length ? `it reads: ${list.join(', ')}` : 'it reads none') +
        (noisyLabels !== 'scn' && name in SCN_HYPER ? " (SCN's need --noisy-labels scn)" : ''), name);
    }
    if (!Number.isFinite(value)) throw new HyperParameterError(`hyper-parameter '${name}' must be a finite number, got ${value}`, name);
    if (SWITCHES.has(name) && value !== 0 && value !== 1) throw new HyperParameterError(`hyper-parameter '${name}' is a switch: 0 or 1, got ${value}`, name);
    if (value < 0) throw new HyperParameterError(`hyper-parameter '${name}' must not be negative, got ${value}`, name);
  }
}

/** Parses `name=value,name=value` (the --hyper flag); throws on a malformed entry or a name given twice. */
export function parseHyper(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of spec.split(',')) {
    const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(\S+)\s*$/.exec(entry);
    if (!m) throw new Error(`expected name=value, got '${entry}'`);
    const value = Number(m[2]);
    if (!Number.isFinite(value)) throw new Error(`'${m[1]}' needs a number, got '${m[2]}'`);
    if (m[1] in out) throw new Error(`'${m[1]}' is given twice`);
    out[m[1]] = value;
  }
  return out;
}

/**
 * `--hyper` over a preset's or config file's `hyper`: the union of both lists,
 * `higher`'s value where both name a parameter. Entries that do not parse are
 * kept as written, for parseHyper to report.
 */
export function mergeHyper(lower: string, higher: string): string {
  const byName = new Map<string, string>();
  for (const entry of [...lower.split(','), ...higher.split(',')].filter((e) => e.trim() !== '')) {
    const name = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=/.exec(entry)?.[1] ?? entry;
    byName.delete(name);
    byName.set(name, entry.trim());
  }
  return [...byName.values()].join(',');
}
