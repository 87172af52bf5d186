// `label suggest` without a run: the criteria that need no model, on real PNG files, through the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from '../../src/cli/run.js';
import { COMMANDS } from '../../src/cli/commands/index.js';

async function cli(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await runCli(argv, { commands: COMMANDS, env: {}, stdout: { write: (s: string) => out.push(s), isTTY: false }, stderr: { write: (s: string) => err.push(s), isTTY: false } });
  return { code, out: out.join(''), err: err.join('') };
}

/** A 32 × 32 grey image, dark where `dark(x, y)`. */
function png(file: string, dark: (x: number, y: number) => boolean): Promise<unknown> {
  const px = Buffer.alloc(32 * 32 * 3);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) px.fill(dark(x, y) ? 20 : 230, (y * 32 + x) * 3, (y * 32 + x) * 3 + 3);
  return sharp(px, { raw: { width: 32, height: 32, channels: 3 } }).png().toFile(file);
}

test('label suggest --criterion typical without a run: one typical face of each group, never the odd one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'semifer-label-typical-'));
  try {
    mkdirSync(join(dir, 'faces'));
    // Six faces dark on the left (edge at x = 13…18), five dark on top (edge at y = 14…18), one checkerboard.
    for (let e = 13; e <= 18; e++) await png(join(dir, 'faces', `a${e}.png`), (x) => x < e);
    for (let e = 14; e <= 18; e++) await png(join(dir, 'faces', `b${e}.png`), (_x, y) => y < e);
    await png(join(dir, 'faces', 'odd.png'), (x, y) => ((x >> 2) + (y >> 2)) % 2 === 0);
    // Three picks, three clusters: the checkerboard is alone in its cluster, which comes last (k-center greedy takes it
    // third). The first two are one of each group, and the left-dark one is a middle edge, not an extreme (13 or 18).
    const r = await cli('label', 'suggest', '--unlabelled', dir, '--n', '3', '--criterion', 'typical', '--json');
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(readFileSync(join(dir, 'suggested.json'), 'utf8'));
    assert.equal(doc.criterion, 'typical');
    assert.equal(doc.embedding, 'pixels (16×16 grey, standardised)');
    const names: string[] = doc.faces.map((f: { image: string }) => f.image.replace(/^faces\//, '').replace('.png', ''));
    assert.equal(names.length, 3);
    assert.ok(!names.includes('odd'), names.join(' '));
    assert.deepEqual(names.slice(0, 2).map((n) => n[0]).sort(), ['a', 'b'], names.join(' '));
    assert.ok(names.includes('a15') || names.includes('a16'), names.join(' '));
    // Asked for nothing: the cold-start criterion, k-center greedy on the pixels, which takes the checkerboard
    // (the farthest from the first two) third.
    const plain = await cli('label', 'suggest', '--unlabelled', dir, '--n', '3', '--json');
    assert.equal(plain.code, 0, plain.err);
    const cold = JSON.parse(readFileSync(join(dir, 'suggested.json'), 'utf8'));
    assert.equal(cold.criterion, 'diversity');
    assert.equal(cold.faces[2].image, 'faces/odd.png', JSON.stringify(cold.faces));
    const noModel = await cli('label', 'suggest', '--unlabelled', dir, '--criterion', 'typical', '--features', 'backbone');
    assert.equal(noModel.code, 2);
    assert.match(noModel.err, /--features backbone needs a model: give --run RUNDIR/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
