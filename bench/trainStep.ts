/**
 * Usage: USAGE below (`--help` prints it).
 *
 * One ResNet-18 training step (forward, cross-entropy, backward, SGD momentum)
 * through semifer's TypeScript API, against the same step as a plain C++
 * LibTorch program, measured in the same run and interleaved (CPU contention
 * moves both alike, docs/design.md). It also runs the step with channels-last
 * weights and under bf16 autocast (src/torch/autocast.ts) and prints their
 * speedup over the fp32 reference. On CUDA it also runs PyTorch eager, fp32
 * and bf16 autocast, when Python's torch is importable. The last line is the
 * TS/C++ fp32 ratio. On CPU a line before it compares MobileFaceNet (imported
 * from Human's TF.js model) with ResNet-18 (bench/backboneRate.ts).
 */
import { spawnSync } from 'node:child_process';
import * as torch from '../src/torch/index.js';
import { resnet18 } from '../src/models/resnet.js';
import { buildCpp, packageRoot } from './buildCpp.js';
import { pytorchStepArgv, pytorchStepScript } from './pytorchStep.js';
import { backboneRateLine } from './backboneRate.js';
import { benchArgs } from './args.js';

const USAGE = 'npm run bench:step [-- --device cuda] [--batch B] [--size S] [--threads T] [--rounds R] [--steps N] [--warmup N]';

const arg = benchArgs(USAGE, ['device', 'batch', 'size', 'threads', 'rounds', 'steps', 'warmup']);

const device = arg('device', 'cpu');
const cuda = device.startsWith('cuda');
const batch = Number(arg('batch', cuda ? '256' : '16'));
const size = Number(arg('size', cuda ? '224' : '112'));
const threads = Number(arg('threads', '2'));
const rounds = Number(arg('rounds', '3'));
const steps = Number(arg('steps', cuda ? '30' : '8'));
const warmup = Number(arg('warmup', '3'));
// The reference variant (the C++ program runs the same): fp32, channels-last on CUDA only.
const channelsLast = cuda;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

torch.setNumThreads(threads);

/** One way of running the step through semifer: arithmetic and weight layout. */
interface Variant {
  name: string;
  precision: torch.Precision;
  channelsLast: boolean;
  step: () => number;
  imgPerSec: number[];
}

function variant(precision: torch.Precision, nhwc: boolean): Variant {
  torch.manualSeed(0);
  const model = resnet18({ numClasses: 7 });
  if (device !== 'cpu') model.to(device);
  if (nhwc) model.channelsLast();
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  let x = torch.keep(torch.randn([batch, 3, size, size], { device }));
  if (nhwc) x = torch.keep(x.channelsLast());
  const y = torch.keep(torch.randint(0, 7, [batch], { device }));
  const step = () =>
    torch.tidy(() => {
      opt.zeroGrad();
      // As FerModel: the network under autocast, the loss in float32.
      const logits = torch.autocast(device, precision, () => model.forward(x)).to('float32');
      const loss = torch.F.crossEntropy(logits, y);
      loss.backward();
      opt.step();
      return loss.item(); // one host sync per step, like the C++ reference's last step
    });
  const name = `${precision}${nhwc ? ' channels-last' : ''}`;
  return { name, precision, channelsLast: nhwc, step, imgPerSec: [] };
}

// The first is the reference the C++ program and the ratio measure; on the CPU
// the others show what bf16 and channels-last buy over fp32 contiguous.
const variants: Variant[] = cuda
  ? [variant('fp32', true), variant('bf16', true)]
  : [variant('fp32', false), variant('fp32', true), variant('bf16', true)];

function tsRun(v: Variant, n: number): number {
  for (let i = 0; i < warmup; i++) v.step();
  if (cuda) torch.cuda.synchronize();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) v.step();
  if (cuda) torch.cuda.synchronize();
  return (batch * n) / ((performance.now() - t0) / 1000);
}

const bin = buildCpp('resnet18_step');
function cppRun(n: number): number {
  // The allocator settings the addon makes for itself (native/addon.cc, keepFreedMemory), so the
  // ratio measures the binding, not glibc's page faults.
  const env = { ...process.env, MALLOC_MMAP_MAX_: '0', MALLOC_TRIM_THRESHOLD_: '2147483647' };
  const r = spawnSync(bin, [String(batch), String(size), String(threads), String(warmup), String(n), device, channelsLast ? '1' : '0'], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`C++ reference failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

function pytorchRun(n: number, precision: torch.Precision): number | undefined {
  const argv = pytorchStepArgv({ batch, size, threads, warmup, steps: n, device, channelsLast, precision });
  const r = spawnSync('python3', [pytorchStepScript(), ...argv], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return Number(r.stdout.trim());
}

const cpp: number[] = [];
const py = new Map<torch.Precision, number[]>();
for (let r = 0; r < rounds; r++) {
  cpp.push(cppRun(steps));
  const parts = [`cpp ${cpp[r].toFixed(1)}`];
  for (const v of variants) {
    v.imgPerSec.push(tsRun(v, steps));
    parts.push(`ts ${v.name} ${v.imgPerSec[r].toFixed(1)}`);
    if (cuda) {
      const p = pytorchRun(steps, v.precision);
      if (p !== undefined) {
        py.set(v.precision, [...(py.get(v.precision) ?? []), p]);
        parts.push(`pytorch ${v.precision} ${p.toFixed(1)}`);
      }
    }
  }
  console.log(`round ${r + 1} (img/s): ${parts.join(', ')}`);
}
// The face backbone's rate against ResNet-18 (CPU; before the last line, which stays the ratio).
if (!cuda) console.log(await backboneRateLine({ batch, size, rounds, steps: Math.max(2, Math.round(steps / 2)), warmup: 1 }));
const reference = variants[0];
const tsM = median(reference.imgPerSec);
const cppM = median(cpp);
const tag = `resnet18 train ${size}px b${batch}${cuda ? ` ${device} channels-last` : ''}`;
for (const v of variants) {
  const p = py.get(v.precision);
  if (p?.length) console.log(`${tag} ${v.precision}: ts ${median(v.imgPerSec).toFixed(1)} img/s, pytorch eager ${median(p).toFixed(1)} img/s, ratio ${(median(v.imgPerSec) / median(p)).toFixed(3)}`);
}
// Best of the rounds: on a shared machine the best round is the least disturbed one.
const best = (xs: number[]) => Math.max(...xs);
const speedups = variants.slice(1).map((v) => `${v.name} ${(best(v.imgPerSec) / best(reference.imgPerSec)).toFixed(2)}x`);
console.log(`${tag}: speedup over ${reference.name}${cuda ? '' : ' contiguous'} (best of ${rounds}, same run): ${speedups.join(', ')}`);
console.log(`${tag}: ts ${tsM.toFixed(1)} img/s, cpp ${cppM.toFixed(1)} img/s, ratio ${(tsM / cppM).toFixed(3)}`);
