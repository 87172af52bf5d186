/**
 * Usage: USAGE below (`--help` prints it).
 *
 * The data pipeline's throughput against the training step it feeds, all in
 * one run (CPU contention moves both alike, docs/design.md):
 *   (a) decode + cache fill at 112×112 (loadOrBuildCache, cache miss)
 *   (b) cached loading (cache hit)
 *   (c) strong views through TrainLoader's worker (B = 16, μ = 1, every view
 *       strong), consumed as fast as they come — what a training loop sees
 *   (d) one ResNet-18 training step at 112 px, batch 16 (SGD momentum)
 *   (e) the training step fed by the loader (Ada-CM's views) vs (d)
 * The last line is the check the loader must pass: (c) ≥ 3 × (d).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import * as torch from '../src/torch/index.js';
import { resnet18 } from '../src/models/resnet.js';
import { loadOrBuildCache } from '../src/data/imageCache.js';
import { readImagefolder, readRafdb } from '../src/data/readers/index.js';
import type { Dataset } from '../src/data/types.js';
import { Rng } from '../src/data/random.js';
import { type LoaderOptions, TrainLoader, disposeBatch } from '../src/data/loader.js';
import { benchArgs } from './args.js';

const USAGE = 'npm run bench:data [-- --n 400] [--rounds 3] [--steps 12]';

const arg = benchArgs(USAGE, ['n', 'rounds', 'steps']);

const SIZE = 112;
const BATCH = 16;
const n = Number(arg('n', '400'));
const rounds = Number(arg('rounds', '3'));
const steps = Number(arg('steps', '12'));

/** CPU seconds this process has used (all threads): rates per CPU-second hold up under contention. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

interface Rate { wall: number; cpu: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => x.toFixed(1);

/**
 * A synthetic dataset: the synthetic-face generator in RAF-DB's layout when it
 * is there (src/data/synth), else noise JPEGs in an ImageFolder layout.
 */
