/**
 * Data-parallel training rate: the same global batch B trained by 1 rank and
 * by N ranks on this machine (c10d Gloo over 127.0.0.1, one LibTorch thread per
 * rank), alternating round by round so a busy machine slows both alike. A step
 * is forward, cross-entropy, backward, gradient averaging, SGD momentum on
 * random images (the data pipeline is bench/dataPipeline.ts's business).
 * `npm run bench:dist` prints the line; measured lines are in docs/distributed.md, e.g.
 *   dist small 32px B=32, 1 thread/rank: 1 rank 238 img/s, 2 ranks 253 img/s, ratio 1.06
 *   (2-core machine shared with other work, load average 6)
 * Options: --model small --size 32 --batch 32 --ranks 2 --steps 20 --rounds 3
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface Opts { model: string; size: number; batch: number; ranks: number; steps: number; rounds: number }

async function rankMain(o: Opts): Promise<void> {
  const torch = await import('../src/torch/index.js');
  const { createModel } = await import('../src/models/index.js');
  const { readLaunchEnv } = await import('../src/distributed/env.js');
  const { DistributedContext } = await import('../src/distributed/context.js');
  const env = readLaunchEnv()!;
  const dist = DistributedContext.start(env, { backend: 'gloo', timeoutMs: 120_000, syncBatchNorm: false });
  torch.manualSeed(1);
  const model = createModel({ arch: o.model as never, numClasses: 7, head: 'linear' });
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  dist.afterSetup([model]);
  model.train();
  const per = o.batch / env.worldSize;
  const step = () => torch.tidy(() => {
    const x = torch.randn([per, 3, o.size, o.size]);
    const y = torch.randint(0, 7, [per]);
    opt.zeroGrad();
    torch.F.crossEntropy(model.forward(x).logits, y).backward();
    dist.afterBackward(model);
    opt.step();
  });
  for (let i = 0; i < 3; i++) step(); // warm-up: allocator, oneDNN primitives, Gloo pairs
  const t0 = performance.now();
  for (let i = 0; i < o.steps; i++) step();
  const seconds = (performance.now() - t0) / 1000;
  if (env.rank === 0) console.log(JSON.stringify({ imgPerSec: (o.batch * o.steps) / seconds }));
  dist.close();
}

function runWorld(o: Opts, world: number, port: number): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const args = [self, '--rank-mode', ...Object.entries(o).flatMap(([k, v]) => [`--${k}`, String(v)])];
  const children = Array.from({ length: world }, (_, rank) => spawn(process.execPath, args, {
    env: { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: String(world), LOCAL_RANK: String(rank), SEMIFER_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  }));
  let out = '';
  children[0]!.stdout!.on('data', (d) => (out += d));
  return Promise.all(children.map((c) => new Promise<number | null>((resolve) => c.on('close', resolve)))).then((codes) => {
    if (codes.some((c) => c !== 0)) throw new Error(`a rank failed (exit codes ${codes.join(', ')})`);
    return JSON.parse(out.trim()).imgPerSec as number;
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One line: the 1-rank and N-rank rates (medians over rounds) and their ratio. */
export async function distributedLine(o: Opts): Promise<string> {
  if (o.batch % o.ranks !== 0) throw new Error(`--batch ${o.batch} does not split over ${o.ranks} ranks`);
  const { freePort } = await import('../src/distributed/launcher.js');
  const one: number[] = [];
  const many: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    one.push(await runWorld(o, 1, await freePort()));
    many.push(await runWorld(o, o.ranks, await freePort()));
  }
  const a = median(one);
  const b = median(many);
  return `dist ${o.model} ${o.size}px B=${o.batch}, 1 thread/rank: 1 rank ${a.toFixed(0)} img/s, ${o.ranks} ranks ${b.toFixed(0)} img/s, ratio ${(b / a).toFixed(2)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'rank-mode': { type: 'boolean' }, model: { type: 'string', default: 'small' }, size: { type: 'string', default: '32' },
      batch: { type: 'string', default: '32' }, ranks: { type: 'string', default: '2' }, steps: { type: 'string', default: '20' }, rounds: { type: 'string', default: '3' },
    },
  });
  const o: Opts = { model: values.model!, size: Number(values.size), batch: Number(values.batch), ranks: Number(values.ranks), steps: Number(values.steps), rounds: Number(values.rounds) };
  if (values['rank-mode']) await rankMain(o);
  else console.log(await distributedLine(o));
}
