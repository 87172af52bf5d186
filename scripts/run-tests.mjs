// Runs every compiled test file under dist/test with Node's test runner.
// Files run one at a time: the engine uses both cores per process, and two
// training tests side by side would each run at a fraction of the speed.
//
// Every test, and every process it starts, gets one fresh temporary folder as
// TMPDIR, removed when the run ends (also on Ctrl-C): the tests' run folders,
// exports and caches never pile up in /tmp, whether or not a test cleans up
// after itself. SEMIFER_KEEP_TEST_TMP=1 keeps it (its path is printed) to look
// at what a failing test wrote.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const filter = process.argv.slice(2);
let files = collect('dist/test');
if (filter.length) files = files.filter((f) => filter.some((s) => f.includes(s)));

const scratch = mkdtempSync(join(tmpdir(), 'semifer-tests-'));
const keep = process.env.SEMIFER_KEEP_TEST_TMP === '1';
function cleanUp() {
  if (keep) console.error(`test files kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: scratch },
});
// Ctrl-C reaches the test runner too (same process group); wait for it to stop, then clean up.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
});
