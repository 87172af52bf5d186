// The weak crop's padding: the authors' 8 px unless the config sets it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weakCropPadding } from '../../src/train/config.js';

test('weak crop padding: 8 px by default, an explicit value (0 included) wins', () => {
  assert.equal(weakCropPadding({}), 8);
  assert.equal(weakCropPadding({ cropPadding: 2 }), 2);
  assert.equal(weakCropPadding({ cropPadding: 0 }), 0);
});
