/** Parses a schedule spec ('constant', 'exponential:0.9', 'step:10:0.1', 'cosine') into a per-epoch LR scheduler. */
import { optim } from '../torch/index.js';

export function parseSchedule(spec: string, opt: optim.Optimizer, epochs: number): optim.LRScheduler {
  const [kind, a, b] = spec.split(':');
  const num = (v: string | undefined, what: string) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`schedule '${spec}': ${what} must be a number`);
    return n;
  };
  switch (kind) {
    case 'constant': return new optim.ConstantLR(opt);
    case 'exponential': return new optim.ExponentialLR(opt, num(a, 'gamma'));
    case 'step': return new optim.StepLR(opt, num(a, 'step size'), num(b ?? '0.1', 'gamma'));
    case 'cosine': return new optim.CosineAnnealingLR(opt, Math.max(1, epochs), a ? num(a, 'eta_min') : 0);
    default: throw new Error(`unknown schedule '${spec}'; expected constant, exponential:GAMMA, step:EPOCHS:GAMMA or cosine[:ETA_MIN]`);
  }
}
