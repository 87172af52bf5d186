// Helpers of the distributed training tests: the CLI, tiny runs, weight comparison.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import * as torch from '../../src/torch/index.js';

export const cli = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

/** A tiny run: small model, 32 px, SGD (see equivalence.test.ts for why), one thread per process. */
export function trainArgs(root: string, out: string, method: string, extra: string[] = []): string[] {
  return ['train', '--dataset', 'rafdb', '--root', root, '--method', method, '--labels-per-class', '4', '--model', 'small', '--size', '32',
    '--batch', '8', '--epochs', '2', '--steps-per-epoch', '3', '--seed', '5', '--optimizer', 'sgd', '--out', out,
    '--cache-dir', join(root, '.cache'), '--log-every', '1', '--quiet', ...extra];
}

export function runCli(args: string[], env: Record<string, string> = {}): void {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, SEMIFER_NUM_THREADS: '1', ...env } });
  assert.equal(r.status, 0, `semifer ${args.join(' ')}\n${r.stderr}`);
}

/** The largest absolute difference over every float tensor of two safetensors files (same names). */
export function maxWeightDifference(a: string, b: string): { diff: number; name: string } {
  return torch.tidy(() => {
    const A = torch.loadSafetensors(a).tensors;
    const B = torch.loadSafetensors(b).tensors;
    assert.deepEqual([...A.keys()].sort(), [...B.keys()].sort());
    let worst = { diff: 0, name: '' };
    for (const [name, t] of A) {
      if (!torch.isFloating(t.dtype)) continue;
      const diff = t.sub(B.get(name)!).abs().max().item();
      if (diff > worst.diff) worst = { diff, name };
    }
    return worst;
  });
}
