// The weak crop's padding: the authors' 8 px unless the config sets it. The trainer
// passes cfg.cropPadding through as is, so the weak augmentation's default decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWeakOptions } from '../../src/data/augment/weak.js';
import type { TrainConfig } from '../../src/train/config.js';

const padding = (cfg: Pick<TrainConfig, 'cropPadding'>) => checkWeakOptions({ padding: cfg.cropPadding }).padding;

test('weak crop padding: 8 px by default, an explicit value (0 included) wins', () => {
  assert.equal(padding({}), 8);
  assert.equal(padding({ cropPadding: 2 }), 2);
  assert.equal(padding({ cropPadding: 0 }), 0);
});
