/**
 * The launch environment torchrun, Slurm or Kubernetes launchers set (and
 * `semifer train --nproc N` sets for its own workers): MASTER_ADDR,
 * MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK. No WORLD_SIZE: not distributed.
 */
export interface LaunchEnv {
  masterAddr: string;
  masterPort: number;
  rank: number;
  worldSize: number;
  /** The rank on this machine: picks the GPU (cuda:LOCAL_RANK). */
  localRank: number;
  /**
   * torchrun's agent serves the store at MASTER_ADDR:MASTER_PORT itself
   * (TORCHELASTIC_USE_AGENT_STORE=True): every rank joins it as a client, under
   * this key prefix (torch.distributed's, per restart attempt).
   */
  agentStorePrefix?: string;
}

/** torchrun's defaults for the variables a single-node launch may leave out. */
export const DEFAULT_MASTER_ADDR = '127.0.0.1';
export const DEFAULT_MASTER_PORT = 29500;

/** A launcher variable that is set but wrong: the CLI's usage error (exit 2). */
export class LaunchEnvError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'LaunchEnvError';
  }
}

function int(env: NodeJS.ProcessEnv, name: string, min: number, max: number, fallback?: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw new LaunchEnvError(`${name} is not set; a distributed launch (WORLD_SIZE=${env.WORLD_SIZE}) needs MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE`);
  }
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || v < min || v > max) throw new LaunchEnvError(`${name}=${raw}: expected an integer in ${min}..${max}`);
  return v;
}

/** The launch this process is part of, or null when WORLD_SIZE is unset (a plain run). */
export function readLaunchEnv(env: NodeJS.ProcessEnv = process.env): LaunchEnv | null {
  if (env.WORLD_SIZE === undefined || env.WORLD_SIZE === '') return null;
  const worldSize = int(env, 'WORLD_SIZE', 1, 1 << 20);
  const rank = int(env, 'RANK', 0, worldSize - 1);
  const launch: LaunchEnv = {
    masterAddr: env.MASTER_ADDR || DEFAULT_MASTER_ADDR,
    masterPort: int(env, 'MASTER_PORT', 1, 65535, DEFAULT_MASTER_PORT),
    rank,
    worldSize,
    localRank: int(env, 'LOCAL_RANK', 0, worldSize - 1, rank),
  };
  if (env.TORCHELASTIC_USE_AGENT_STORE === 'True') launch.agentStorePrefix = `/worker/attempt_${env.TORCHELASTIC_RESTART_COUNT ?? '0'}`;
  return launch;
}
