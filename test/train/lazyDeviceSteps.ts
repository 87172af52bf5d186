// The child process of lazyDevice.test.ts (not a test file itself): runs one
// training step of every method on LibTorch's lazy device, where an op that
// mixes a lazy tensor with a CPU one aborts the process (a C++ check failure,
// not a JS exception), so the parent reads the outcome from the exit status and
// the "start"/"ok" lines printed here.
//   node dist/test/train/lazyDeviceSteps.js steps   every method, each head, --noisy-labels scn, RFD block mode
//   node dist/test/train/lazyDeviceSteps.js mixed   one op mixing lazy and CPU tensors (must abort)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as torch from '../../src/torch/index.js';
import { train, defaultConfig } from '../../src/train/index.js';
import { createModel } from '../../src/models/index.js';
import { tinyDataset } from './fixtures.js';

const DEVICE = 'lazy';

/** Method and --noisy-labels: together they use every head (linear, adacm, scn) and every labelled loss. */
export const LAZY_RUNS: { method: string; noisyLabels: 'none' | 'scn' }[] = [
  { method: 'supervised', noisyLabels: 'none' },
  { method: 'fixmatch', noisyLabels: 'none' },
  { method: 'meanteacher', noisyLabels: 'none' },
  { method: 'adacm', noisyLabels: 'none' },
  { method: 'dta-snl', noisyLabels: 'none' },
  { method: 'scn', noisyLabels: 'none' },
  { method: 'adacm', noisyLabels: 'scn' },
  { method: 'dta-snl', noisyLabels: 'scn' },
];
export const runName = (r: { method: string; noisyLabels: string }) => (r.noisyLabels === 'scn' ? `${r.method}+scn` : r.method);

async function steps(): Promise<void> {
  const root = await tinyDataset();
  for (const r of LAZY_RUNS) {
    console.log(`start ${runName(r)}`);
    await train(defaultConfig({
      dataset: 'rafdb', root, method: r.method, noisyLabels: r.noisyLabels, out: mkdtempSync(join(tmpdir(), 'semifer-lazy-')),
      model: 'small', size: 32, labels: 'n:2', epochs: 1, stepsPerEpoch: 1, batch: 2, mu: 1, logEvery: 1,
      // Relabelling from the first epoch, so SCN's relabel path runs too.
      hyper: r.noisyLabels === 'scn' || r.method === 'scn' ? { relabelEpoch: 1 } : {},
      cacheDir: join(root, '.cache'), seed: 1, prefetch: 1, evalBatch: 64, device: DEVICE,
    }));
    console.log(`ok ${runName(r)}`);
  }
  // RFD's block mode has no command-line switch: its forward and backward directly.
  console.log('start rfd-block');
  const model = createModel({ arch: 'small', numClasses: 3, head: 'linear', dta: { rfdMode: 'block', rfdP: 0.5 } }).to(DEVICE);
  model.train();
  torch.tidy(() => {
    const x = torch.rand([2, 3, 32, 32], { device: DEVICE });
    const loss = torch.F.crossEntropy(model.forward(x).logits, torch.tensor([0, 2], { device: DEVICE }));
    loss.backward();
    if (!Number.isFinite(loss.item())) throw new Error('RFD block mode: non-finite loss');
  });
  console.log('ok rfd-block');
}

function mixed(): void {
  console.log('start mixed');
  torch.tidy(() => torch.ones([2], { device: DEVICE }).add(torch.arange(2)).sum().item());
  console.log('ok mixed');
}

// Run only as the child (the test imports LAZY_RUNS from here).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  torch.prepareDevice(DEVICE);
  const what = process.argv[2];
  if (what === 'steps') await steps();
  else if (what === 'mixed') mixed();
  else throw new Error(`lazyDeviceSteps: expected 'steps' or 'mixed', got '${what}'`);
}