async function makeDataset(dir: string): Promise<{ dataset: Dataset; what: string }> {
  const synthPath = '../src/data/synth/index.js'; // not a literal: the bench builds without it
  const synth = (await import(synthPath).catch(() => null)) as null | {
    synthesizeDataset(o: { out: string; n: number; format: 'rafdb'; size: number; seed: number }): Promise<unknown>;
  };
  if (synth) {
    await synth.synthesizeDataset({ out: dir, n, format: 'rafdb', size: SIZE, seed: 1 });
    return { dataset: await readRafdb(dir), what: 'synthetic faces, RAF-DB layout' };
  }
  const rng = new Rng(1);
  const classes = ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger'];
  for (let i = 0; i < n; i++) {
    const raw = Buffer.alloc(SIZE * SIZE * 3);
    for (let k = 0; k < raw.length; k++) raw[k] = rng.int(256);
    const file = join(dir, classes[i % 7]!, `${i}.jpg`);
    mkdirSync(dirname(file), { recursive: true });
    await sharp(raw, { raw: { width: SIZE, height: SIZE, channels: 3 } }).jpeg().toFile(file);
  }
  return { dataset: await readImagefolder(dir), what: 'noise JPEGs, ImageFolder layout' };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'semifer-bench-data-'));
  try {
    const { dataset, what } = await makeDataset(join(work, 'data'));
    const cacheDir = join(work, 'cache');

    let t0 = performance.now();
    const built = await loadOrBuildCache(dataset, 'train', SIZE, cacheDir);
    const decodeRate = built.count / ((performance.now() - t0) / 1000);
    if (built.fromCache) throw new Error('expected a cache miss on a fresh folder');
    t0 = performance.now();
    const hit = await loadOrBuildCache(dataset, 'train', SIZE, cacheDir);
    const cacheRate = hit.count / ((performance.now() - t0) / 1000);
    if (!hit.fromCache) throw new Error(`expected a cache hit, got '${hit.reason}'`);
    console.log(`dataset: ${what}, ${hit.count} training images at ${SIZE}×${SIZE}`);
    console.log(`(a) decode + cache fill: ${fmt(decodeRate)} img/s`);
    console.log(`(b) cache hit: ${fmt(cacheRate)} img/s`);

    const base: LoaderOptions = {
      labelled: { images: hit.pixels, labels: hit.labels, size: SIZE },
      unlabelled: { images: hit.pixels, size: SIZE },
      batchSize: BATCH,
      mu: 1,
      labelledViews: ['strong'],
      unlabelledViews: ['strong'],
      seed: 0,
      prefetch: 2,
    };

    torch.manualSeed(0);
    const model = resnet18({ numClasses: 7 });
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
    const trainStep = (x: torch.Tensor, y: torch.Tensor): number =>
      torch.tidy(() => {
        opt.zeroGrad();
        const loss = torch.F.crossEntropy(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
      });
    const x = torch.keep(torch.randn([BATCH, 3, SIZE, SIZE]));
    const y = torch.keep(torch.randint(0, 7, [BATCH]));

    /** Strong views per second, as the training loop receives them from the worker. */
    async function loaderRate(seed: number): Promise<Rate> {
      const loader = new TrainLoader({ ...base, seed });
      for (let i = 0; i < 3; i++) disposeBatch(await loader.next()); // worker start, first batches
      const start = performance.now();
      const cpu0 = cpuSeconds();
      let views = 0;
      for (let i = 0; i < steps; i++) {
        const b = await loader.next();
        views += b.labelled.views[0]!.shape[0]! + b.unlabelled!.views[0]!.shape[0]!;
        disposeBatch(b);
      }
      const rate = { wall: views / ((performance.now() - start) / 1000), cpu: views / (cpuSeconds() - cpu0) };
      await loader.close();
      return rate;
    }

    function trainRate(threads?: number): Rate {
      const before = torch.getNumThreads();
      if (threads) torch.setNumThreads(threads);
      try {
        for (let i = 0; i < 2; i++) trainStep(x, y);
        const start = performance.now();
        const cpu0 = cpuSeconds();
        const m = Math.max(4, Math.round(steps / 2));
        for (let i = 0; i < m; i++) trainStep(x, y);
        return { wall: (BATCH * m) / ((performance.now() - start) / 1000), cpu: (BATCH * m) / (cpuSeconds() - cpu0) };
      } finally {
        torch.setNumThreads(before);
      }
    }

    // Rounds interleave the two so contention from other processes hits both alike.
    // The 1-thread step is a second reference: under contention the 2-thread
    // OpenMP step collapses (docs/design.md), which would flatter the ratio.
    const strong: Rate[] = [];
    const train: Rate[] = [];
    const train1: Rate[] = [];
    const threads = torch.getNumThreads();
    for (let r = 0; r < rounds; r++) {
      strong.push(await loaderRate(r));
      train.push(trainRate());
      train1.push(trainRate(1));
      console.log(
        `round ${r + 1}: strong views ${fmt(strong[r]!.wall)} img/s, train step ${fmt(train[r]!.wall)} img/s (${threads} threads), ${fmt(train1[r]!.wall)} img/s (1 thread)` +
          ` | per CPU-second: strong ${fmt(strong[r]!.cpu)}, train ${fmt(train1[r]!.cpu)} (1 thread)`,
      );
    }
    const s = median(strong.map((r) => r.wall));
    const t = median(train.map((r) => r.wall));
    const t1 = median(train1.map((r) => r.wall));
    const sCpu = median(strong.map((r) => r.cpu));
    const tCpu = median(train1.map((r) => r.cpu));
    console.log(`(c) strong augmentation through the loader's worker: ${fmt(s)} img/s`);
    console.log(`(d) ResNet-18 train step ${SIZE}px b${BATCH}: ${fmt(t)} img/s with ${threads} threads, ${fmt(t1)} img/s with 1`);
    console.log(`ratios to (d): decode ${(decodeRate / t).toFixed(2)}, cache hit ${(cacheRate / t).toFixed(1)}, strong ${(s / t).toFixed(2)} (to the 1-thread step: ${(s / t1).toFixed(2)})`);
    // Contention-free view: one core's worth of worker vs the step on every core (assumes linear scaling, which flatters the step).
    console.log(`per CPU-second: strong ${fmt(sCpu)} img, train step ${fmt(tCpu)} img; one worker core vs a ${threads}-core step: ${(sCpu / (tCpu * threads)).toFixed(2)}`);

    // (e) Training fed by the loader with Ada-CM's views (weak labelled; weak, weak, strong unlabelled):
    // the worker's work runs beside the step, so this shows what it costs the step.
    const fed = new TrainLoader({ ...base, labelledViews: ['weak'], unlabelledViews: ['weak', 'weak', 'strong'] });
    for (let i = 0; i < 2; i++) {
      const b = await fed.next();
      trainStep(b.labelled.views[0]!, b.labelled.labels);
      disposeBatch(b);
    }
    const fedStart = performance.now();
    const m = Math.max(4, Math.round(steps / 2));
    for (let i = 0; i < m; i++) {
      const b = await fed.next();
      trainStep(b.labelled.views[0]!, b.labelled.labels);
      disposeBatch(b);
    }
    const fedRate = (BATCH * m) / ((performance.now() - fedStart) / 1000);
    await fed.close();
    const after = trainRate().wall;
    console.log(`(e) train step fed by the loader (Ada-CM views, 64 per step): ${fmt(fedRate)} img/s vs ${fmt(after)} img/s unfed just after (${((fedRate / after) * 100).toFixed(0)} %)`);

    model.dispose();
    x.dispose();
    y.dispose();
    console.log(`strong aug ${SIZE}px: ${fmt(s)} img/s, train step ${fmt(t)} img/s, ratio ${(s / t).toFixed(2)} (need ≥ 3)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
