// One rank of the process-group test (processGroup.test.ts spawns two):
// collectives, gradient averaging and synchronised batch norm, each checked
// against values computed here without any collective; prints one JSON line.
import * as torch from '../../src/torch/index.js';
import { nn } from '../../src/torch/index.js';
import { readLaunchEnv } from '../../src/distributed/env.js';
import { allReduce, asPeerLost, barrier, broadcast, initProcessGroup } from '../../src/distributed/processGroup.js';
import { averageGradients } from '../../src/distributed/gradients.js';
import { syncBatchNorm } from '../../src/distributed/syncBatchNorm.js';

const env = readLaunchEnv()!;
const { rank, worldSize } = env;
initProcessGroup({ ...env, timeoutMs: Number(process.env.TEST_TIMEOUT_MS ?? 20_000), backend: 'gloo' });
const out: Record<string, unknown> = { rank };

if (process.env.TEST_MODE === 'agent') {
  // Stands in for torchrun's agent: its world-1 group's rank 0 serves the TCPStore the workers join.
  console.log('ready');
  setTimeout(() => process.exit(0), 60_000);
} else if (process.env.TEST_MODE === 'die-in-backward') {
  // Both ranks run a synchronised batch norm forward; rank 1 leaves before backward.
  const bn = new nn.BatchNorm2d(2);
  bn.train();
  const y = syncBatchNorm(bn, torch.randn([2, 2, 2, 2]).requiresGrad_(true));
  if (rank === 1) process.exit(0);
  try {
    y.sum().backward();
    out.error = null;
  } catch (e) {
    const lost = asPeerLost(e) as Error;
    out.error = { name: lost.name, message: lost.message };
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}

if (process.env.TEST_MODE === 'die') {
  barrier();
  if (rank === 1) process.exit(0); // leaves without a word: its sockets close
  const t0 = performance.now();
  try {
    allReduce([torch.ones([4])]);
    out.error = null;
  } catch (e) {
    out.error = { name: (e as Error).name, message: (e as Error).message, exitCode: (e as { exitCode?: number }).exitCode };
  }
  out.seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify(out));
  process.exit(0);
}

if (process.env.TEST_MODE !== 'agent') torch.tidy(() => {
  const a = torch.tensor([rank + 1, 10 * (rank + 1)]);
  allReduce([a], 'sum');
  out.sum = a.toArray();
  const m = torch.tensor([rank + 1, -(rank + 1)]);
  allReduce([m], 'max');
  out.max = m.toArray();
  const b = torch.tensor([rank * 100 + 7]);
  broadcast([b], 1);
  out.broadcast = b.toArray();

  // Gradients: p gets c·(rank+1) on every rank; q only on rank 0; r on no rank.
  const p = torch.zeros([3]).requiresGrad_(true);
  const q = torch.zeros([2]).requiresGrad_(true);
  const r = torch.zeros([2]).requiresGrad_(true);
  const c = torch.tensor([1, 2, 3]).mul(rank + 1);
  let loss = p.mul(c).sum();
  if (rank === 0) loss = loss.add(q.mul(torch.tensor([4, 8])).sum());
  loss.backward();
  averageGradients([p, q, r], worldSize, 8); // 8 bytes: one parameter per bucket and a split one
  out.gradP = p.grad!.toArray();
  out.gradQ = q.grad?.toArray() ?? null;
  out.gradR = r.grad === null ? null : 'set';

  // Synchronised batch norm against LibTorch's batch_norm on the global batch.
  torch.manualSeed(5);
  const x = torch.randn([4, 3, 2, 2]).mul(3).add(1);
  const wgt = torch.randn([4, 3, 2, 2]);
  const per = 4 / worldSize;
  const bnRef = new nn.BatchNorm2d(3);
  const bnSync = new nn.BatchNorm2d(3);
  for (const bn of [bnRef, bnSync]) {
    torch.noGrad(() => { bn.weight!.copy_(torch.tensor([1.5, 0.5, 2])); bn.bias!.copy_(torch.tensor([0.1, -0.2, 0.3])); });
    bn.train();
  }
  const xr = x.clone().requiresGrad_(true);
  bnRef.forward(xr).mul(wgt).sum().div(worldSize).backward();
  const xs = x.narrow(0, rank * per, per).clone().requiresGrad_(true);
  syncBatchNorm(bnSync, xs).mul(wgt.narrow(0, rank * per, per)).sum().backward();
  averageGradients(bnSync.parameters(), worldSize);
  const diff = (u: torch.Tensor, v: torch.Tensor) => u.sub(v).abs().max().item();
  out.bn = {
    // dL/dx_r on rank r is W·(dL/dx of the global mean loss) restricted to its rows.
    x: diff(xs.grad!, xr.grad!.narrow(0, rank * per, per).mul(worldSize)),
    weight: diff(bnSync.weight!.grad!, bnRef.weight!.grad!),
    bias: diff(bnSync.bias!.grad!, bnRef.bias!.grad!),
    runningMean: diff(bnSync.runningMean!, bnRef.runningMean!),
    runningVar: diff(bnSync.runningVar!, bnRef.runningVar!),
    output: diff(torch.noGrad(() => syncBatchNorm(bnSync, xs.detach())), torch.noGrad(() => bnRef.forward(x)).narrow(0, rank * per, per)),
  };
});
if (process.env.TEST_MODE !== 'agent') {
  barrier();
  console.log(JSON.stringify(out));
}
