// The launch variables torchrun and other launchers set, read with clear
// messages; a method whose state the ranks cannot share is refused (exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLaunchEnv, LaunchEnvError } from '../../src/distributed/env.js';
import { planBuckets } from '../../src/distributed/gradients.js';
import * as torch from '../../src/torch/index.js';
import { tinyDataset } from '../train/fixtures.js';
import { cli, trainArgs } from './runs.js';
import { freePort } from './launch.js';

test('readLaunchEnv: torchrun variables, defaults, and bad values named', () => {
  assert.equal(readLaunchEnv({}), null);
  assert.deepEqual(readLaunchEnv({ WORLD_SIZE: '4', RANK: '3', MASTER_ADDR: '10.0.0.1', MASTER_PORT: '29400', LOCAL_RANK: '1' }),
    { masterAddr: '10.0.0.1', masterPort: 29400, rank: 3, worldSize: 4, localRank: 1 });
  // torchrun's defaults for what a one-machine launch may leave out; LOCAL_RANK follows RANK.
  assert.deepEqual(readLaunchEnv({ WORLD_SIZE: '2', RANK: '1' }), { masterAddr: '127.0.0.1', masterPort: 29500, rank: 1, worldSize: 2, localRank: 1 });
  // Under torchrun the agent serves the store; the ranks' keys go under its per-attempt prefix.
  assert.equal(readLaunchEnv({ WORLD_SIZE: '2', RANK: '0', TORCHELASTIC_USE_AGENT_STORE: 'True', TORCHELASTIC_RESTART_COUNT: '3' })!.agentStorePrefix, '/worker/attempt_3');
  assert.equal(readLaunchEnv({ WORLD_SIZE: '2', RANK: '0' })!.agentStorePrefix, undefined);
  assert.throws(() => readLaunchEnv({ WORLD_SIZE: '2', RANK: '2' }), (e: Error) => e instanceof LaunchEnvError && /RANK=2: expected an integer in 0\.\.1/.test(e.message));
  assert.throws(() => readLaunchEnv({ WORLD_SIZE: '2' }), /RANK is not set/);
  assert.throws(() => readLaunchEnv({ WORLD_SIZE: 'two', RANK: '0' }), /WORLD_SIZE=two/);
  assert.throws(() => readLaunchEnv({ WORLD_SIZE: '2', RANK: '0', MASTER_PORT: '70000' }), /MASTER_PORT=70000: expected an integer in 1\.\.65535/);
});

test('planBuckets: parameter order, byte cap, one dtype per bucket', () => {
  torch.tidy(() => {
    const ps = [torch.zeros([4]), torch.zeros([4]), torch.zeros([2], { dtype: 'float64' }), torch.zeros([10]), torch.zeros([1])];
    // 16 + 16 bytes fill a 32-byte bucket; the float64 one opens its own; 40 bytes are a bucket alone.
    assert.deepEqual(planBuckets(ps, 32), [[0, 1], [2], [3], [4]]);
    assert.deepEqual(planBuckets(ps, 1 << 20), [[0, 1, 3, 4], [2]]);
  });
});

test('a distributed launch refuses DTA+SNL (per-step state) with exit 2 and says why', { timeout: 120_000 }, async () => {
  const root = await tinyDataset();
  const out = mkdtempSync(join(tmpdir(), 'semifer-dist-refuse-'));
  const r = spawnSync(process.execPath, [cli, ...trainArgs(root, out, 'dta-snl')], {
    encoding: 'utf8', env: { ...process.env, WORLD_SIZE: '1', RANK: '0', MASTER_PORT: String(await freePort()) },
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /distributed training supports --method supervised, fixmatch, meanteacher, adacm/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
