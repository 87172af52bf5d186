/**
 * What the training loop needs to run as one rank of a data-parallel group:
 * which slice of each global batch is its own, gradient averaging after
 * backward, the models and the method state kept identical on every rank, and
 * whether it writes (rank 0 alone writes checkpoints, metrics and the report).
 *
 * Method state (METHODS.md): the EMA teacher needs nothing, since its inputs
 * (the student's weights after the averaged step) are identical on every rank.
 * Ada-CM's margins are learnt at the end of an epoch from the teacher on the
 * whole labelled set, which every rank predicts alike; rank 0's are broadcast
 * all the same, so no rank can drift. Methods whose state changes every step
 * from the rank's own images (DTA+SNL's τ/ρ, SCN's relabels) are refused until
 * those statistics are all-reduced (see DISTRIBUTED_METHODS).
 */
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import type { nn } from '../torch/index.js';
import { averageGradients, DEFAULT_BUCKET_BYTES } from './gradients.js';
import { allReduce, broadcast, destroyProcessGroup, initProcessGroup, type Backend } from './processGroup.js';
import { useSyncBatchNorm } from './syncBatchNorm.js';
import { useGlobalBatchDropout } from './globalDropout.js';
import type { LaunchEnv } from './env.js';
import { RunConfigError } from '../train/runChecks.js';

/** Methods whose state stays identical across ranks (see the comment above). */
export const DISTRIBUTED_METHODS = ['supervised', 'fixmatch', 'meanteacher', 'adacm'] as const;

export interface DistributedOptions {
  backend: Backend;
  timeoutMs: number;
  /** Batch norm over the global batch instead of each rank's own. */
  syncBatchNorm: boolean;
  /** The rank's device; NCCL reduces only tensors there, so small control tensors go there too. */
  device?: string;
  bucketBytes?: number;
}

export class DistributedContext {
  #closed = false;
  /** Where this context's own small tensors (flags, JSON, generator state) are reduced. */
  readonly #commDevice: string;

  private constructor(readonly rank: number, readonly worldSize: number, readonly localRank: number, readonly o: DistributedOptions) {
    this.#commDevice = o.backend === 'nccl' ? (o.device ?? 'cpu') : 'cpu';
  }

  /** Joins the group the launch environment describes (waits up to the timeout for every rank). */
  static start(env: LaunchEnv, o: DistributedOptions): DistributedContext {
    initProcessGroup({ masterAddr: env.masterAddr, masterPort: env.masterPort, rank: env.rank, worldSize: env.worldSize, timeoutMs: o.timeoutMs, backend: o.backend, agentStorePrefix: env.agentStorePrefix });
    useSyncBatchNorm(o.syncBatchNorm && env.worldSize > 1);
    useGlobalBatchDropout({ rank: env.rank, worldSize: env.worldSize });
    return new DistributedContext(env.rank, env.worldSize, env.localRank, o);
  }

  /** Refuses a run the ranks could not train as one process would (exit 2, before any data is read). */
  checkRun(cfg: { method: string; noisyLabels?: string; batch: number; mu: number }): void {
    if (!(DISTRIBUTED_METHODS as readonly string[]).includes(cfg.method) || cfg.noisyLabels === 'scn') {
      throw new RunConfigError(`distributed training supports --method ${DISTRIBUTED_METHODS.join(', ')} without --noisy-labels scn; ` +
        `${cfg.noisyLabels === 'scn' ? "SCN's relabelling" : cfg.method} keeps per-step state from each rank's own images, which is not all-reduced yet`);
    }
    if (cfg.batch % this.worldSize !== 0) throw new RunConfigError(`--batch ${cfg.batch} is the global batch: it must split evenly over ${this.worldSize} ranks`);
  }

  /** Rank 0 writes the run folder; the others only train. */
  get isWriter(): boolean {
    return this.rank === 0;
  }

  /** This rank's part of every global batch (the loader's `shard`). */
  get shard(): { rank: number; worldSize: number } {
    return { rank: this.rank, worldSize: this.worldSize };
  }

  /**
   * After backward, before the optimiser step: gradients averaged over ranks;
   * without synchronised batch norm, rank 0's running statistics everywhere
   * (as DistributedDataParallel's broadcast_buffers).
   */
  afterBackward(model: nn.Module): void {
    if (this.worldSize === 1) return;
    averageGradients(model.parameters(), this.worldSize, this.o.bucketBytes ?? DEFAULT_BUCKET_BYTES);
    if (!this.o.syncBatchNorm) broadcast(floatBuffers(model), 0);
  }

  /**
   * Once the models are built (or resumed): rank 0's weights and buffers, and
   * its random generator state (dropout draws the global batch's mask from it
   * on every rank: globalDropout.ts), on every rank.
   */
  afterSetup(models: (nn.Module | null)[]): void {
    if (this.worldSize === 1) return;
    for (const m of models) if (m) broadcast([...m.parameters(), ...m.buffers()], 0);
    torch.tidy(() => {
      const rng = torch.getRngState().to(this.#commDevice);
      broadcast([rng], 0);
      torch.setRngState(rng.to('cpu'));
    });
  }

  /** Whether `flag` is true on any rank (a stop request before a step: all ranks stop together). */
  anyRank(flag: boolean): boolean {
    if (this.worldSize === 1) return flag;
    return torch.tidy(() => {
      const t = torch.tensor([flag ? 1 : 0], { device: this.#commDevice });
      allReduce([t], 'max');
      return t.item() > 0;
    });
  }

  /** The element-wise mean of `values` over the ranks (every rank passes as many, in the same order). */
  meanOverRanks(values: readonly number[]): number[] {
    if (this.worldSize === 1 || !values.length) return [...values];
    return torch.tidy(() => {
      const t = torch.tensor(Float64Array.from(values), { dtype: 'float64', device: this.#commDevice });
      allReduce([t], 'sum');
      return t.div(this.worldSize).to('cpu').toArray();
    });
  }

  /** Rank 0's JSON value on every rank (method state after an epoch's end). */
  broadcastJson<T>(value: T): T {
    if (this.worldSize === 1) return value;
    return torch.tidy(() => {
      const bytes = new TextEncoder().encode(this.rank === 0 ? JSON.stringify(value) : '');
      const length = torch.tensor([bytes.length], { dtype: 'float64', device: this.#commDevice });
      broadcast([length], 0);
      const n = length.item();
      const body = this.rank === 0 ? torch.tensor(bytes, { dtype: 'uint8', device: this.#commDevice }) : torch.zeros([n], { dtype: 'uint8', device: this.#commDevice });
      broadcast([body], 0);
      return this.rank === 0 ? value : (JSON.parse(new TextDecoder().decode(new Uint8Array(body.to('cpu').toArray()))) as T);
    });
  }

  /** Leaves the group (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    useSyncBatchNorm(false);
    useGlobalBatchDropout(null);
    destroyProcessGroup();
  }
}

function floatBuffers(m: nn.Module): Tensor[] {
  return m.buffers().filter((b) => torch.isFloating(b.dtype));
}
