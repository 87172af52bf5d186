/**
 * The progress bar against a fake stream and clock: in-place redraws throttled
 * on a TTY, plain periodic lines elsewhere, the summary line, field and rate
 * formatting; and the colour rules of style.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatField, formatRate, progress } from '../../src/cli/progress.js';
import { colorEnabled, createStyle, stripAnsi } from '../../src/cli/style.js';

function fakeStream(isTTY: boolean, columns = 100) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('TTY: redraws one line in place, throttled to one draw per interval, final draw at 100%', () => {
  const s = fakeStream(true);
  const c = clock();
  const bar = progress({ total: 100, label: 'epoch 1', unit: 'step', stream: s, now: c.now, color: false });
  for (let i = 1; i <= 100; i++) {
    c.advance(10); // 100 steps/s, 10 ms each → a draw every 10 updates
    bar.update(i, { fields: { Lx: 0.912, Lu: 0.2 } });
  }
  const draws = s.chunks.filter((x) => x.startsWith('\r\x1b[K'));
  assert.ok(draws.length >= 10 && draws.length <= 11, `draws: ${draws.length}`);
  assert.ok(!s.text().includes('\n'), 'no newline before done()');
  const last = draws[draws.length - 1]!;
  assert.match(last, /^\r\x1b\[Kepoch 1 █+ 100\/100 {2}100% {2}100 step\/s {2}ETA 0:00 {2}Lx 0\.91 {2}Lu 0\.20$/);
  const mid = draws[4]!;
  assert.match(mid, /█+░+ 41\/100 {2}41% {2}100 step\/s {2}ETA 0:01/); // draws at 1, 11, 21, …
  bar.done();
  assert.match(s.chunks[s.chunks.length - 1]!, /^\r\x1b\[Kepoch 1 done: 100\/100 step in 1\.0s \(100 step\/s\) Lx 0\.91 {2}Lu 0\.20\n$/);
  bar.update(5); // after done: ignored
  bar.done();
  assert.equal(s.chunks.filter((x) => x.includes('done:')).length, 1);
});

test('TTY: lines never exceed the terminal width; log() prints above the bar and redraws it', () => {
  const s = fakeStream(true, 50);
  const c = clock();
  const bar = progress({ total: 10, label: 'a-long-label', stream: s, now: c.now, color: true });
  c.advance(1000);
  bar.update(3, { fields: { loss: 1.2345, acc: '85.3%', extra: 'x'.repeat(40) } });
  for (const chunk of s.chunks) assert.ok(stripAnsi(chunk.replace('\r', '')).length <= 49, JSON.stringify(chunk));
  // Too narrow for the bar: it goes first, the numbers stay.
  assert.ok(!s.chunks[0]!.includes('█') && !s.chunks[0]!.includes('░'));
  assert.match(stripAnsi(s.chunks[0]!), /^\ra-long-label 3\/10 {2}30% {2}3\.0 it\/s {2}ETA 0:02 {2}loss.*…$/);
  // Unknown terminal size (columns 0): assume 80.
  const s0 = fakeStream(true, 0);
  progress({ total: 10, stream: s0, now: c.now, color: false }).update(5);
  assert.match(s0.chunks[0]!, /█{15}░{15} 5\/10/);
  bar.log('checkpoint saved');
  const afterLog = s.chunks.slice(-2);
  assert.equal(afterLog[0], '\r\x1b[Kcheckpoint saved\n');
  assert.ok(afterLog[1]!.startsWith('\r\x1b[K'));
});

test('not a TTY: a plain line every 10% (or every 10 s), no control characters, then a summary', () => {
  const s = fakeStream(false);
  const c = clock();
  const bar = progress({ total: 1000, label: 'synth', unit: 'img', stream: s, now: c.now });
  for (let i = 1; i <= 1000; i++) {
    c.advance(5);
    bar.update(i);
  }
  bar.done();
  const lines = s.text().trimEnd().split('\n');
  assert.equal(lines.length, 10, lines.join('\n')); // 10%..90%, then the summary
  assert.ok(!s.text().includes('\r') && !s.text().includes('\x1b'));
  assert.match(lines[0]!, /^synth {2}100\/1000 {2}\(10%\) {2}200 img\/s {2}ETA 0:05$/);
  assert.match(lines[9]!, /^synth done: 1000\/1000 img in 5\.0s \(200 img\/s\)$/);

  // Slow work with unknown total: a line every ~10 s.
  const s2 = fakeStream(false);
  const c2 = clock();
  const slow = progress({ label: 'scan', stream: s2, now: c2.now });
  for (let i = 1; i <= 30; i++) {
    c2.advance(1000);
    slow.update(i);
  }
  assert.equal(s2.text().trimEnd().split('\n').length, 3);
  assert.match(s2.chunks[0]!, /^scan {2}10 it {2}1\.0 it\/s\n$/);
});

test('disabled (--quiet) prints nothing; stopped early says so; tick() increments', () => {
  const s = fakeStream(false);
  const quiet = progress({ total: 10, stream: s, enabled: false });
  quiet.update(5);
  quiet.done();
  assert.equal(s.text(), '');
  const c = clock();
  const bar = progress({ total: 10, label: 'train', stream: s, now: c.now });
  bar.tick();
  bar.tick(2);
  assert.equal(bar.current, 3);
  c.advance(3000);
  bar.done();
  assert.match(s.text(), /train stopped at 3\/10 it in 3\.0s \(1\.0 it\/s\)\n$/);
});

test('formatting of fields, durations and rates', () => {
  assert.equal(formatField(0.912), '0.91');
  assert.equal(formatField(12.345), '12.35');
  assert.equal(formatField(1234.56), '1234.6');
  assert.equal(formatField(0.00012), '1.2e-4');
  assert.equal(formatField(3), '3');
  assert.equal(formatField(NaN), 'NaN');
  assert.equal(formatField(-Infinity), '-Inf');
  assert.equal(formatField('85%'), '85%');
  assert.equal(formatDuration(42), '0:42');
  assert.equal(formatDuration(725), '12:05');
  assert.equal(formatDuration(3723), '1:02:03');
  assert.equal(formatRate(45.23, 'img'), '45.2 img/s');
  assert.equal(formatRate(1234, 'img'), '1234 img/s');
  assert.equal(formatRate(0.25, 'step'), '4.0 s/step');
});

test('colours: TTY only, NO_COLOR disables, FORCE_COLOR forces (0 disables), TERM=dumb disables', () => {
  assert.equal(colorEnabled({ isTTY: true }, {}), true);
  assert.equal(colorEnabled({ isTTY: false }, {}), false);
  assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '' }), true);
  assert.equal(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' }), false);
  assert.equal(colorEnabled({ isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: '1' }), true);
  assert.equal(colorEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
  assert.equal(createStyle({ isTTY: true }, {}).red('x'), '\x1b[31mx\x1b[39m');
  assert.equal(createStyle({ isTTY: false }, {}).red('x'), 'x');
});
