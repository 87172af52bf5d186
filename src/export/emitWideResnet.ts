/**
 * WideResNet (pre-activation blocks, LeakyReLU): the block's forward() calls
 * F.leakyRelu with the network's slope rather than a module, so the emitters
 * mirror it here. Only bn2 follows a conv and folds; bn1 of each block and the
 * final bn1 act on a sum or on the stem's output and stay channel affines.
 */
import { WideResNet, WideBasicBlock, WideGroup } from '../models/index.js';
import { registerEmitter } from './emitters.js';

const sub = (path: string, name: string) => (path ? `${path}.${name}` : name);

registerEmitter(WideBasicBlock, (e, m, x, path) => {
  const slope = m.settings.leakySlope;
  const act = e.leakyRelu(e.module(m.bn1, x, sub(path, 'bn1')), slope, sub(path, 'act1'));
  let y = e.module(m.bn2, e.module(m.conv1, act, sub(path, 'conv1')), sub(path, 'bn2'));
  y = e.module(m.conv2, e.leakyRelu(y, slope, sub(path, 'act2')), sub(path, 'conv2'));
  const shortcut = m.convShortcut ? e.module(m.convShortcut, m.activateBeforeResidual ? act : x, sub(path, 'convShortcut')) : x;
  return e.g.add({ op: 'add', a: y, b: shortcut, output: sub(path, 'add') }, e.g.shape(y));
});

registerEmitter(WideGroup, (e, m, x, path) => e.module(m.layer, x, sub(path, 'layer')));

registerEmitter(WideResNet, (e, m, x, path) => {
  let y = e.module(m.conv1, x, sub(path, 'conv1'));
  for (const name of ['block1', 'block2', 'block3'] as const) y = e.module(m[name], y, sub(path, name));
  return e.leakyRelu(e.module(m.bn1, y, sub(path, 'bn1')), m.leakySlope, sub(path, 'act'));
});
