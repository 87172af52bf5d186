/**
 * The method knobs of `semifer train` reach the method: flags → cfg.hyper →
 * createMethod → the option the method reads. A flag that parsed but never
 * reached the method would silently train the default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions } from '../../src/cli/options/index.js';
import { TRAIN_OPTIONS } from '../../src/cli/commands/trainOptions.js';
import { trainConfigFrom } from '../../src/cli/commands/train.js';
import { createMethod, type FixMatch, type AdaCm, type DtaSnl, type Scn, type ScnLoss } from '../../src/methods/index.js';
import { updateMargins } from '../../src/methods/losses/adaptiveMargin.js';

const base = ['--dataset', 'rafdb', '--root', 'data/none', '--out', 'runs/none'];

async function methodFrom(argv: string[]) {
  const cfg = await trainConfigFrom(resolveOptions(TRAIN_OPTIONS, [...base, ...argv]));
  return { cfg, method: createMethod(cfg.method, { numClasses: 3, labels: new Int32Array([0, 1, 2]), hyper: cfg.hyper, noisyLabels: cfg.noisyLabels }) };
}

test("--margin-scale sets Ada-CM's 0.97: T_c = max(0.8, m_c·S/(1+e^−epoch))", async () => {
  const { cfg, method } = await methodFrom(['--method', 'adacm', '--margin-scale', '0.85']);
  assert.equal(cfg.hyper.scale, 0.85);
  assert.equal((method as AdaCm).o.scale, 0.85);
  // Class 0's correct samples average 0.99; at epoch 6: 0.99·0.85/(1+e^−6) = 0.84 (not 0.96).
  const probs = new Float32Array([0.99, 0.005, 0.005, 0.005, 0.99, 0.005, 0.005, 0.005, 0.99]);
  const t = updateMargins(probs, new Int32Array([0, 1, 2]), 3, 6, (method as AdaCm).o);
  assert.ok(Math.abs(t[0] - (0.99 * 0.85) / (1 + Math.exp(-6))) < 1e-6, `got ${t[0]}`);
  const dflt = await methodFrom(['--method', 'adacm']);
  assert.equal(dflt.cfg.hyper.scale, undefined, 'unset: the paper’s 0.97 applies');
});

test('--margin-scale outside [0, 1] is refused', async () => {
  assert.throws(() => resolveOptions(TRAIN_OPTIONS, [...base, '--margin-scale', '1.5']), /margin-scale/);
});

test('--threshold-momentum reaches DTA+SNL; the SCN flags reach its loss', async () => {
  const dta = (await methodFrom(['--method', 'dta-snl', '--threshold-momentum', '0.99'])).method as DtaSnl;
  assert.equal(dta.dynamic.momentum, 0.99);
  const scn = (await methodFrom(['--method', 'scn', '--relabel-epoch', '12', '--scn-warmup', '1', '--relabel-group', 'low'])).method as Scn;
  const loss = scn.labelledLoss as ScnLoss;
  assert.deepEqual([loss.relabelEpoch, loss.warmupEpochs, loss.relabelGroup], [12, 1, 'low']);
  const paper = ((await methodFrom(['--method', 'scn'])).method as Scn).labelledLoss as ScnLoss;
  assert.deepEqual([paper.relabelEpoch, paper.warmupEpochs, paper.relabelGroup], [10, 0, 'all'], "unset: the authors' schedule");
});

test('--hyper reaches any knob a method reads: Ada-CM λ1/λ3 and the teacher switch, SCN δ2, FixMatch λu', async () => {
  const ada = (await methodFrom(['--method', 'adacm', '--hyper', 'lambdaX=1, lambdaS=0.2,teacherPseudoLabels=1'])).method as AdaCm;
  assert.deepEqual([ada.lambdaX, ada.lambdaS, ada.lambdaU, ada.teacherPseudoLabels], [1, 0.2, 1, true]);
  const scn = (await methodFrom(['--method', 'scn', '--hyper', 'delta2=0.3,beta=0.6'])).method as Scn;
  assert.deepEqual([(scn.labelledLoss as ScnLoss).delta2, (scn.labelledLoss as ScnLoss).beta], [0.3, 0.6]);
  const mixed = (await methodFrom(['--method', 'adacm', '--noisy-labels', 'scn', '--hyper', 'delta1=0.07', '--margin-scale', '0.9'])).method as AdaCm;
  assert.equal((mixed.labelledLoss as ScnLoss).delta1, 0.07, "SCN's knobs reach any method with --noisy-labels scn");
  assert.equal(mixed.o.scale, 0.9);
  const fix = (await methodFrom(['--method', 'fixmatch', '--hyper', 'lambdaU=2', '--threshold', '0.9'])).method as FixMatch;
  assert.deepEqual([fix.lambdaU, fix.threshold], [2, 0.9]);
  const dta = (await methodFrom(['--method', 'dta-snl', '--hyper', 'min=0.6,max=0.9,gamma=0.1', '--threshold-momentum', '0.99'])).method as DtaSnl;
  assert.deepEqual([dta.dynamic.min, dta.dynamic.max, dta.dynamic.momentum, dta.gamma], [0.6, 0.9, 0.99, 0.1]);
});

test('--hyper refuses a name the method does not read, listing those it does; and malformed or clashing entries', async () => {
  const refused = async (argv: string[], re: RegExp) => assert.rejects(methodFrom(argv), re);
  await refused(['--method', 'adacm', '--hyper', 'threshold=0.9'], /method 'adacm' has no hyper-parameter 'threshold'; it reads: lambdaX, lambdaU, lambdaS/);
  await refused(['--method', 'supervised', '--hyper', 'lambdaU=1'], /'supervised' has no hyper-parameter 'lambdaU'; it reads none/);
  await refused(['--method', 'fixmatch', '--hyper', 'delta2=0.3'], /SCN's need --noisy-labels scn/);
  await refused(['--method', 'dta-snl', '--threshold', '0.9'], /no hyper-parameter 'threshold'.*\(from --threshold\)/);
  await refused(['--method', 'adacm', '--hyper', 'lambdaX'], /--hyper: expected name=value, got 'lambdaX'/);
  await refused(['--method', 'adacm', '--hyper', 'lambdaX=high'], /'lambdaX' needs a number, got 'high'/);
  await refused(['--method', 'adacm', '--hyper', 'lambdaX=1,lambdaX=2'], /'lambdaX' is given twice/);
  await refused(['--method', 'adacm', '--hyper', 'scale=0.9', '--margin-scale', '0.8'], /--hyper sets 'scale', which --margin-scale sets too/);
  await refused(['--method', 'adacm', '--hyper', 'teacherPseudoLabels=2'], /'teacherPseudoLabels' is a switch: 0 or 1, got 2/);
  await refused(['--method', 'adacm', '--hyper', 'lambdaS=-1'], /'lambdaS' must not be negative/);
  assert.throws(() => createMethod('adacm', { numClasses: 3, labels: new Int32Array(3), hyper: { lamdaX: 1 } }), /no hyper-parameter 'lamdaX'/, 'the API checks too');
});

test('train --help lists every --hyper name each method reads, from the same table the check uses', async () => {
  const { trainCommand } = await import('../../src/cli/commands/train.js');
  const { formatCommandHelp } = await import('../../src/cli/help.js');
  const { createStyle } = await import('../../src/cli/style.js');
  const { METHOD_HYPER } = await import('../../src/methods/hyperParameters.js');
  const help = formatCommandHelp(trainCommand, ['train'], { style: createStyle({ isTTY: false }, {}), width: 100 });
  for (const [method, names] of Object.entries(METHOD_HYPER)) {
    if (Object.keys(names).length === 0) continue;
    const section = help.split(/\n\n/).find((s) => s.startsWith(`--hyper names for --method ${method}`));
    assert.ok(section, `a section for ${method}`);
    for (const name of Object.keys(names)) assert.match(section, new RegExp(`^  ${name} `, 'm'), `${method}: ${name}`);
  }
  assert.match(help, /forwardPerView +1: one forward pass per view batch/);
});
