// The defaults that follow the run: each rule gives the paper's value at the paper's protocol and a flag always wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { teacherDecayFor, resolveRunDefaults, cropPaddingFor, backboneLrScaleFor, PAPER_EMA_DECAY, DEFAULT_HEAD_SCALE } from '../../src/train/runDefaults.js';
import { parameterGroups } from '../../src/train/trainSetup.js';
import { createModel } from '../../src/models/index.js';
import * as torch from '../../src/torch/index.js';
import { train, defaultConfig } from '../../src/train/index.js';
import { tinyDataset } from './fixtures.js';

const near = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("the teacher's time constant is 1/16 of the run, capped at the papers' 0.999", () => {
  assert.equal(teacherDecayFor(20 * 800), PAPER_EMA_DECAY, "Ada-CM's 16,000 steps give the paper's 0.999");
  assert.equal(teacherDecayFor(100_000), PAPER_EMA_DECAY, 'never slower than the paper');
  near(teacherDecayFor(240), 1 - 1 / 15);
  near(teacherDecayFor(2400), 1 - 1 / 150);
  assert.equal(teacherDecayFor(8), 0, 'a run shorter than 16 steps: the teacher is the student');
});

test('resolveRunDefaults fills only what the user left unset', () => {
  const base = { method: 'dta-snl', epochs: 6, stepsPerEpoch: 40, size: 32, hyper: {} as Record<string, number> };
  const auto = resolveRunDefaults(base);
  near(auto.emaDecay, 1 - 1 / 15);
  assert.equal(auto.headScale, DEFAULT_HEAD_SCALE);
  near(auto.hyper.thresholdMomentum, 1 - 1 / 15, 1e-12);
  assert.equal(auto.cropPadding, 8, "from random weights: the authors' 8 px at any size");
  assert.equal(auto.backboneLrScale, 1, 'from random weights the backbone learns at the head\'s rate');
  const set = resolveRunDefaults({ ...base, emaDecay: 0.99, headScale: 1, cropPadding: 3, backboneLrScale: 0.5, hyper: { thresholdMomentum: 0.999, lambdaU: 2 } });
  assert.deepEqual(set, { emaDecay: 0.99, headScale: 1, cropPadding: 3, backboneLrScale: 0.5, hyper: { thresholdMomentum: 0.999, lambdaU: 2 } });
  assert.deepEqual(resolveRunDefaults({ ...base, method: 'adacm' }).hyper, {}, "only DTA+SNL reads a threshold momentum");
  assert.deepEqual(base.hyper, {}, 'the config is not changed');
});

test("from a pretrained backbone the crop padding is the authors' fraction of the face: 8 px at 224", () => {
  const pre = 'human-models:mobilefacenet';
  assert.equal(cropPaddingFor({ pretrained: pre, size: 224 }), 8, "the paper's value at the paper's size");
  assert.equal(cropPaddingFor({ pretrained: pre, size: 112 }), 4);
  assert.equal(cropPaddingFor({ pretrained: pre, size: 64 }), 2, '8·64/224 = 2.29, rounded');
  assert.equal(cropPaddingFor({ pretrained: pre, size: 32 }), 1);
  assert.equal(cropPaddingFor({ pretrained: null, size: 64 }), 8, 'random weights: 8 px');
  assert.equal(cropPaddingFor({ pretrained: pre, size: 64, cropPadding: 8 }), 8, 'a flag wins');
  assert.equal(cropPaddingFor({ pretrained: pre, size: 64, cropPadding: 0 }), 0, 'including 0');
  // --resume-from RUN keeps RUN's padding (the labelling loop's next round), else the rule.
  const run = mkdtempSync(join(tmpdir(), 'semifer-padding-'));
  assert.equal(cropPaddingFor({ pretrained: null, size: 64, resumeFrom: run }), 8, 'no summary: the rule');
  writeFileSync(join(run, 'summary.json'), JSON.stringify({ defaults: { cropPadding: 2 } }));
  assert.equal(cropPaddingFor({ pretrained: null, size: 64, resumeFrom: run }), 2, "the first round's 2 px");
  assert.equal(cropPaddingFor({ pretrained: null, size: 64, resumeFrom: run, cropPadding: 5 }), 5, 'a flag wins');
});

