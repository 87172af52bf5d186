// Two processes on 127.0.0.1 form a Gloo group through c10d's TCPStore:
// all-reduce, broadcast, bucketed gradient averaging and synchronised batch
// norm give the values computed by hand or by one process on the whole batch;
// a rank that vanishes makes the other fail at once with PeerLostError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort, startRanks } from './launch.js';

const worker = join(process.cwd(), 'dist', 'test', 'distributed', 'groupWorker.js');

async function twoRanksCheck(port: number, env: Record<string, string> = {}): Promise<void> {
  const ranks = startRanks([worker], 2, port, env);
  const results = await Promise.all(ranks.map((r) => r.done));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  for (const r of results) {
    const o = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.deepEqual(o.sum, [3, 30]); // 1+2, 10+20
    assert.deepEqual(o.max, [2, -1]);
    assert.deepEqual(o.broadcast, [107]); // rank 1's 1·100+7
    assert.deepEqual(o.gradP, [1.5, 3, 4.5]); // mean of c and 2c
    assert.deepEqual(o.gradQ, [2, 4]); // rank 0's [4, 8] and rank 1's nothing (zero), averaged
    assert.equal(o.gradR, null); // no rank had a gradient: none is made up
    // float32 sums in a different order: differences of a few ulps of values of order 1–10.
    for (const [k, v] of Object.entries(o.bn as Record<string, number>)) assert.ok(v < 1e-5, `sync batch norm ${k} differs by ${v}`);
  }
}

test('two ranks: collectives, gradient averaging and sync batch norm', { timeout: 120_000 }, async () => {
  await twoRanksCheck(await freePort());
});

test("torchrun's agent store: the ranks join the launcher's TCPStore as clients, under its prefix", { timeout: 120_000 }, async () => {
  const port = await freePort();
  const [agent] = startRanks([worker], 1, port, { TEST_MODE: 'agent' });
  await new Promise<void>((resolve) => agent!.child.stdout!.on('data', (d) => String(d).includes('ready') && resolve()));
  try {
    await twoRanksCheck(port, { TORCHELASTIC_USE_AGENT_STORE: 'True', TORCHELASTIC_RESTART_COUNT: '0' });
  } finally {
    agent!.child.kill();
  }
});

test('a rank that dies makes the other fail with PeerLostError, not hang', { timeout: 60_000 }, async () => {
  const ranks = startRanks([worker], 2, await freePort(), { TEST_MODE: 'die', TEST_TIMEOUT_MS: '15000' });
  const [r0] = await Promise.all(ranks.map((r) => r.done));
  assert.equal(r0!.code, 0, r0!.stderr);
  const o = JSON.parse(r0!.stdout.trim().split('\n').pop()!);
  assert.equal(o.error?.name, 'PeerLostError', JSON.stringify(o));
  assert.equal(o.error.exitCode, 1);
  assert.match(o.error.message, /another rank died or stopped answering/);
  assert.ok(o.seconds < 15, `noticed after ${o.seconds} s`);
});

test('a rank lost during a synchronised batch norm backward reads as PeerLostError too', { timeout: 60_000 }, async () => {
  const ranks = startRanks([worker], 2, await freePort(), { TEST_MODE: 'die-in-backward', TEST_TIMEOUT_MS: '15000' });
  const [r0] = await Promise.all(ranks.map((r) => r.done));
  assert.equal(r0!.code, 0, r0!.stderr);
  const o = JSON.parse(r0!.stdout.trim().split('\n').pop()!);
  assert.equal(o.error?.name, 'PeerLostError', JSON.stringify(o));
  assert.doesNotMatch(o.error.message, /\[c10d peer lost\]/);
});
