// Stopping a CLI training run from outside at a chosen step (stop.test.ts, the AU run's test).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs the CLI and sends `signal` once metrics.jsonl shows step `atStep` done; resolves with the exit code and stderr.
 * `group`: the CLI runs in a process group of its own and the signal goes to the whole group, as a Ctrl-C at a terminal does.
 */
export function runAndStop(cli: string, argv: string[], out: string, atStep: number, signal: NodeJS.Signals, o: { group?: boolean } = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], detached: o.group === true });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let sent = false;
  const timer = setInterval(() => {
    const m = join(out, 'metrics.jsonl');
    if (!sent && existsSync(m) && readFileSync(m, 'utf8').includes(`"step":${atStep},`)) {
      sent = true;
      if (o.group) process.kill(-child.pid!, signal);
      else child.kill(signal);
    }
  }, 5);
  return new Promise((resolve) => child.once('exit', (code) => {
    clearInterval(timer);
    resolve({ code, stderr });
  }));
}
