/**
 * Takes jobs from the queue and runs them through their stages in worker
 * threads. One runner lives in each process that proves: inside the HTTP service
 * (WORKER_CONCURRENCY > 0) and in every `npm run worker` process.
 *
 * Lifecycle of a job: claim → heartbeat every `heartbeatMs` (which also picks up
 * cancellation requests, so a cancelled job stops within one heartbeat) → stages
 * → finish. If the process dies, the lease expires and another runner's sweep
 * requeues the job (or fails it after `maxAttempts`).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client';
import type { SqlExecutor } from '../db/migrate';
import { JobStore } from './job-store';
import { CheckpointStore, DbCheckpointStore, FileCheckpointStore } from './checkpoint-store';
import type { ExecutionResult, JobOptions, JobProgress, JobStatus } from './job-types';
import { MessageChannel } from 'node:worker_threads';
import type { ExecuteTaskInput, ExecuteTaskOutput } from './tasks/execute.task';
import type { ProveJobInput, ProveJobMessage, ProveJobOutput } from './tasks/job-prove.task';
import { chooseSegmentLog2, type SrsDescriptor } from './srs';
import { statementToJson } from '../zk/vm-circuit';
import { WorkerPool } from './worker-pool';

export interface JobRunnerOptions {
  concurrency: number;
  pollMs: number;
  heartbeatMs: number;
  leaseMs: number;
  maxAttempts: number;
  /** Least time between two prover checkpoints inside the fold tree (0: after every wave). */
  checkpointMs: number;
  /** Keep checkpoint bytes in files here rather than in the database (embedded database). */
  checkpointDir?: string | null;
  /** Worker threads one prove job spreads its steps over (default 1). */
  proverThreads?: number;
  /** The SRS prove jobs commit with. */
  srs: SrsDescriptor;
  workerId?: string;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

class CancelledError extends Error {}

export class JobRunner {
  readonly workerId: string;
  readonly store: JobStore;
  private readonly checkpoints: CheckpointStore;
  private readonly pool: WorkerPool;
  private readonly active = new Map<string, AbortController>();
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastSweep = 0;

  constructor(
    private readonly prisma: PrismaClient,
    sql: SqlExecutor,
    private readonly opts: JobRunnerOptions,
  ) {
    this.workerId =
      opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.store = new JobStore(sql);
    this.checkpoints = opts.checkpointDir
      ? new FileCheckpointStore(this.store, sql, opts.checkpointDir)
      : new DbCheckpointStore(this.store);
    this.pool = new WorkerPool(opts.concurrency);
  }

  private log(
    level: 'info' | 'warn' | 'error',
    msg: string,
    fields?: Record<string, unknown>,
  ): void {
    this.opts.log?.(level, msg, { workerId: this.workerId, ...fields });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sweepCheckpoints();
    this.loopDone = this.loop();
  }

  private sweepCheckpoints(): void {
    this.checkpoints
      .sweep()
      .catch((err: unknown) =>
        this.log('warn', 'could not sweep checkpoints', { err: String(err) }),
      );
  }

