/**
 * A ProofExecutor (src/zk/vm-circuit/proof-tasks.ts) over the worker pool: the independent
 * steps of one stage (phase-1 commitments, phase-2 leaves, the folds of one tree level) run in
 * parallel threads. Every step is deterministic, so the proof is byte-identical to the
 * in-thread executor's. Threads get an SRS descriptor, not the points, and memoize the SRS.
 */
import type {
  MapOptions,
  ProofExecutor,
  ProofTaskName,
  SrsDescriptor,
} from '../zk/vm-circuit/proof-tasks';
import { loadSrs } from '../zk/vm-circuit/proof-tasks';
import { WorkerPool } from './worker-pool';
import type { ProveStepInput } from './tasks/prove-step.task';

export const PROVE_STEP_TASK = 'prove-step.task';

export class PoolProofExecutor implements ProofExecutor {
  readonly srsId: string;
  readonly concurrency: number;
  private readonly pool: WorkerPool;
  private readonly ownsPool: boolean;

  /**
   * `pool`: share the service's pool, or leave it out to get a private one of `threads` threads
   * (closed by close()). The SRS is loaded once here too, for its id (and it warms the dev cache).
   */
  constructor(
    private readonly srs: SrsDescriptor,
    opts: { threads?: number; pool?: WorkerPool } = {},
  ) {
    this.srsId = Buffer.from(loadSrs(srs).id).toString('hex');
    this.ownsPool = opts.pool === undefined;
    this.concurrency = opts.threads ?? 2;
    this.pool = opts.pool ?? new WorkerPool(opts.threads ?? 2);
  }

  async map<I, O>(task: ProofTaskName, inputs: I[], opts: MapOptions = {}): Promise<O[]> {
    return Promise.all(
      inputs.map(async (input, i) => {
        const msg: ProveStepInput = { task, srs: this.srs, input };
        const out = await this.pool.run<ProveStepInput, O>(PROVE_STEP_TASK, msg, opts.signal);
        opts.onDone?.(i);
        return out;
      }),
    );
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.close();
  }
}
