// The child process of the device tests (not a test file itself): one training
// step of every method on a device. On LibTorch's lazy device (lazyDevice.test.ts)
// an op that mixes a lazy tensor with a CPU one aborts the process (a C++ check
// failure, not a JS exception); on CUDA (cudaDevice.test.ts) it throws. Either
// way the parent reads the outcome from the exit status and the "start"/"ok"
// lines printed here.
//   node dist/test/train/deviceSteps.js steps DEVICE   every method, each head, --noisy-labels scn, RFD block mode
//   node dist/test/train/deviceSteps.js mixed DEVICE   one op mixing DEVICE and CPU tensors (must fail)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as torch from '../../src/torch/index.js';
import { train, defaultConfig } from '../../src/train/index.js';
import { createModel } from '../../src/models/index.js';
import { tinyDataset } from './fixtures.js';


/** Method and --noisy-labels: together they use every head (linear, adacm, scn) and every labelled loss. */
export const DEVICE_RUNS: { method: string; noisyLabels: 'none' | 'scn' }[] = [
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

async function steps(DEVICE: string): Promise<void> {
  const root = await tinyDataset();
  for (const r of DEVICE_RUNS) {
    console.log(`start ${runName(r)}`);
    await train(defaultConfig({
      dataset: 'rafdb', root, method: r.method, noisyLabels: r.noisyLabels, out: mkdtempSync(join(tmpdir(), `semifer-${DEVICE.replace(':', '')}-`)),
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

function mixed(DEVICE: string): void {
  console.log('start mixed');
  torch.tidy(() => torch.ones([2], { device: DEVICE }).add(torch.arange(2)).sum().item());
  console.log('ok mixed');
}

// Run only as the child (the tests import DEVICE_RUNS from here).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [what, device] = process.argv.slice(2);
  if (!device) throw new Error('deviceSteps: expected a device after the command');
  torch.prepareDevice(device);
  if (what === 'steps') await steps(device);
  else if (what === 'mixed') mixed(device);
  else throw new Error(`deviceSteps: expected 'steps' or 'mixed', got '${what}'`);
}
