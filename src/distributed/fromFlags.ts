/**
 * The command line's side of distributed training: joins the group that the
 * launch environment describes (torchrun, Slurm, Kubernetes or --nproc), with
 * the backend that suits the device, the rank's GPU and the thread count the
 * launcher gave it.
 */
import * as torch from '../torch/index.js';
import { readLaunchEnv } from './env.js';
import { DistributedContext } from './context.js';
import { DEFAULT_DIST_TIMEOUT_S } from './defaults.js';
import { groupInfo } from './processGroup.js';

export interface DistFlags {
  syncBn?: boolean;
  /** Seconds a rendezvous or collective may wait for the other ranks. */
  distTimeout?: number;
}

/** Null outside a distributed launch. `device` comes back as this rank's (cuda → cuda:LOCAL_RANK). */
export function joinLaunch(flags: DistFlags, device: string): { dist: DistributedContext; device: string } | null {
  const env = readLaunchEnv();
  if (!env) return null;
  // torchrun sets OMP_NUM_THREADS (1 by default) but LibTorch here takes its count from SEMIFER_NUM_THREADS or the cores.
  const omp = Number(process.env.OMP_NUM_THREADS);
  if (process.env.SEMIFER_NUM_THREADS === undefined && Number.isInteger(omp) && omp > 0) torch.setNumThreads(omp);
  const rankDevice = device === 'cuda' ? `cuda:${env.localRank}` : device;
  const cuda = rankDevice.startsWith('cuda');
  const dist = DistributedContext.start(env, {
    backend: cuda && groupInfo().nccl ? 'nccl' : 'gloo',
    timeoutMs: (flags.distTimeout ?? DEFAULT_DIST_TIMEOUT_S) * 1000,
    syncBatchNorm: flags.syncBn ?? false,
    device: rankDevice,
  });
  return { dist, device: rankDevice };
}
