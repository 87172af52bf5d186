/**
 * `semifer train --nproc N`: starts N workers of this very command on this
 * machine, as torchrun --nproc-per-node N --nnodes 1 would (MASTER_ADDR,
 * MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK), each with its share of the cores.
 * Rank 0 keeps the terminal; the others' stderr lines are prefixed with their
 * rank and their stdout is dropped (rank 0 prints the result).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { DEFAULT_MASTER_ADDR } from './env.js';

/** A port no one listens on now, for the TCPStore of a local launch. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, DEFAULT_MASTER_ADDR, resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LocalLaunch {
  nproc: number;
  /** The worker command line after node (this process's own: its script and arguments). */
  argv: string[];
  /** After the first worker fails, how long the others get to notice before they are killed. */
  graceMs: number;
  onLine?: (rank: number, line: string) => void;
}

/** Runs the workers to the end; the exit code is the first failing worker's, or 0. */
export async function launchLocalWorkers(o: LocalLaunch): Promise<number> {
  const port = process.env.MASTER_PORT ? Number(process.env.MASTER_PORT) : await freePort();
  const threads = String(Math.max(1, Math.floor(availableParallelism() / o.nproc)));
  const children: ChildProcess[] = [];
  let firstFailure: number | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  // Ctrl-C reaches the workers from the terminal (one process group); SIGTERM is passed on.
  const onTerm = () => { for (const c of children) if (c.exitCode === null) c.kill('SIGTERM'); };
  process.on('SIGTERM', onTerm);
  try {
    const exits = Array.from({ length: o.nproc }, (_, rank) => {
      const child = spawn(process.execPath, [...process.execArgv, ...o.argv], {
        env: {
          ...process.env,
          MASTER_ADDR: process.env.MASTER_ADDR ?? DEFAULT_MASTER_ADDR, MASTER_PORT: String(port),
          RANK: String(rank), WORLD_SIZE: String(o.nproc), LOCAL_RANK: String(rank),
          OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? threads, SEMIFER_NUM_THREADS: process.env.SEMIFER_NUM_THREADS ?? threads,
        },
        stdio: rank === 0 ? 'inherit' : ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      if (rank > 0) {
        let rest = '';
        child.stderr!.on('data', (d: Buffer) => {
          const lines = (rest + d.toString()).split('\n');
          rest = lines.pop()!;
          for (const l of lines) (o.onLine ?? ((r, t) => process.stderr.write(`[rank ${r}] ${t}\n`)))(rank, l);
        });
      }
      return new Promise<void>((resolve) => child.on('close', (code, signal) => {
        const failed = code !== 0;
        if (failed && firstFailure === null) {
          firstFailure = code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15);
          // The others see the lost peer at their next collective; one that does not (stuck outside one) is stopped.
          killTimer = setTimeout(() => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); }, o.graceMs);
        }
        resolve();
      }));
    });
    await Promise.all(exits);
  } finally {
    clearTimeout(killTimer);
    process.off('SIGTERM', onTerm);
  }
  return firstFailure ?? 0;
}
