// A tiny synthetic RAF-DB-layout dataset shared by the training tests (generated once per process).
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeDataset } from '../../src/data/synth/index.js';

let root: string | undefined;

export async function tinyDataset(): Promise<string> {
  if (root && existsSync(join(root, 'EmoLabel', 'list_patition_label.txt'))) return root;
  root = mkdtempSync(join(tmpdir(), 'semifer-train-'));
  await synthesizeDataset({ out: root, n: 210, format: 'rafdb', size: 32, seed: 3 });
  return root;
}
