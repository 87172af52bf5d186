#!/usr/bin/env node
/**
 * The `semifer` executable (package.json "bin"). All logic is in run.ts; this
 * file only connects it to the real process: signals, exit code, and flushing
 * stdout before exiting (a pipe may still hold the JSON document).
 */
import { runCli } from './run.js';

// `semifer … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await runCli(process.argv.slice(2), { handleSignals: true });
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
// Exit explicitly: a library may leave a handle open (a thread pool, a timer) that would keep the process alive.
process.exit(code);
