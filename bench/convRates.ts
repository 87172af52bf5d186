/**
 * Usage: USAGE below (`--help` prints it).
 *
 * Where MobileFaceNet's training time goes against ResNet-18's: every
 * convolution of each network (recorded from one forward pass at S px) is
 * timed alone, forward + backward (input and weight gradients), batch B, in
 * LibTorch's NCHW layout and channels-last, and summed per kind (dense 3×3,
 * 1×1, depthwise). Prints multiply-adds per image and GFLOP/s per kind: the
 * numbers behind docs/performance.md's "MobileFaceNet against ResNet-18".
 * MobileFaceNet's graph must be installed (semifer models add mobilefacenet);
 * its random-init topology is the same, so no weights are loaded.
 */
import * as torch from '../src/torch/index.js';
import { native, type Handle } from '../src/torch/native.js';
import { createModel, type Arch } from '../src/models/index.js';
import { benchArgs } from './args.js';

const USAGE = 'node dist/bench/convRates.js [--threads T] [--batch B] [--size S]';

const arg = benchArgs(USAGE, ['threads', 'batch', 'size']);
const threads = Number(arg('threads', '1'));
const batch = Number(arg('batch', '16'));
const size = Number(arg('size', '112'));
const reps = 3;
torch.setNumThreads(threads);

interface ConvCall { input: number[]; weight: number[]; bias: boolean; stride: number[]; padding: number[]; dilation: number[]; groups: number }

/** The convolutions one forward pass runs, in order (the addon's conv2d, wrapped for the pass). */
function convolutionsOf(arch: Arch): ConvCall[] {
  type Conv2d = (x: Handle, w: Handle, b: Handle | null, stride: number[], padding: number[], dilation: number[], groups: number) => Handle;
  const n = native() as unknown as { conv2d: Conv2d; shape: (t: Handle) => number[] };
  const conv2d = n.conv2d;
  const calls: ConvCall[] = [];
  n.conv2d = (x: Handle, w: Handle, b: Handle | null, stride: number[], padding: number[], dilation: number[], groups: number) => {
    calls.push({ input: n.shape(x), weight: n.shape(w), bias: b !== null, stride, padding, dilation, groups });
    return conv2d(x, w, b, stride, padding, dilation, groups);
  };
  try {
    const model = createModel({ arch, numClasses: 7, head: 'linear' });
    model.eval();
    torch.tidy(() => torch.noGrad(() => model.forward(torch.randn([batch, 3, size, size])).logits));
  } finally {
    n.conv2d = conv2d;
  }
  return calls;
}

/** Best of `reps` forward + backward times (ms); the first layer's input needs no gradient. */
function time(c: ConvCall, first: boolean, channelsLast: boolean): number {
  return torch.tidy(() => {
    let x = torch.randn(c.input);
    let w = torch.randn(c.weight).mul(0.01);
    if (channelsLast) { x = x.channelsLast(); w = w.channelsLast(); }
    if (!first) x.requiresGrad_();
    w.requiresGrad_();
    const b = c.bias ? torch.zeros([c.weight[0]!]).requiresGrad_() : null;
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      torch.tidy(() => {
        const t0 = performance.now();
        const y = torch.F.conv2d(x, w, b, { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups });
        y.backward(torch.onesLike(y));
        best = Math.min(best, performance.now() - t0);
      });
    }
    return best;
  });
}

const outSide = (inSide: number, k: number, c: ConvCall, i: number) => Math.floor((inSide + 2 * c.padding[i]! - c.dilation[i]! * (k - 1) - 1) / c.stride[i]!) + 1;

for (const arch of ['mobilefacenet', 'resnet18'] as const) {
  const calls = convolutionsOf(arch);
  const macs = calls.map((c) => c.input[0]! * c.weight[0]! * outSide(c.input[2]!, c.weight[2]!, c, 0) * outSide(c.input[3]!, c.weight[3]!, c, 1) * c.weight[1]! * c.weight[2]! * c.weight[3]!);
  const perImage = macs.reduce((a, b) => a + b, 0) / batch;
  console.log(`${arch}: ${calls.length} convolutions, ${(perImage / 1e6).toFixed(1)} M multiply-adds per ${size}-px image (forward)`);
  for (const cl of [false, true]) {
    const kinds = new Map<string, { n: number; ms: number; flops: number }>();
    let total = 0;
    calls.forEach((c, i) => {
      const kind = `${c.groups > 1 ? 'depthwise' : 'conv'} ${c.weight[2]}x${c.weight[3]}`;
      const ms = time(c, i === 0, cl);
      const k = kinds.get(kind) ?? { n: 0, ms: 0, flops: 0 };
      // Forward, input gradient and weight gradient: three products of the forward's size, 2 FLOPs per multiply-add.
      kinds.set(kind, { n: k.n + 1, ms: k.ms + ms, flops: k.flops + 6 * macs[i]! });
      total += ms;
    });
    const parts = [...kinds].map(([kind, k]) => `${kind} ×${k.n} ${k.ms.toFixed(0)} ms (${(k.flops / k.ms / 1e6).toFixed(1)} GFLOP/s)`);
    console.log(`  ${cl ? 'channels-last' : 'NCHW'}: ${total.toFixed(0)} ms forward + backward, batch ${batch}, ${threads} thread(s): ${parts.join('; ')}`);
  }
}
