/**
 * The process's c10d group (native/distributed.cc), typed. Collectives block
 * until every rank took part or the group's timeout passed; a rank that died
 * turns into a PeerLostError on every other rank (Gloo sees its sockets close),
 * so a run never hangs on a lost peer.
 */
import { native } from '../torch/native.js';
import { Tensor, wrapHandle } from '../torch/tensor.js';
import type { Handle } from '../torch/native.js';

export type { DistBackend as Backend, DistReduceOp as ReduceOp } from '../torch/addonApi.js';
import type { DistBackend as Backend, DistReduceOp as ReduceOp } from '../torch/addonApi.js';

export interface GroupOptions {
  masterAddr: string;
  masterPort: number;
  rank: number;
  worldSize: number;
  /** How long a rendezvous or a collective may wait for the other ranks. */
  timeoutMs: number;
  backend: Backend;
  /** Join a store the launcher serves, under this prefix (env.ts), instead of serving one from rank 0. */
  agentStorePrefix?: string;
}

/** How native/distributed.cc starts the message of every failed collective. */
const PEER_LOST = '[c10d peer lost] ';

/** Another rank stopped answering: it died, or waited past the timeout. The exit code is the CLI's runtime failure. */
export class PeerLostError extends Error {
  readonly exitCode = 1;
  constructor(what: string, cause: unknown) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(PEER_LOST, '');
    super(`distributed ${what} failed: another rank died or stopped answering (${reason}); ` +
      'the last checkpoint is intact: start all ranks again with --resume');
    this.name = 'PeerLostError';
  }
}

/**
 * `err` as a PeerLostError when a collective failed underneath it (such as a
 * synchronised batch norm's all-reduce inside backward), else `err` itself.
 */
export function asPeerLost(err: unknown, what = 'step'): unknown {
  if (err instanceof PeerLostError || !(err instanceof Error) || !err.message.includes(PEER_LOST)) return err;
  return new PeerLostError(what, err);
}

function collective<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    // A TypeError is a bad argument from this side, not a lost peer.
    if (err instanceof TypeError) throw err;
    throw new PeerLostError(what, err);
  }
}

/** Joins the group: rank 0 serves the TCPStore at masterAddr:masterPort; all wait there for worldSize ranks. */
export function initProcessGroup(o: GroupOptions): void {
  collective(`rendezvous at ${o.masterAddr}:${o.masterPort}`, () =>
    native().distInit(o.masterAddr, o.masterPort, o.rank, o.worldSize, Math.round(o.timeoutMs), o.backend, o.agentStorePrefix ?? null));
}

export function destroyProcessGroup(): void {
  native().distDestroy();
}

export function groupInfo(): { initialized: boolean; rank?: number; worldSize?: number; backend?: Backend; nccl: boolean } {
  return native().distInfo();
}

/** Reduces each tensor in place across ranks (all in flight at once). */
export function allReduce(tensors: Tensor[], op: ReduceOp = 'sum'): void {
  if (tensors.length === 0) return;
  collective('all-reduce', () => native().distAllReduce(tensors.map((t) => t.handle), op));
}

/** Every rank's tensors take rank `root`'s values, in place. */
export function broadcast(tensors: Tensor[], root = 0): void {
  if (tensors.length === 0) return;
  collective('broadcast', () => native().distBroadcast(tensors.map((t) => t.handle), root));
}

export function barrier(): void {
  collective('barrier', () => native().distBarrier());
}

/**
 * The sum over ranks of a 1-D tensor as a new tensor in the autograd graph; its
 * backward is the sum over ranks of the incoming gradients (synchronised batch
 * norm's statistics). `tag` (an integer below 2^16) names the call: ranks whose
 * tags differ are in different calls, which fails with a message instead of
 * mixing unrelated numbers.
 */
export function allReduceSumDifferentiable(t: Tensor, tag: number): Tensor {
  return collective('all-reduce (autograd)', () => wrapHandle(native().distAllReduceSum(t.handle, tag) as Handle));
}