test("the backbone learns at the head's rate unless a flag or the continued run says otherwise", () => {
  const pre = 'human-models:mobilefacenet';
  assert.equal(backboneLrScaleFor({}), 1);
  assert.equal(resolveRunDefaults({ method: 'supervised', epochs: 1, stepsPerEpoch: 1, size: 64, hyper: {}, pretrained: pre }).backboneLrScale, 1, 'pretrained too (docs/backbones.md)');
  assert.equal(backboneLrScaleFor({ backboneLrScale: 0.1 }), 0.1, 'a flag wins');
  assert.equal(backboneLrScaleFor({ backboneLrScale: 0 }), 0, 'including 0 (a frozen backbone)');
  const run = mkdtempSync(join(tmpdir(), 'semifer-blr-'));
  assert.equal(backboneLrScaleFor({ resumeFrom: run }), 1, 'no summary: 1');
  writeFileSync(join(run, 'summary.json'), JSON.stringify({ defaults: { backboneLrScale: 0.1 } }));
  assert.equal(backboneLrScaleFor({ resumeFrom: run }), 0.1, "the first round's fraction");
  assert.equal(backboneLrScaleFor({ resumeFrom: run, backboneLrScale: 0.5 }), 0.5, 'a flag wins');
});

test('the optimiser steps the backbone at lr · scale and everything else at lr', () => {
  torch.manualSeed(3);
  const model = createModel({ arch: 'small', numClasses: 3, head: 'linear' });
  const all = model.parameters();
  const single = parameterGroups(model, 1e-2, 1) as torch.Tensor[];
  assert.ok(single.length === all.length && single.every((p, i) => p === all[i]), 'scale 1: one group of every parameter, as before');
  const groups = parameterGroups(model, 1e-2, 0) as torch.optim.ParamGroupSpec[];
  const backbone = new Set(model.backbone.parameters());
  assert.equal(groups.length, 2);
  assert.equal(groups[0]!.params.length + groups[1]!.params.length, all.length, 'every parameter in one group');
  assert.ok(groups[0]!.params.every((p) => !backbone.has(p)) && groups[1]!.params.every((p) => backbone.has(p)));
  // Scale 0: one Adam step moves the head and leaves every backbone weight where it was.
  const opt = new torch.optim.Adam(groups, { lr: 1e-2 });
  assert.equal(opt.lr, 1e-2, "opt.lr is the head's rate");
  const before = all.map((p) => torch.tidy(() => torch.keep(p.detach().clone())));
  torch.tidy(() => {
    const x = torch.randn([4, 3, 32, 32]);
    const loss = torch.F.crossEntropy(model.forward(x).logits, torch.tensor([0, 1, 2, 0], { dtype: 'int64' }));
    loss.backward();
  });
  opt.step();
  all.forEach((p, i) => {
    const moved = torch.tidy(() => p.sub(before[i]!).abs().max().item());
    if (backbone.has(p)) assert.equal(moved, 0, 'a backbone weight moved');
    else assert.ok(moved > 0, 'a head weight did not move');
  });
  for (const t of before) t.dispose();
});

test('a run records the defaults it resolved, and says when no pseudo-label was ever accepted', async () => {
  const root = await tinyDataset();
  const cfg = defaultConfig({
    dataset: 'rafdb', root, method: 'adacm', out: mkdtempSync(join(tmpdir(), 'semifer-defaults-')),
    model: 'small', size: 32, labels: 'n:3', epochs: 2, stepsPerEpoch: 3, batch: 4, mu: 1, logEvery: 1,
    cacheDir: join(root, '.cache'), seed: 1, prefetch: 0, evalBatch: 64,
    // Margins of 1: no face can reach them, so the unlabelled loss stays off.
    hyper: { base: 1, scale: 1 },
  });
  const summary = await train(cfg);
  near(summary.defaults.emaDecay, 0, 0); // 6 steps: shorter than 16
  assert.equal(summary.defaults.headScale, DEFAULT_HEAD_SCALE);
  assert.equal(summary.semiSupervised?.pseudoLabelRate, 0);
  assert.equal(summary.semiSupervised?.warnings.filter((w) => /accepted no pseudo-label/.test(w)).length, 2, 'one warning per epoch');
  const rows = readFileSync(join(cfg.out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.filter((r) => r.kind === 'warning').length, 2);
  assert.ok(rows.filter((r) => r.kind === 'step').every((r) => r.maskRate === 0));
});
