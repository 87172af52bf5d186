/**
 * Training rate of the face-pretrained MobileFaceNet (imported from Human's
 * TF.js model) against ResNet-18, in the same process, interleaved round by
 * round so CPU contention moves both alike: one step = forward through a
 * FerModel with a linear head, cross-entropy, backward, SGD momentum.
 * Also by process CPU time, which a loaded machine disturbs less than the
 * wall clock. `npm run bench:step` prints its line.
 */
import * as torch from '../src/torch/index.js';
import { createModel, type FerModel } from '../src/models/index.js';
import { pretrainedByName } from '../src/models/pretrained/catalog.js';
import { installState } from '../src/models/pretrained/cache.js';
import { loadPretrainedWeights } from '../src/models/pretrained/load.js';

export interface BackboneRateOptions { batch: number; size: number; rounds: number; steps: number; warmup: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One line: MobileFaceNet's img/s, ResNet-18's, and the speed-up (wall clock and CPU time). */
export async function backboneRateLine(o: BackboneRateOptions): Promise<string> {
  const entry = pretrainedByName('mobilefacenet')!;
  const tag = `mobilefacenet vs resnet18 train ${o.size}px b${o.batch}`;
  if (installState(entry).state !== 'installed') return `${tag}: skipped, ${entry.spec} is not installed (semifer models add mobilefacenet)`;
  const nets: Record<string, { model: FerModel; opt: torch.optim.SGD }> = {};
  for (const arch of ['mobilefacenet', 'resnet18'] as const) {
    const model = createModel({ arch, numClasses: 7, head: 'linear' });
    if (arch === 'mobilefacenet') {
      const sd = await loadPretrainedWeights(entry.spec, arch);
      model.loadPretrainedBackbone(sd, entry.spec);
    }
    model.train();
    nets[arch] = { model, opt: new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 }) };
  }
  const x = torch.keep(torch.randn([o.batch, 3, o.size, o.size]));
  const y = torch.keep(torch.randint(0, 7, [o.batch]));
  const step = (n: { model: FerModel; opt: torch.optim.SGD }) => torch.tidy(() => {
    n.opt.zeroGrad();
    const loss = torch.F.crossEntropy(n.model.forward(x).logits, y);
    loss.backward();
    n.opt.step();
    return loss.item();
  });
  const wall: Record<string, number[]> = { mobilefacenet: [], resnet18: [] };
  const cpu: Record<string, number[]> = { mobilefacenet: [], resnet18: [] };
  for (const n of Object.values(nets)) for (let i = 0; i < o.warmup; i++) step(n);
  for (let r = 0; r < o.rounds; r++) {
    for (const [arch, n] of Object.entries(nets)) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < o.steps; i++) step(n);
      const c = process.cpuUsage(c0);
      wall[arch]!.push((o.batch * o.steps) / ((performance.now() - t0) / 1000));
      cpu[arch]!.push((o.batch * o.steps) / ((c.user + c.system) / 1e6));
    }
  }
  const [mw, rw, mc, rc] = [median(wall.mobilefacenet!), median(wall.resnet18!), median(cpu.mobilefacenet!), median(cpu.resnet18!)];
  return `${tag}: mobilefacenet ${mw.toFixed(1)} img/s, resnet18 ${rw.toFixed(1)} img/s, speed-up ${(mw / rw).toFixed(2)}x; by CPU time ${mc.toFixed(1)} vs ${rc.toFixed(1)} img/s per CPU-second, speed-up ${(mc / rc).toFixed(2)}x (issue #19's goal: 3x)`;
}
