/**
 * Loads the compiled addon once, lazily: `require()` of LibTorch costs ≈ 0.4 s
 * and ≈ 150 MB (docs/design.md), so importing semifer for a `--help` must not pay it.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Generator, NativeAddon } from './addonApi.js';

export type { Handle, NativeAddon } from './addonApi.js';

let addon: NativeAddon | undefined;
let privateGenerator: Generator | null = null;

/**
 * The random generator of this thread: null on the main thread (LibTorch's
 * default, which dropout also uses); a private one in worker threads, so
 * data-loading workers never interleave with the training thread's draws.
 */
export function threadGenerator(): Generator | null {
  if (!addon) native();
  return privateGenerator;
}

function packageRoot(): string {
  // dist/src/torch/native.js or src/torch/native.ts → the package root holds build/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('semifer: cannot find the package root from ' + fileURLToPath(import.meta.url));
}

export function native(): NativeAddon {
  if (addon) return addon;
  const root = packageRoot();
  const path = join(root, 'build', 'Release', 'semifer_native.node');
  if (!existsSync(path)) {
    throw new Error(
      `semifer: the native LibTorch addon is not built (${path} is missing).\n` +
        'Run `npm install` (or `npm rebuild`) in the semifer package; it installs LibTorch with apt on Debian/Ubuntu as root, ' +
        'or set LIBTORCH=/path/to/libtorch, or `pip install torch`, then rebuild.',
    );
  }
  // OpenMP threads that spin at barriers collapse when another process takes a
  // core (docs/design.md: 5–10× slower; measured here 24× on a ResNet-18 step).
  // Sleeping waits cost little when the machine is idle, so they are the
  // default; set OMP_WAIT_POLICY yourself to override. libgomp reads it when
  // LibTorch loads, i.e. on the require() below.
  if (process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = 'PASSIVE';
  const require = createRequire(import.meta.url);
  addon = require(path) as NativeAddon;
  // LibTorch's intra-op thread count defaults to 1 on a 2-core machine (docs/design.md:
  // half speed), so use every core unless SEMIFER_NUM_THREADS says otherwise.
  const fromEnv = Number(process.env.SEMIFER_NUM_THREADS);
  addon.setNumThreads(Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism());
  if (!isMainThread) privateGenerator = addon.generatorNew(0);
  return addon;
}
