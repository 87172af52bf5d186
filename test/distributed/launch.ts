// Test helpers: a free TCP port, and N processes started the way torchrun
// starts them (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK).
import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Finished { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; seconds: number }

export interface Rank { child: ChildProcess; done: Promise<Finished> }

/** Starts `args` (after node) as ranks 0..world-1 of one group on 127.0.0.1:port. */
export function startRanks(args: string[], world: number, port: number, extraEnv: Record<string, string> = {}): Rank[] {
  return Array.from({ length: world }, (_, rank) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...extraEnv, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: String(world), LOCAL_RANK: String(rank), OMP_NUM_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, seconds: (performance.now() - t0) / 1000 })));
    return { child, done };
  });
}
