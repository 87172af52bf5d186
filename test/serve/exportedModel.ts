// A real exported model for the browser test, without training: a freshly
// initialised FerModel (small CNN, 48 px, the 7 classes) saved as a run's
// model file, then `semifer export --format tfjs` on it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createModel } from '../../src/models/index.js';
import { saveModelFile } from '../../src/models/modelFile.js';
import { SEVEN_CLASSES } from '../../src/data/classes.js';
import { CLI } from './helpers.js';

/** Returns the TF.js export folder, DIR/model-tfjs. */
export function exportedModelForTest(dir: string): string {
  const run = join(dir, 'run');
  mkdirSync(run, { recursive: true });
  const model = createModel({ arch: 'small', numClasses: SEVEN_CLASSES.length, head: 'linear' });
  model.eval();
  saveModelFile(join(run, 'model.safetensors'), model, { classes: [...SEVEN_CLASSES], size: 48, arch: 'small', method: 'supervised' });
  const out = join(dir, 'model-tfjs');
  const r = spawnSync(process.execPath, [CLI, 'export', '--run', run, '--format', 'tfjs', '--out', out, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`semifer export failed (${r.status}): ${r.stderr}`);
  return out;
}
