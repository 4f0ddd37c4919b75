/**
 * Where a running job's prover checkpoint lives (docs/reliability.md, Checkpoints).
 *
 * The ProofCheckpoint row always holds the description (stage, done, total, time), written
 * fenced by the job's lease. The bytes — a few witnesses, 8 MiB each at k = 8 — go:
 *
 *   - into the row, on a PostgreSQL server: a retry may run on another machine, and the
 *     database is what every worker shares (70 MiB written in ≈ 0.7 s);
 *   - into a file beside an embedded database (PGlite): only the process holding the
 *     database's lock can run its jobs, so a local file is shared exactly as widely, and
 *     PGlite, which runs on the caller's event loop, took ≈ 30 s (and ≈ 2 GiB) to write
 *     70 MiB of bytea — the HTTP server would stall for that long.
 *
 * Files are written to a temporary name and renamed once the row is written, so a file is
 * never half-written; a file whose row is gone (the job ended, the row went with it in the
 * same transaction) is removed by `sweep`, which the runner calls after every job and at start.
 */
import { mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DatabaseConfig } from '../config/env';
import type { SqlExecutor } from '../db/migrate';
import type { JobStore } from './job-store';

/** Where checkpoint files go for a database: beside an embedded one's files, else nowhere. */
export function checkpointDirFor(db: DatabaseConfig): string | null {
  return db.kind === 'embedded' && db.dataDir !== null ? resolve(db.dataDir, 'checkpoints') : null;
}

export interface CheckpointMeta {
  stage: string;
  done: number;
  total: number;
}

export interface CheckpointStore {
  /** Stores the job's latest checkpoint if `workerId` still owns the job; says whether it did. */
  save(jobId: string, workerId: string, meta: CheckpointMeta, bytes: Uint8Array): Promise<boolean>;
  /** The job's checkpoint bytes, if an earlier attempt left one. */
  load(jobId: string): Promise<Uint8Array | null>;
  /** Forgets the job's checkpoint (it did not fit). */
  drop(jobId: string, workerId: string): Promise<void>;
  /** Removes stored bytes no row refers to any more. */
  sweep(): Promise<void>;
}

/** Bytes in the ProofCheckpoint row (PostgreSQL server). */
export class DbCheckpointStore implements CheckpointStore {
  constructor(private readonly jobs: JobStore) {}
  save(jobId: string, workerId: string, meta: CheckpointMeta, bytes: Uint8Array) {
    return this.jobs.saveCheckpoint(jobId, workerId, { ...meta, bytes });
  }
  async load(jobId: string): Promise<Uint8Array | null> {
    return (await this.jobs.loadCheckpoint(jobId))?.bytes ?? null;
  }
  drop(jobId: string, workerId: string): Promise<void> {
    return this.jobs.dropCheckpoint(jobId, workerId);
  }
  async sweep(): Promise<void> {
    // Rows go with their job's end, bytes with them.
  }
}

const SUFFIX = '.ckpt';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Bytes in files of `dir` (embedded database), the row keeping the description. */
export class FileCheckpointStore implements CheckpointStore {
  private ready: Promise<unknown> | null = null;
  constructor(
    private readonly jobs: JobStore,
    private readonly sql: SqlExecutor,
    private readonly dir: string,
  ) {}

  private path(jobId: string, tmp = false): string {
    if (!UUID.test(jobId)) throw new Error(`not a job id: ${jobId}`);
    return join(this.dir, jobId + (tmp ? '.tmp' : SUFFIX));
  }

  async save(jobId: string, workerId: string, meta: CheckpointMeta, bytes: Uint8Array) {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.ready;
    const tmp = this.path(jobId, true);
    await writeFile(tmp, bytes, { mode: 0o600 });
    if (!(await this.jobs.saveCheckpoint(jobId, workerId, { ...meta, bytes: null }))) {
      await unlink(tmp).catch(() => undefined);
      return false;
    }
    await rename(tmp, this.path(jobId));
    return true;
  }

  async load(jobId: string): Promise<Uint8Array | null> {
    if ((await this.jobs.loadCheckpoint(jobId)) === null) return null;
    try {
      return new Uint8Array(await readFile(this.path(jobId)));
    } catch {
      return null;
    }
  }

  async drop(jobId: string, workerId: string): Promise<void> {
    await this.jobs.dropCheckpoint(jobId, workerId);
    await unlink(this.path(jobId)).catch(() => undefined);
  }

  async sweep(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    const ids = names
      .filter((n) => n.endsWith(SUFFIX) || n.endsWith('.tmp'))
      .map((n) => n.replace(/\.(ckpt|tmp)$/, ''))
      .filter((id) => UUID.test(id));
    if (ids.length === 0) return;
    const rows = await this.sql.query<{ jobId: string }>(
      `SELECT "jobId"::text AS "jobId" FROM "ProofCheckpoint" WHERE "jobId" = ANY($1::uuid[])`,
      [ids],
    );
    const live = new Set(rows.map((r) => r.jobId));
    for (const n of names) {
      const id = n.replace(/\.(ckpt|tmp)$/, '');
      // A .tmp file of a live job may be a save in progress: leave it.
      if (UUID.test(id) && !live.has(id)) await unlink(join(this.dir, n)).catch(() => undefined);
    }
  }
}
