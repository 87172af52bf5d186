/**
 * Each method file declares its name, hyper-parameters and training defaults
 * once (src/methods/declaration.ts); the registry, `--method`, `--hyper`,
 * `train --help` and the default learning rate all read those declarations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METHODS, METHOD_NAMES } from '../../src/methods/registry.js';
import { createMethod, type AdaCm, type DtaSnl, type FixMatch, type MeanTeacher, type Scn, type ScnLoss } from '../../src/methods/index.js';
import { checkHyper } from '../../src/methods/hyperParameters.js';
import { TRAIN_OPTIONS } from '../../src/cli/commands/trainOptions.js';
import { DEFAULT_LR, defaultConfig } from '../../src/train/config.js';
import { hyperValues } from '../../src/methods/declaration.js';

test('the registry lists the six methods in --method order, and --method offers exactly those', () => {
  assert.deepEqual(METHOD_NAMES, ['supervised', 'fixmatch', 'meanteacher', 'adacm', 'scn', 'dta-snl']);
  const spec = TRAIN_OPTIONS.find((o) => o.name === 'method') as { values: readonly string[] };
  assert.deepEqual([...spec.values], METHOD_NAMES);
});

test('an unset hyper-parameter takes its declared default in the method object (the papers\' values)', () => {
  const make = (name: string) => createMethod(name, { numClasses: 3, labels: new Int32Array([0, 1, 2]) });
  const ada = make('adacm') as AdaCm;
  assert.deepEqual([ada.lambdaX, ada.lambdaU, ada.lambdaS, ada.temperature, ada.studentShrink, ada.forwardPerView, ada.teacherPseudoLabels], [0.5, 1, 0.1, 0.07, 0.02, true, false]);
  assert.deepEqual(ada.thresholds, [0.8, 0.8, 0.8], 'T0 = 0.8 for every class before the first epoch');
  const fix = make('fixmatch') as FixMatch;
  assert.deepEqual([fix.threshold, fix.lambdaU], [0.95, 1]);
  const mt = make('meanteacher') as MeanTeacher;
  assert.deepEqual([mt.consistencyWeight, mt.rampupEpochs], [10, 5]);
  const dta = make('dta-snl') as DtaSnl;
  assert.deepEqual([dta.lambdaU, dta.lambdaN, dta.gamma, dta.dynamic.momentum, dta.dynamic.min, dta.dynamic.max], [1, 1, 0.05, 0.999, 0.5, 0.95]);
  const scn = (make('scn') as Scn).labelledLoss as ScnLoss;
  assert.deepEqual([scn.beta, scn.delta2, scn.relabelEpoch, scn.warmupEpochs, scn.relabelGroup], [0.7, 0.2, 10, 0, 'all']);
  // Every declared default is the value the method reads.
  for (const m of METHODS) for (const [name, p] of Object.entries(m.hyper)) {
    if (p.default !== undefined) assert.equal(hyperValues(m.hyper, {})[name], p.default, `${m.name}.${name}`);
  }
});

test('a switch is declared as one and refuses anything but 0 or 1; a number is not a switch', () => {
  assert.throws(() => checkHyper('adacm', { marginAugment: 0.5 }), /'marginAugment' is a switch/);
  assert.throws(() => checkHyper('scn', { relabelLowOnly: 2 }), /'relabelLowOnly' is a switch/);
  assert.doesNotThrow(() => checkHyper('adacm', { lambdaX: 0.5 }));
});

test('a hyper-parameter read only with another\'s value is refused without it, naming what it needs; each such condition names a declared switch', () => {
  // Ada-CM's teacherBatchStats acts on the teacher's pseudo-labels, which are off by default.
  assert.throws(() => checkHyper('adacm', { teacherBatchStats: 0 }),
    /'adacm' reads hyper-parameter 'teacherBatchStats' only with teacherPseudoLabels=1 \(teacherPseudoLabels is 0, its default\), so 'teacherBatchStats=0' would change nothing/);
  assert.throws(() => checkHyper('adacm', { teacherBatchStats: 1, teacherPseudoLabels: 0 }), /teacherPseudoLabels is 0\)/);
  checkHyper('adacm', { teacherBatchStats: 0, teacherPseudoLabels: 1 });
  checkHyper('meanteacher', { teacherBatchStats: 0 }); // read unconditionally there
  const ada = createMethod('adacm', { numClasses: 3, labels: new Int32Array([0, 1, 2]), hyper: { teacherBatchStats: 0, teacherPseudoLabels: 1 } }) as AdaCm;
  assert.equal(ada.teacherBatchStats, false);
  for (const m of METHODS) for (const [name, p] of Object.entries(m.hyper)) {
    for (const [other, value] of Object.entries(p.readOnlyWith ?? {})) {
      assert.ok(m.hyper[other], `${m.name}.${name} is read only with ${other}, which ${m.name} does not declare`);
      assert.ok(m.hyper[other]!.type === 'number' || value === 0 || value === 1, `${m.name}.${name}: ${other} is a switch`);
    }
  }
});

test("the learning rate, weight decay and schedule defaults come from the methods' declarations", () => {
  assert.deepEqual(DEFAULT_LR, { supervised: 5e-4, fixmatch: 5e-4, meanteacher: 5e-4, adacm: 5e-4, scn: 1e-3, 'dta-snl': 5e-4 });
  const scn = defaultConfig({ dataset: 'd', root: 'r', method: 'scn', out: 'o' });
  assert.deepEqual([scn.lr, scn.weightDecay, scn.schedule], [1e-3, 1e-4, 'exponential:0.9']);
  const ada = defaultConfig({ dataset: 'd', root: 'r', method: 'adacm', out: 'o' });
  assert.deepEqual([ada.lr, ada.weightDecay, ada.schedule], [5e-4, 0, 'cosine']);
  const lr = TRAIN_OPTIONS.find((o) => o.name === 'lr')!;
  assert.match(lr.description, /default: 5e-4, scn 1e-3/);
});

test('each config gets its own hyper object', () => {
  const a = defaultConfig({ dataset: 'd', root: 'r', method: 'adacm', out: 'o' });
  a.hyper.lambdaX = 2;
  assert.deepEqual(defaultConfig({ dataset: 'd', root: 'r', method: 'adacm', out: 'o' }).hyper, {});
});