  /** Wakes the loop now (a job was just queued in this process). */
  nudge(): void {
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        if (Date.now() - this.lastSweep > this.opts.leaseMs / 2) {
          this.lastSweep = Date.now();
          const r = await this.store.recoverExpired(this.opts.leaseMs, this.opts.maxAttempts);
          if (r.requeued || r.failed) this.log('warn', 'recovered jobs with expired leases', r);
        }
        if (this.active.size < this.opts.concurrency) {
          const job = await this.store.claim(this.workerId);
          if (job) {
            void this.process(job.id);
            continue;
          }
        }
      } catch (err) {
        if (!this.running) break;
        this.log('error', 'job loop error', { err: String(err) });
      }
      await this.sleep(this.opts.pollMs);
    }
  }

  /**
   * Stops taking jobs. Running jobs get `graceMs` to finish; those still running
   * then are handed back to the queue for another worker.
   */
  async stop(graceMs = 0): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
    const deadline = Date.now() + graceMs;
    while (this.active.size > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    for (const [id, ctl] of this.active) {
      ctl.abort(new Error('shutting down'));
      await this.store.release(id, this.workerId).catch(() => undefined);
    }
    await this.pool.close();
  }

  private async process(id: string): Promise<void> {
    const ctl = new AbortController();
    this.active.set(id, ctl);
    let cancelled = false;
    const beat = setInterval(() => {
      this.store.heartbeat(id, this.workerId).then(
        (s) => {
          if (!s.owned) ctl.abort(new Error('lease lost'));
          else if (s.cancelRequested) {
            cancelled = true;
            ctl.abort(new CancelledError('cancelled'));
          }
        },
        () => undefined,
      );
    }, this.opts.heartbeatMs);
    try {
      await this.runStages(id, ctl.signal);
    } catch (err) {
      if (cancelled) {
        await this.store.finish(id, this.workerId, { status: 'cancelled' });
        this.log('info', 'job cancelled', { jobId: id });
      } else if (ctl.signal.aborted) {
        // Shutdown or lost lease: the job is released or already someone else's.
      } else {
        const message = err instanceof Error ? err.message : String(err);
        await this.store.finish(id, this.workerId, {
          status: 'failed',
          error: `internal error: ${message}`,
        });
        this.log('error', 'job failed with an internal error', { jobId: id, err: message });
      }
    } finally {
      clearInterval(beat);
      this.active.delete(id);
      this.sweepCheckpoints();
      this.wake?.();
    }
  }

  /**
   * The prove stages, in one worker thread: the thread reports progress through a
   * MessagePort and this side records stage changes and progress (throttled) in
   * the job row, so clients see executing → folding i/n → compressing.
   */
  private async prove(
    id: string,
    program: { format: string; content: Uint8Array },
    publicInput: Uint8Array,
    privateInput: Uint8Array | null,
    options: JobOptions,
    progress: JobProgress,
    result: ExecutionResult,
    signal: AbortSignal,
  ): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    let stage: JobStatus = 'executing';
    let lastWrite = 0;
    let pending: Promise<unknown> = Promise.resolve();
    // Checkpoints are written one at a time; one that arrives while another is being written
    // waits, and is replaced by any newer one (only the latest matters).
    // A checkpoint the prover could not use is dropped in the same queue, before anything newer.
    let nextCheckpoint: Extract<ProveJobMessage, { kind: 'checkpoint' }> | 'drop' | null = null;
    let writing: Promise<void> | null = null;
    const writeCheckpoints = async (): Promise<void> => {
      while (nextCheckpoint) {
        const cp = nextCheckpoint;
        nextCheckpoint = null;
        await (
          cp === 'drop'
            ? this.checkpoints.drop(id, this.workerId)
            : this.checkpoints.save(id, this.workerId, cp.position, cp.bytes)
        ).catch((err: unknown) =>
          this.log('warn', 'could not store a checkpoint', { jobId: id, err: String(err) }),
        );
      }
      writing = null;
    };
    const queueCheckpoint = (c: typeof nextCheckpoint): void => {
      nextCheckpoint = c;
      writing ??= writeCheckpoints();
    };
    const checkpoint = await this.checkpoints.load(id);
    port1.on('message', (m: ProveJobMessage) => {
      if (m.kind === 'checkpoint') {
        queueCheckpoint(m);
        return;
      }
      if (m.kind === 'resume') {
        if (m.resumed)
          this.log('info', 'job resumed from its checkpoint', { jobId: id, at: m.position });
        else {
          this.log('warn', 'job checkpoint not used; proving from the start', {
            jobId: id,
            reason: m.reason,
          });
          queueCheckpoint('drop');
        }
        return;
      }
      progress[m.stage] = { done: m.done, total: m.total };
      const changed = m.stage !== stage;
      if (changed) stage = m.stage;
      const now = Date.now();
      if (!changed && now - lastWrite < 250 && m.done !== m.total) return;
      lastWrite = now;
      const snapshot = structuredClone(progress);
      pending = pending.then(() =>
        this.store.update(id, this.workerId, {
          ...(changed ? { status: m.stage } : {}),
          progress: snapshot,
        }),
      );
    });
    const input: ProveJobInput = {
      format: program.format as 'elf' | 'asm',
      content: program.content,
      publicInput,
      privateInput: privateInput ?? new Uint8Array(),
      cycleLimit: options.cycleLimit,
      segmentSizeLog2: chooseSegmentLog2(
        options.segmentSizeLog2,
        result.cycles,
        this.opts.srs.maxVars,
      ),
      srs: this.opts.srs,
      resume: checkpoint,
      checkpointMs: this.opts.checkpointMs,
      threads: this.opts.proverThreads ?? 1,
      progress: port2,
    };
    let out: ProveJobOutput;
    try {
      out = await this.pool.run<ProveJobInput, ProveJobOutput>('job-prove.task', input, signal, [
        port2,
      ]);
    } finally {
      port1.close();
      await pending.catch(() => undefined);
      await writing;
    }
    if (!out.ok) {
      await this.store.finish(id, this.workerId, {
        status: 'failed',
        error: `proving failed: ${out.error}`,
      });
      this.log('info', 'job failed', { jobId: id, error: out.error });
      return;
    }
    const statement = statementToJson(out.statement);
    await this.store.finish(id, this.workerId, {
      status: 'succeeded',
      result,
      progress,
      statement,
      proof: out.proof,
    });
    this.log('info', 'job proved', {
      jobId: id,
      cycles: out.statement.cycles,
      proofBytes: out.proof.length,
      timings: out.timings,
    });
  }

  private async runStages(id: string, signal: AbortSignal): Promise<void> {
    const job = await this.prisma.proofJob.findUnique({
      where: { id },
      include: { program: true },
    });
    if (!job) return;
    const options = job.options as unknown as JobOptions;
    const progress = job.progress as unknown as JobProgress;
    const input: ExecuteTaskInput = {
      format: job.program.format as 'elf' | 'asm',
      content: job.program.content,
      publicInput: job.publicInput,
      privateInput: job.privateInput ?? new Uint8Array(),
      cycleLimit: options.cycleLimit,
    };
    const out = await this.pool.run<ExecuteTaskInput, ExecuteTaskOutput>(
      'execute.task',
      input,
      signal,
    );
    if (!out.ok) {
      await this.store.finish(id, this.workerId, { status: 'failed', error: out.error });
      this.log('info', 'job failed', { jobId: id, error: out.error });
      return;
    }
    // Execute mode counts cycles; prove mode counts the prover's own units of
    // work for this stage (segments witnessed and committed) as it reports them.
    if (options.mode === 'execute') progress.executing = { done: out.cycles, total: out.cycles };
    const result: ExecutionResult = {
      exitCode: out.exitCode,
      cycles: out.cycles,
      publicOutput: Buffer.from(out.publicOutput).toString('hex'),
      debugLog: out.debugLog,
    };
    if (options.mode === 'prove') {
      await this.store.update(id, this.workerId, { progress });
      await this.prove(
        id,
        job.program,
        job.publicInput,
        job.privateInput,
        options,
        progress,
        result,
        signal,
      );
      return;
    }
    await this.store.finish(id, this.workerId, { status: 'succeeded', result, progress });
    this.log('info', 'job succeeded', {
      jobId: id,
      cycles: out.cycles,
      wallMs: Math.round(out.wallMs),
    });
  }
}
