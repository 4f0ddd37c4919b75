/**
 * The job queue, kept in PostgreSQL itself (the ProofJob table), so any number of
 * worker processes on any number of machines can share one database.
 *
 * - Claiming uses `FOR UPDATE SKIP LOCKED`: concurrent workers never take the same
 *   job and never wait on each other.
 * - A claimed job is leased: its worker refreshes `heartbeatAt`; a job whose lease
 *   expired (the worker died or was killed) is put back in the queue, or failed
 *   with a reason once it has used its attempts. No job stays "running" forever.
 * - Every write by a worker is fenced by `workerId` and a running status, so a
 *   worker that lost its lease cannot overwrite the job's new owner.
 *
 * Why not pg-boss: the job row already is the persisted state machine the API
 * reports; a second queue table would be a second source of truth to keep
 * consistent. SKIP LOCKED gives the same guarantees with one.
 */
import type { SqlExecutor } from '../db/migrate';
import type { JobProgress, JobStatus } from './job-types';

export interface ClaimedJob {
  id: string;
  attempts: number;
}

export interface LeaseState {
  /** False when the job is no longer this worker's (lease lost, or ended). */
  owned: boolean;
  cancelRequested: boolean;
}

const STAGE_COLUMN: Partial<Record<JobStatus, string>> = {
  executing: 'executingAt',
  folding: 'foldingAt',
  compressing: 'compressingAt',
};

export class JobStore {
  constructor(private readonly sql: SqlExecutor) {}

  /** Takes the oldest queued job for `workerId`, or returns null when there is none. */
  async claim(workerId: string): Promise<ClaimedJob | null> {
    const rows = await this.sql.query<{ id: string; attempts: number }>(
      `UPDATE "ProofJob" SET status = 'executing', "workerId" = $1, "heartbeatAt" = now(),
         "startedAt" = COALESCE("startedAt", now()), "executingAt" = now(),
         attempts = attempts + 1, "updatedAt" = now()
       WHERE id = (
         SELECT id FROM "ProofJob" WHERE status = 'queued' AND "cancelRequested" = false
         ORDER BY "createdAt", id FOR UPDATE SKIP LOCKED LIMIT 1)
       RETURNING id, attempts`,
      [workerId],
    );
    return rows[0] ?? null;
  }

  /** Renews the lease and reports whether cancellation was requested. */
  async heartbeat(id: string, workerId: string): Promise<LeaseState> {
    const rows = await this.sql.query<{ cancelRequested: boolean }>(
      `UPDATE "ProofJob" SET "heartbeatAt" = now()
       WHERE id = $1 AND "workerId" = $2 AND status IN ('executing', 'folding', 'compressing')
       RETURNING "cancelRequested"`,
      [id, workerId],
    );
    return rows.length
      ? { owned: true, cancelRequested: rows[0].cancelRequested }
      : { owned: false, cancelRequested: false };
  }

  /** Moves a running job to a stage and/or records progress. Returns false if not owned. */
  async update(
    id: string,
    workerId: string,
    change: { status?: JobStatus; progress?: JobProgress; statement?: unknown },
  ): Promise<boolean> {
    const sets: string[] = ['"heartbeatAt" = now()', '"updatedAt" = now()'];
    const params: unknown[] = [id, workerId];
    if (change.status) {
      params.push(change.status);
      sets.push(`status = $${params.length}::"JobStatus"`);
      const col = STAGE_COLUMN[change.status];
      if (col) sets.push(`"${col}" = now()`);
    }
    if (change.progress) {
      params.push(JSON.stringify(change.progress));
      sets.push(`progress = $${params.length}::jsonb`);
    }
    if (change.statement !== undefined) {
      params.push(JSON.stringify(change.statement));
      sets.push(`statement = $${params.length}::jsonb`);
    }
    const rows = await this.sql.query(
      `UPDATE "ProofJob" SET ${sets.join(', ')}
       WHERE id = $1 AND "workerId" = $2 AND status IN ('executing', 'folding', 'compressing')
       RETURNING id`,
      params,
    );
    return rows.length > 0;
  }

