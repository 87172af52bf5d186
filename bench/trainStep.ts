/**
 * `npm run bench:step [-- --device cuda] [--batch B] [--size S] [--rounds R]`
 *
 * One ResNet-18 training step (forward, cross-entropy, backward, SGD momentum)
 * through semifer's TypeScript API, against the same step as a plain C++
 * LibTorch program, measured in the same run and interleaved (CPU contention
 * moves both alike, DESIGN.md). On CUDA it also runs PyTorch eager when Python's
 * torch is importable. On CPU a line before the last compares MobileFaceNet
 * (imported from Human's TF.js model) with ResNet-18 (bench/backboneRate.ts).
 * The last line is the ratio.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as torch from '../src/torch/index.js';
import { resnet18 } from '../src/models/resnet.js';
import { buildCpp, packageRoot } from './buildCpp.js';
import { backboneRateLine } from './backboneRate.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const device = arg('device', 'cpu');
const cuda = device.startsWith('cuda');
const batch = Number(arg('batch', cuda ? '256' : '16'));
const size = Number(arg('size', cuda ? '224' : '112'));
const threads = Number(arg('threads', '2'));
const rounds = Number(arg('rounds', '3'));
const steps = Number(arg('steps', cuda ? '30' : '8'));
const warmup = Number(arg('warmup', '3'));
const channelsLast = cuda;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

torch.setNumThreads(threads);
torch.manualSeed(0);
const model = resnet18({ numClasses: 7 });
if (cuda) model.to(device);
if (channelsLast) model.channelsLast();
const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
let x = torch.keep(torch.randn([batch, 3, size, size], { device }));
if (channelsLast) x = torch.keep(x.channelsLast());
const y = torch.keep(torch.randint(0, 7, [batch], { device }));

function tsStep(): number {
  return torch.tidy(() => {
    opt.zeroGrad();
    const loss = torch.F.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item(); // one host sync per step, like the C++ reference's last step
  });
}

function tsRun(n: number): number {
  for (let i = 0; i < warmup; i++) tsStep();
  if (cuda) torch.cuda.synchronize();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tsStep();
  if (cuda) torch.cuda.synchronize();
  return (batch * n) / ((performance.now() - t0) / 1000);
}

const bin = buildCpp('resnet18_step');
function cppRun(n: number): number {
  const r = spawnSync(bin, [String(batch), String(size), String(threads), String(warmup), String(n), device, channelsLast ? '1' : '0'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`C++ reference failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

function pytorchRun(n: number): number | undefined {
  const script = join(packageRoot(), 'bench', 'pytorch_step.py');
  const r = spawnSync('python3', [script, String(batch), String(size), String(threads), String(warmup), String(n), device, channelsLast ? '1' : '0'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return Number(r.stdout.trim());
}

const ts: number[] = [];
const cpp: number[] = [];
const py: number[] = [];
for (let r = 0; r < rounds; r++) {
  cpp.push(cppRun(steps));
  ts.push(tsRun(steps));
  if (cuda) {
    const p = pytorchRun(steps);
    if (p !== undefined) py.push(p);
  }
  console.log(`round ${r + 1}: ts ${ts[r].toFixed(1)} img/s, cpp ${cpp[r].toFixed(1)} img/s${py[r] ? `, pytorch ${py[r].toFixed(1)} img/s` : ''}`);
}
// The face backbone's rate against ResNet-18 (CPU; before the last line, which stays the ratio).
if (!cuda) console.log(await backboneRateLine({ batch, size, rounds, steps: Math.max(2, Math.round(steps / 2)), warmup: 1 }));
const tsM = median(ts);
const cppM = median(cpp);
const tag = `resnet18 train ${size}px b${batch}${cuda ? ` ${device} channels-last` : ''}`;
if (py.length) console.log(`${tag}: ts ${tsM.toFixed(1)} img/s, pytorch eager ${median(py).toFixed(1)} img/s, ratio ${(tsM / median(py)).toFixed(3)}`);
console.log(`${tag}: ts ${tsM.toFixed(1)} img/s, cpp ${cppM.toFixed(1)} img/s, ratio ${(tsM / cppM).toFixed(3)}`);
