// The labelling loop end to end: synthetic faces (their true expressions play the user),
// a cold-start suggestion, `semifer label serve` in headless Chromium labelled with the
// keyboard (with an undo and a not-a-face), the server killed with SIGKILL half-way and
// restarted, every answer found in the labels file; then training on those labels, a second
// round continuing from the first run's model, and suggest / status with that run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { readLabelsFile } from '../../src/data/labelsFile.js';
import { SEVEN_CLASSES } from '../../src/data/classes.js';

const CHROMIUM = process.env.SEMIFER_CHROMIUM ?? '/usr/bin/chromium';
const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const code = await runCli(argv, {
    commands: COMMANDS, env: {},
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
  });
  return { code, out: out.join(''), err: err.join('') };
}

function startLabelServe(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'label', 'serve', '--unlabelled', dir, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const end = out.indexOf('\n}');
      if (end >= 0) resolve({ child, url: JSON.parse(out.slice(0, end + 2)).url });
    });
    child.once('exit', (code) => reject(new Error(`label serve exited with ${code}: ${err}`)));
  });
}

test('label: suggest, label a dozen faces with the keyboard across a server kill, train on them', { timeout: 300_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.diagnostic(`Chromium not found at ${CHROMIUM}: browser test skipped (apt-get install chromium)`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'semifer-label-'));
  try {
    // 40 synthetic faces flattened into one unlabelled folder; the truth stays with the test.
    const synth = join(work, 'synth');
    assert.equal((await cli('data', 'synth', '--out', synth, '--n', '50', '--format', 'imagefolder', '--size', '32', '--test-fraction', '0.2')).code, 0);
    const faces = join(work, 'faces'), truth = new Map<string, string>();
    mkdirSync(join(faces, 'faces'), { recursive: true });
    for (const c of readdirSync(join(synth, 'train'))) {
      for (const f of readdirSync(join(synth, 'train', c))) {
        copyFileSync(join(synth, 'train', c, f), join(faces, 'faces', f));
        truth.set(`faces/${f}`, c);
      }
    }
    const sug = await cli('label', 'suggest', '--unlabelled', faces, '--n', '20', '--json');
    assert.equal(sug.code, 0, sug.err);
    const doc = JSON.parse(sug.out) as { faces: { image: string }[]; embedding: string };
    assert.equal(doc.faces.length, 20);
    assert.match(doc.embedding, /pixels/);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const keyOf = (c: string) => String(SEVEN_CLASSES.indexOf(c) + 1);
    const given: { image: string; label: string }[] = [];
    let serve = await startLabelServe(faces);
    try {
      const session = async (answers: number, extra: (page: import('playwright-core').Page) => Promise<void>) => {
        const context = await browser.newContext();
        const requests: string[] = [];
        context.on('request', (r) => requests.push(r.url()));
        const page = await context.newPage();
        await page.goto(serve.url);
        await page.waitForSelector('body[data-ready="true"]');
        await extra(page);
        for (let i = 0; i < answers; i++) {
          const done = Number(await page.getAttribute('#progress', 'data-done'));
          const image = (await page.getAttribute('body', 'data-image'))!;
          const label = truth.get(image)!;
          await page.keyboard.press(keyOf(label));
          await page.waitForFunction((n) => Number(document.getElementById('progress')!.dataset.done) === n, done + 1);
          given.push({ image, label });
        }
        const origin = new URL(serve.url).origin;
        assert.deepEqual(requests.filter((u) => !u.startsWith(origin)), [], 'every request stays on the server');
        await context.close();
      };
      // First session: a wrong key undone, one face that is "not a face", then six answers.
      await session(6, async (page) => {
        const image = (await page.getAttribute('body', 'data-image'))!;
        const wrong = SEVEN_CLASSES.find((c) => c !== truth.get(image))!;
        await page.keyboard.press(keyOf(wrong));
        await page.waitForFunction(() => document.getElementById('progress')!.dataset.done === '1');
        await page.keyboard.press('z');
        await page.waitForFunction(() => document.getElementById('progress')!.dataset.done === '0');
        assert.equal(await page.getAttribute('body', 'data-image'), image, 'undo goes back to the face');
        await page.keyboard.press('n');
        await page.waitForFunction(() => document.getElementById('progress')!.dataset.done === '1');
        given.push({ image, label: 'not-a-face' });
        await page.keyboard.press('g');
        assert.equal(await page.locator('#grid figure').count(), 20, 'the grid shows every suggested face');
        assert.equal(await page.locator('#grid figure.answered').count(), 1);
        await page.keyboard.press('g');
      });
      serve.child.kill('SIGKILL');
      await new Promise((r) => serve.child.once('exit', r));
      assert.equal(readLabelsFile(join(faces, 'labels.csv')).answers.length, 7, 'answers on disk when the server was killed');
      serve = await startLabelServe(faces);
      await session(6, async (page) => {
        assert.equal(await page.getAttribute('#progress', 'data-done'), '7', 'the restarted page knows the earlier answers');
      });
    } finally {
      serve.child.kill('SIGKILL');
      await browser.close();
    }
    const file = readLabelsFile(join(faces, 'labels.csv'));
    assert.deepEqual(file.answers, given, 'every answer, in order, with the right label');
    assert.equal(file.answers.filter((a) => a.label !== 'not-a-face').length, 12);

    // Train on the labels, then a second round that continues from the first model with the unlabelled faces.
    const r1 = join(work, 'r1'), r2 = join(work, 'r2');
    const common = ['--dataset', 'labels', '--root', join(faces, 'labels.csv'), '--labels', 'all', '--model', 'small', '--size', '32', '--batch', '4', '--epochs', '1', '--steps-per-epoch', '3', '--prefetch', '0', '--cache-dir', join(work, 'cache')];
    const t1 = await cli('train', ...common, '--method', 'supervised', '--out', r1);
    assert.equal(t1.code, 0, t1.err);
    const t2 = await cli('train', ...common, '--method', 'fixmatch', '--unlabelled-dataset', 'unlabelled', '--unlabelled-root', faces, '--resume-from', r1, '--out', r2);
    assert.equal(t2.code, 0, t2.err);
    const next = await cli('label', 'suggest', '--unlabelled', faces, '--run', r2, '--n', '5', '--json');
    assert.equal(next.code, 0, next.err);
    const nd = JSON.parse(next.out) as { faces: { image: string; guess: string }[]; thresholdSource: string; answered: number };
    assert.equal(nd.answered, 13);
    assert.match(nd.thresholdSource, /FixMatch's threshold 0.95/);
    assert.ok(nd.faces.every((f) => SEVEN_CLASSES.includes(f.guess) && !given.some((g) => g.image === f.image)), 'guesses for unanswered faces only');
    const st = await cli('label', 'status', '--unlabelled', faces, '--run', r2, '--folds', '3', '--json');
    assert.equal(st.code, 0, st.err);
    const sd = JSON.parse(st.out) as { perClass: Record<string, number>; other: Record<string, number> };
    assert.equal(Object.values(sd.perClass).reduce((a, b) => a + b, 0), 12);
    assert.equal(sd.other['not-a-face'], 1);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