  /**
   * Ends a job this worker owns. The private input is erased in the same transaction,
   * and so is the prover's checkpoint (witness data derived from it): both are kept only
   * while the job may still need them.
   */
  async finish(
    id: string,
    workerId: string,
    outcome:
      | {
          status: 'succeeded';
          result: unknown;
          progress: JobProgress;
          statement?: unknown;
          proof?: Uint8Array;
        }
      | { status: 'failed'; error: string }
      | { status: 'cancelled' },
  ): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const params: unknown[] = [id, workerId, outcome.status];
      const sets = [
        'status = $3::"JobStatus"',
        '"finishedAt" = now()',
        '"updatedAt" = now()',
        '"privateInput" = NULL',
      ];
      if (outcome.status === 'succeeded') {
        params.push(JSON.stringify(outcome.result), JSON.stringify(outcome.progress));
        sets.push(`result = $4::jsonb`, `progress = $5::jsonb`);
        if (outcome.statement !== undefined) {
          params.push(JSON.stringify(outcome.statement));
          sets.push(`statement = $${params.length}::jsonb`);
        }
      } else if (outcome.status === 'failed') {
        params.push(outcome.error);
        sets.push(`error = $4`);
      } else {
        sets.push(`error = 'cancelled by request'`);
      }
      const rows = await tx.query(
        `UPDATE "ProofJob" SET ${sets.join(', ')}
         WHERE id = $1 AND "workerId" = $2 AND status IN ('executing', 'folding', 'compressing')
         RETURNING id`,
        params,
      );
      if (rows.length === 0) return false;
      await tx.query(`DELETE FROM "ProofCheckpoint" WHERE "jobId" = $1`, [id]);
      if (outcome.status === 'succeeded' && outcome.proof) {
        await tx.query(`INSERT INTO "Proof" ("jobId", bytes) VALUES ($1, $2)`, [id, outcome.proof]);
      }
      return true;
    });
  }

  /**
   * Stores the prover's latest checkpoint of a job this worker owns (replacing the previous
   * one; `bytes` null when they are kept elsewhere: checkpoint-store.ts). Fenced like every
   * write: a worker that lost the job writes nothing. Returns whether it was stored.
   */
  async saveCheckpoint(
    id: string,
    workerId: string,
    cp: { stage: string; done: number; total: number; bytes: Uint8Array | null },
  ): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO "ProofCheckpoint" ("jobId", stage, done, total, bytes, "updatedAt")
       SELECT id, $3, $4, $5, $6, now() FROM "ProofJob"
       WHERE id = $1 AND "workerId" = $2 AND status IN ('executing', 'folding', 'compressing')
       ON CONFLICT ("jobId") DO UPDATE SET stage = EXCLUDED.stage, done = EXCLUDED.done,
         total = EXCLUDED.total, bytes = EXCLUDED.bytes, "updatedAt" = now()
       RETURNING "jobId"`,
      [id, workerId, cp.stage, cp.done, cp.total, cp.bytes],
    );
    return rows.length > 0;
  }

  /** The job's latest checkpoint, if an earlier attempt left one. */
  async loadCheckpoint(
    id: string,
  ): Promise<{ stage: string; done: number; total: number; bytes: Uint8Array | null } | null> {
    const rows = await this.sql.query<{
      stage: string;
      done: number;
      total: number;
      bytes: Uint8Array | null;
    }>(`SELECT stage, done, total, bytes FROM "ProofCheckpoint" WHERE "jobId" = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Forgets a job's checkpoint (it did not fit the proof; the attempt starts over). */
  async dropCheckpoint(id: string, workerId: string): Promise<void> {
    await this.sql.query(
      `DELETE FROM "ProofCheckpoint" c USING "ProofJob" j
       WHERE c."jobId" = $1 AND j.id = c."jobId" AND j."workerId" = $2`,
      [id, workerId],
    );
  }

  /** Gives a running job back to the queue (graceful shutdown): it keeps its attempt count. */
  async release(id: string, workerId: string): Promise<void> {
    await this.sql.query(
      `UPDATE "ProofJob" SET status = 'queued', "workerId" = NULL, "heartbeatAt" = NULL, "updatedAt" = now(),
         attempts = GREATEST(attempts - 1, 0)
       WHERE id = $1 AND "workerId" = $2 AND status IN ('executing', 'folding', 'compressing')`,
      [id, workerId],
    );
  }

  /**
   * Requeues jobs whose lease expired, or fails them once they have used
   * `maxAttempts` attempts. Returns how many jobs it touched.
   */
  async recoverExpired(
    leaseMs: number,
    maxAttempts: number,
  ): Promise<{ requeued: number; failed: number }> {
    const rows = await this.sql.query<{ status: JobStatus }>(
      `WITH ended AS (UPDATE "ProofJob" SET
         status = CASE WHEN attempts >= $2 THEN 'failed'::"JobStatus" ELSE 'queued'::"JobStatus" END,
         error = CASE WHEN attempts >= $2
           THEN 'the job was interrupted ' || attempts || ' times (its worker stopped responding); giving up'
           ELSE error END,
         "finishedAt" = CASE WHEN attempts >= $2 THEN now() ELSE NULL END,
         "privateInput" = CASE WHEN attempts >= $2 THEN NULL ELSE "privateInput" END,
         "workerId" = NULL, "heartbeatAt" = NULL, "updatedAt" = now()
       WHERE status IN ('executing', 'folding', 'compressing')
         AND "heartbeatAt" < now() - ($1::double precision * interval '1 millisecond')
       RETURNING id, status),
       gone AS (DELETE FROM "ProofCheckpoint"
         WHERE "jobId" IN (SELECT id FROM ended WHERE status = 'failed'))
       SELECT status FROM ended`,
      [leaseMs, maxAttempts],
    );
    return {
      requeued: rows.filter((r) => r.status === 'queued').length,
      failed: rows.filter((r) => r.status === 'failed').length,
    };
  }

  /**
   * Cancels a job on a client's request: a queued job ends at once; a running one
   * is flagged and its worker stops it at its next heartbeat. Returns the status
   * after the request, or null when the job does not exist.
   */
  async requestCancel(id: string): Promise<JobStatus | null> {
    const queued = await this.sql.query<{ status: JobStatus }>(
      `WITH ended AS (UPDATE "ProofJob" SET status = 'cancelled', "cancelRequested" = true,
         "finishedAt" = now(), "updatedAt" = now(), "privateInput" = NULL,
         error = 'cancelled by request'
       WHERE id = $1 AND status = 'queued' RETURNING id, status),
       gone AS (DELETE FROM "ProofCheckpoint" WHERE "jobId" IN (SELECT id FROM ended))
       SELECT status FROM ended`,
      [id],
    );
    if (queued.length) return 'cancelled';
    const running = await this.sql.query<{ status: JobStatus }>(
      `UPDATE "ProofJob" SET "cancelRequested" = true, "updatedAt" = now()
       WHERE id = $1 AND status IN ('executing', 'folding', 'compressing') RETURNING status`,
      [id],
    );
    if (running.length) return running[0].status;
    const rows = await this.sql.query<{ status: JobStatus }>(
      `SELECT status FROM "ProofJob" WHERE id = $1`,
      [id],
    );
    return rows[0]?.status ?? null;
  }
}
