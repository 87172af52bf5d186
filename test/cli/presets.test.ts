/**
 * `--preset NAME`: a layer of option values under the config file and the
 * command line, validated like a config file; every declared preset resolves
 * to a valid TrainConfig that reaches its method; `--dry-run` prints it
 * without reading an image or loading the engine.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { options, resolveOptionsDetailed } from '../../src/cli/options/index.js';
import { UsageError } from '../../src/cli/errors.js';
import { TRAIN_OPTIONS } from '../../src/cli/commands/trainOptions.js';
import { trainConfigFrom } from '../../src/cli/commands/train.js';
import { TRAIN_PRESETS } from '../../src/train/presets.js';
import { createMethod, type Scn, type ScnLoss } from '../../src/methods/index.js';
import { mergeHyper } from '../../src/methods/hyperParameters.js';

const dir = mkdtempSync(join(tmpdir(), 'semifer-presets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LAYERS: Record<string, Record<string, unknown>> = {
  small: { epochs: 3, lr: 0.1, 'labels-per-class': 5, hyper: 'a=1,b=2' },
  broken: { epochs: 0, colour: 'red' },
};
const SPEC = options([
  { name: 'preset', type: 'string', description: 'x', layer: (name: string) => {
    if (!(name in LAYERS)) throw new UsageError(`--preset: unknown preset '${name}'`);
    return { source: `preset ${name}`, entries: LAYERS[name]! };
  } },
  { name: 'epochs', type: 'int', min: 1, default: 20, description: 'x' },
  { name: 'lr', type: 'number', min: 0, description: 'x' },
  { name: 'root', type: 'path', required: true, description: 'x' },
  { name: 'labels-per-class', type: 'int', exclusive: 'labels', description: 'x' },
  { name: 'label-fraction', type: 'number', exclusive: 'labels', description: 'x' },
  { name: 'hyper', type: 'string', merge: mergeHyper, description: 'x' },
  { name: 'dry-run', type: 'boolean', waivesRequired: true, description: 'x' },
  { name: 'config', type: 'path', configurable: false, description: 'x' },
]);

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected UsageError, got ${String(err)}`);
    return [...err.problems];
  }
  assert.fail('expected a UsageError');
}

test('precedence: command line > config file > preset > default; sources say which', () => {
  const r = resolveOptionsDetailed(SPEC, ['--preset', 'small', '--root', 'r']);
  assert.deepEqual([r.values.epochs, r.values.lr, r.values.labelsPerClass], [3, 0.1, 5]);
  assert.equal(r.sources.epochs, 'preset');
  const config = join(dir, 'c.yaml');
  writeFileSync(config, 'lr: 0.2\nlabel-fraction: 0.5\n');
  const c = resolveOptionsDetailed(SPEC, ['--preset', 'small', '--root', 'r', '--config', config, '--epochs', '9']);
  assert.deepEqual([c.values.epochs, c.values.lr], [9, 0.2]);
  assert.deepEqual([c.sources.epochs, c.sources.lr], ['cli', 'config']);
  // The config's member of the exclusive group drops the preset's instead of clashing with it.
  assert.deepEqual([c.values.labelFraction, c.values.labelsPerClass], [0.5, undefined]);
  // A preset named in the config file applies too.
  writeFileSync(config, 'preset: small\n');
  assert.equal(resolveOptionsDetailed(SPEC, ['--root', 'r', '--config', config]).values.epochs, 3);
});

test('a merge option adds the command line to the preset, name by name', () => {
  const r = resolveOptionsDetailed(SPEC, ['--preset', 'small', '--root', 'r', '--hyper', 'b=5,c=3']);
  assert.equal(r.values.hyper, 'a=1,b=5,c=3');
  assert.equal(mergeHyper('delta1=0.07,beta=0.7', 'beta=0.6'), 'delta1=0.07,beta=0.6');
});

test("a preset's bad values are reported like a config file's, naming the preset", () => {
  const p = problems(() => resolveOptionsDetailed(SPEC, ['--preset', 'broken', '--root', 'r']));
  assert.ok(p.some((m) => m.startsWith('preset broken: epochs: expected an integer ≥ 1, got 0')), p.join('\n'));
  assert.ok(p.some((m) => m.startsWith("preset broken: unknown key 'colour'")), p.join('\n'));
  assert.deepEqual(problems(() => resolveOptionsDetailed(SPEC, ['--preset', 'nope', '--root', 'r'])), ["--preset: unknown preset 'nope'"]);
});

test('--dry-run waives required options; without it they are still required', () => {
  assert.equal(resolveOptionsDetailed(SPEC, ['--dry-run']).values.root, undefined);
  assert.ok(problems(() => resolveOptionsDetailed(SPEC, [])).some((m) => m.includes('missing required option --root')));
});

test('every preset resolves through the train options to a config its method accepts, and names its source', async () => {
  for (const preset of TRAIN_PRESETS) {
    assert.ok(preset.source.paper.length > 10 && preset.source.where.length > 10, `${preset.name} names its source`);
    const argv = ['--preset', preset.name, '--root', 'data/none', '--out', 'runs/none', ...(preset.options.dataset ? [] : ['--dataset', 'imagefolder'])];
    const cfg = await trainConfigFrom(resolveOptionsDetailed(TRAIN_OPTIONS, argv).values);
    for (const [key, value] of Object.entries(preset.options)) {
      if (key === 'hyper') continue;
      const field = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      if (field in cfg) assert.equal((cfg as unknown as Record<string, unknown>)[field], value, `${preset.name}: ${key}`);
    }
    createMethod(cfg.method, { numClasses: 7, labels: new Int32Array(7), hyper: cfg.hyper, noisyLabels: cfg.noisyLabels });
  }
  assert.equal(new Set(TRAIN_PRESETS.map((p) => p.name)).size, TRAIN_PRESETS.length, 'names are unique');
});

test("the papers' numbers: Ada-CM 800 steps × 20 at 224 px; SCN 70 passes of ⌈12271/64⌉ = 192 steps with δ1 0.07", async () => {
  const resolve = async (argv: string[]) => trainConfigFrom(resolveOptionsDetailed(TRAIN_OPTIONS, ['--root', 'r', '--out', 'o', ...argv]).values);
  const ada = await resolve(['--preset', 'adacm-rafdb-400']);
  assert.deepEqual([ada.stepsPerEpoch, ada.epochs, ada.size, ada.batch, ada.mu, ada.lr, ada.labels], [800, 20, 224, 16, 1, 5e-4, 'adacm-rafdb-400']);
  const scn = await resolve(['--preset', 'scn-rafdb-noise20', '--hyper', 'beta=0.6']);
  assert.deepEqual([scn.stepsPerEpoch, scn.epochs, scn.batch, scn.labelNoise, scn.labels, scn.schedule, scn.weightDecay], [192, 70, 64, 0.2, 'all', 'exponential:0.9', 1e-4]);
  const loss = (createMethod('scn', { numClasses: 7, labels: new Int32Array(7), hyper: scn.hyper }) as Scn).labelledLoss as ScnLoss;
  assert.deepEqual([loss.delta1, loss.beta, loss.delta2], [0.07, 0.6, 0.2], "--hyper beta=0.6 keeps the preset's δ1");
  // A flag overrides the preset; a flag of the labels group replaces the preset's label protocol.
  const mine = await resolve(['--preset', 'adacm-rafdb-400', '--size', '112', '--labels-per-class', '10']);
  assert.deepEqual([mine.size, mine.labels, mine.stepsPerEpoch], [112, 'n:10', 800]);
});

test('semifer train --preset adacm-rafdb-400 --dry-run prints the config without images or the engine', () => {
  const script = `
    import { createRequire } from 'node:module';
    const { runCli } = await import(${JSON.stringify(new URL('../../src/cli/run.js', import.meta.url).href)});
    const out = [];
    const code = await runCli(['train', '--preset', 'adacm-rafdb-400', '--dry-run', '--json'], { stdout: { write: (s) => out.push(s) } });
    const native = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.endsWith('.node'));
    console.log(JSON.stringify({ code, doc: JSON.parse(out.join('')), native }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { code, doc, native } = JSON.parse(r.stdout) as { code: number; doc: { config: Record<string, unknown>; missing: string[]; preset: { name: string } }; native: string[] };
  assert.equal(code, 0);
  assert.deepEqual([doc.config.stepsPerEpoch, doc.config.size, doc.config.method, doc.preset.name], [800, 224, 'adacm', 'adacm-rafdb-400']);
  assert.deepEqual(doc.missing, ['--root', '--out']);
  assert.deepEqual(native, [], 'no native addon loaded');
});

test('semifer presets lists every preset with its source; an unknown name exits 2', () => {
  const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
  const list = spawnSync(process.execPath, [cli, 'presets', '--json'], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const doc = JSON.parse(list.stdout) as { presets: { name: string; source: { paper: string } }[] };
  assert.deepEqual(doc.presets.map((p) => p.name), TRAIN_PRESETS.map((p) => p.name));
  const text = spawnSync(process.execPath, [cli, 'presets'], { encoding: 'utf8' });
  assert.match(text.stdout, /scn-rafdb-noise30 .*\n\s+source: Wang et al\./);
  const bad = spawnSync(process.execPath, [cli, 'train', '--preset', 'adacm-rafdb-40', '--dry-run'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown preset 'adacm-rafdb-40'.*did you mean 'adacm-rafdb-400'/);
});
