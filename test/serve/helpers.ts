// Shared by the serve tests: start `semifer serve` as a child process and read its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** `semifer serve --model MODEL --port 0 --json …`; resolves once it prints its URL. */
export function startServe(model: string, ...extra: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--model', model, '--port', '0', '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr!.on('data', (d) => (err += d));
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      // The --json document is pretty-printed: it is complete at the first line that is just '}'.
      const end = out.indexOf('\n}');
      if (end >= 0) resolve({ child, url: JSON.parse(out.slice(0, end + 2)).url, stderr: () => err, stop });
    });
    child.once('exit', (code) => reject(new Error(`semifer serve exited with ${code}: ${err}`)));
  });
}
