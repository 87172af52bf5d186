/**
 * Usage: USAGE below (`--help` prints it).
 *
 * `semifer predict` on CPU over face-api's six sample photos (1920 px group
 * shots, 22 faces): faces per second through the whole pipeline (decode →
 * detect + 68 landmarks → align → classify), split into its stages, and — as
 * the reference measured in the same run, interleaved round by round so CPU
 * contention hits both alike (docs/design.md) — the same classifier alone on the
 * same aligned crops in batches of 32. The ratio says how much of a face's
 * cost is finding it rather than classifying it. The pipeline uses the
 * default detector `ssd` (SSD MobileNet v1 + 68 landmarks on LibTorch); face-api's
 * own TF.js path of the same nets (`ssd-tfjs`, WASM, one thread) and the Tiny
 * Face Detector (`tiny`) are timed beside it, detection alone, as references.
 *
 * Without --run the classifier is a fresh model (weights do not change its
 * speed): ResNet-18 at 112 px, the training default.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as torch from '../src/torch/index.js';
import { createModel, type Arch } from '../src/models/index.js';
import { saveModelFile } from '../src/models/modelFile.js';
import { SEVEN_CLASSES } from '../src/data/classes.js';
import { createDetector } from '../src/deploy/detector.js';
import { openRunClassifier } from '../src/deploy/classifier.js';
import { predictImages, type ImageOk } from '../src/deploy/predictImages.js';
import { readPhoto } from '../src/deploy/photo.js';
import { alignFace } from '../src/deploy/align.js';
import { benchArgs } from './args.js';

const USAGE = 'npm run bench:predict [-- --run RUNDIR] [--model resnet18|small] [--size PX] [--rounds R]';

const arg = benchArgs(USAGE, ['run', 'model', 'size', 'rounds']);

const rounds = Number(arg('rounds', '3'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
  const photos = [1, 2, 3, 4, 5, 6].map((i) => join(demo, `sample${i}.jpg`));
  const work = mkdtempSync(join(tmpdir(), 'semifer-bench-predict-'));
  try {
    let run = arg('run', '');
    let what = run;
    if (!run) {
      const arch = arg('model', 'resnet18') as Arch;
      const size = Number(arg('size', '112'));
      torch.manualSeed(0);
      const model = createModel({ arch, numClasses: SEVEN_CLASSES.length, head: 'linear' });
      run = join(work, 'model.safetensors');
      saveModelFile(run, model, { classes: [...SEVEN_CLASSES], size, arch, method: 'supervised' });
      model.dispose();
      what = `a fresh ${arch}`;
    }
    const classifier = await openRunClassifier(run);
    const ssd = await createDetector({ kind: 'ssd' });
    const references = { 'ssd-tfjs': await createDetector({ kind: 'ssd-tfjs' }), tiny: await createDetector({ kind: 'tiny' }) };

    // Warm-up and the reference's input in one pass: every photo detected, its
    // faces aligned and classified as one batch (LibTorch/oneDNN set up each
    // batch shape on first use, WASM kernels compile on first call).
    const size = classifier.size, frame = size * size * 3;
    const crops: Uint8Array[] = [];
    for (const p of photos) {
      const photo = await readPhoto(p);
      const mine = (await ssd.detect(photo)).map((f) => alignFace(photo, f, size));
      const batch = new Uint8Array(mine.length * frame);
      mine.forEach((c, i) => batch.set(c, i * frame));
      await classifier.classify(batch);
      crops.push(...mine);
    }
    for (const d of Object.values(references)) await d.detect(await readPhoto(photos[0]!));
    const all = new Uint8Array(crops.length * frame);
    crops.forEach((c, i) => all.set(c, i * frame));
    await classifier.classify(all);

    const pipe: Array<{ faces: number; wall: number; decode: number; detect: number; align: number; classify: number }> = [];
    const alone: number[] = [];
    const refMs: Record<keyof typeof references, number[]> = { 'ssd-tfjs': [], tiny: [] };
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const results: ImageOk[] = [];
      for await (const res of predictImages(photos, { detector: ssd, classifier })) {
        if (!res.ok) throw new Error(res.error);
        results.push(res);
      }
      const wall = performance.now() - t0;
      const faces = sum(results.map((x) => x.faces.length));
      const t = (k: keyof ImageOk['timings']) => sum(results.map((x) => x.timings[k]));
      pipe.push({ faces, wall, decode: t('decodeMs'), detect: t('detectMs'), align: t('alignMs'), classify: t('classifyMs') });

      const t1 = performance.now();
      await classifier.classify(all);
      alone.push((crops.length / (performance.now() - t1)) * 1000);

      for (const [name, d] of Object.entries(references) as [keyof typeof references, typeof ssd][]) {
        let tt = 0;
        for (const p of photos) {
          const photo = await readPhoto(p);
          const t2 = performance.now();
          await d.detect(photo);
          tt += performance.now() - t2;
        }
        refMs[name].push(tt / photos.length);
      }
      const last = pipe[r]!;
      console.log(`round ${r + 1}: pipeline ${((last.faces / last.wall) * 1000).toFixed(2)} faces/s, classification alone ${alone[r]!.toFixed(1)} faces/s, ` +
        `ssd ${ms(last.detect / photos.length)}/image, ssd-tfjs ${ms(refMs['ssd-tfjs'][r]!)}/image, tiny ${ms(refMs.tiny[r]!)}/image (detection + landmarks)`);
    }

    const n = photos.length;
    const faces = pipe[0]!.faces;
    const m = (k: 'wall' | 'decode' | 'detect' | 'align' | 'classify') => median(pipe.map((p) => p[k]));
    const pipelineRate = (faces / m('wall')) * 1000;
    const aloneRate = median(alone);
    console.log(`photos: ${n} (face-api samples, 1920 px), faces: ${faces}; detector ssd and classifier ${what} at ${size} px on LibTorch, ${torch.getNumThreads()} threads`);
    console.log(`decode   ${ms(m('decode') / n)}/image (waited for: the next photo is decoded while one is detected)`);
    console.log(`detect   ${ms(m('detect') / n)}/image (SSD MobileNet v1 + 68 landmarks, LibTorch)`);
    console.log(`align    ${ms(m('align') / faces)}/face`);
    console.log(`classify ${ms(m('classify') / faces)}/face (one batch per photo)`);
    console.log(`pipeline: ${pipelineRate.toFixed(2)} faces/s, ${((n / m('wall')) * 1000).toFixed(2)} photos/s`);
    const tfjsMs = median(refMs['ssd-tfjs']), tinyMs = median(refMs.tiny);
    console.log(`reference, same run: classification alone ${aloneRate.toFixed(1)} faces/s (batches of 32 aligned crops); ` +
      `old detector ssd-tfjs (TF.js WASM, 1 thread) ${ms(tfjsMs)}/image; tiny (TF.js) ${ms(tinyMs)}/image`);
    console.log(`ratios: pipeline / classification alone = ${(pipelineRate / aloneRate).toFixed(3)}; detection ${((m('detect') / m('wall')) * 100).toFixed(0)} % of pipeline time; ` +
      `ssd-tfjs / ssd detect time = ${(tfjsMs / (m('detect') / n)).toFixed(2)}; tiny / ssd = ${(tinyMs / (m('detect') / n)).toFixed(2)}`);
    await classifier.dispose();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
