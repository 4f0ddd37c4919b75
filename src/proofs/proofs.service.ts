import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ProblemException } from '../common/problem';
import { DatabaseService } from '../db/database.service';
import { Prisma, type ProofJob } from '../generated/prisma/client';
import { JobStore } from '../jobs/job-store';
import { ACTIVE_JOB_STATUSES, initialProgress, type JobOptions } from '../jobs/job-types';
import type { Principal } from '../auth/principal';
import { maxSegmentLog2 } from '../jobs/srs';
import type { ZkvmStatementJson as StatementJson } from '../zk/vm-circuit';
import type { CreateProofDto, ProofJobDto, ProofJobListDto } from './dto/proof-job.dto';
import { JobWorkerService } from './job-worker.service';

function decodeInput(name: string, value: string | undefined, encoding: 'base64' | 'hex'): Buffer {
  if (value === undefined || value === '') return Buffer.alloc(0);
  const ok =
    encoding === 'hex'
      ? /^(?:[0-9a-fA-F]{2})*$/.test(value)
      : /^[A-Za-z0-9+/_-]*={0,2}$/.test(value);
  if (!ok) {
    throw new ProblemException(
      400,
      'bad-input-encoding',
      'Bad input encoding',
      `${name} is not valid ${encoding}.`,
    );
  }
  return Buffer.from(value, encoding === 'hex' ? 'hex' : 'base64');
}

/** Reads for the API never load the private input. */
const PRIVATE = { privateInput: true } as const;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The checkpoint's description, never its bytes (witness data). */
const CHECKPOINT = {
  checkpoint: { select: { stage: true, done: true, total: true, updatedAt: true } },
};

export function toJobDto(
  j: Omit<ProofJob, 'privateInput'> & {
    checkpoint?: { stage: string; done: number; total: number; updatedAt: Date } | null;
  },
): ProofJobDto {
  return {
    id: j.id,
    programId: j.programId,
    status: j.status,
    options: j.options as unknown as ProofJobDto['options'],
    progress: j.progress as unknown as ProofJobDto['progress'],
    timestamps: {
      createdAt: j.createdAt.toISOString(),
      startedAt: iso(j.startedAt),
      executingAt: iso(j.executingAt),
      foldingAt: iso(j.foldingAt),
      compressingAt: iso(j.compressingAt),
      finishedAt: iso(j.finishedAt),
    },
    publicInput: Buffer.from(j.publicInput).toString('hex'),
    result: (j.result as unknown as ProofJobDto['result']) ?? null,
    error: j.error,
    statement: (j.statement as unknown as StatementJson | null) ?? null,
    hasProof: j.status === 'succeeded' && j.mode === 'prove',
    attempts: j.attempts,
    checkpoint: j.checkpoint
      ? {
          stage: j.checkpoint.stage as 'executing' | 'folding',
          done: j.checkpoint.done,
          total: j.checkpoint.total,
          savedAt: j.checkpoint.updatedAt.toISOString(),
        }
      : null,
  };
}

@Injectable()
export class ProofsService {
  private readonly store: JobStore;

  constructor(
    private readonly db: DatabaseService,
    private readonly worker: JobWorkerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = new JobStore({
      exec: (sql) => this.db.sql.exec(sql),
      query: (sql, params) => this.db.sql.query(sql, params),
      transaction: (fn) => this.db.sql.transaction(fn),
    });
  }

  async create(principal: Principal, dto: CreateProofDto): Promise<ProofJobDto> {
    const encoding = dto.inputEncoding ?? 'base64';
    const publicInput = decodeInput('publicInput', dto.publicInput, encoding);
    const privateInput = decodeInput('privateInput', dto.privateInput, encoding);
    for (const [name, buf] of [
      ['publicInput', publicInput],
      ['privateInput', privateInput],
    ] as const) {
      if (buf.length > this.config.maxInputBytes) {
        throw new ProblemException(
          413,
          'input-too-large',
          'Input too large',
          `${name} is ${buf.length} bytes; this server accepts at most ${this.config.maxInputBytes}.`,
        );
      }
    }
    const mode = dto.options?.mode ?? 'prove';
    const segmentSizeLog2 = dto.options?.segmentSizeLog2 ?? this.config.defaultSegmentSizeLog2;
    const maxSegmentSizeLog2 = maxSegmentLog2(this.config.srs.maxVars);
    if (mode === 'prove' && segmentSizeLog2 !== null && segmentSizeLog2 > maxSegmentSizeLog2) {
      throw new ProblemException(
        422,
        'segment-too-large',
        'Segment too large',
        `options.segmentSizeLog2 is ${segmentSizeLog2}; this server's SRS holds 2^${this.config.srs.maxVars} powers, ` +
          `enough for segments of at most 2^${maxSegmentSizeLog2} rows.`,
      );
    }
    const maxCycles = Math.min(this.config.maxCycleLimit, principal.maxCycleLimit ?? Infinity);
    const cycleLimit =
      dto.options?.cycleLimit ?? Math.min(this.config.defaultCycleLimit, maxCycles);
    if (cycleLimit > maxCycles) {
      throw new ProblemException(
        422,
        'cycle-limit-too-high',
        'Cycle limit too high',
        `options.cycleLimit is ${cycleLimit}; this API key may ask for at most ${maxCycles}.`,
      );
    }
    const options: JobOptions = {
      mode,
      cycleLimit,
      segmentSizeLog2,
    };
    const ownerId = principal.ownerId;
    const maxConcurrent = principal.maxConcurrentJobs ?? this.config.quotas.maxConcurrentJobs;
    const perMinute = principal.jobsPerMinute ?? this.config.quotas.jobsPerMinute;
    const job = await this.db.prisma.$transaction(async (tx) => {
      // Serialise admissions per key, so concurrent requests cannot overshoot a quota.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${'zkvm-quota:' + ownerId}))`;
      const program = await tx.program.findFirst({
        where: { id: dto.programId, ownerId },
        select: { id: true },
      });
      if (!program) {
        throw new ProblemException(
          422,
          'unknown-program',
          'Unknown program',
          `Program ${dto.programId} does not exist.`,
        );
      }
      const active = await tx.proofJob.count({
        where: { ownerId, status: { in: [...ACTIVE_JOB_STATUSES] } },
      });
      if (active >= maxConcurrent) {
        throw new ProblemException(
          429,
          'too-many-jobs',
          'Too many jobs',
          `This API key has ${active} jobs queued or running, its limit; wait for one to end or cancel one.`,
        ).withHeader('Retry-After', '5');
      }
      const windowStart = new Date(Date.now() - 60_000);
      const recent = await tx.proofJob.findMany({
        where: { ownerId, createdAt: { gt: windowStart } },
        select: { createdAt: true },
        orderBy: { createdAt: 'asc' },
      });
      if (recent.length >= perMinute) {
        const freeAt = recent[recent.length - perMinute].createdAt.getTime() + 60_000;
        const retryAfter = Math.max(1, Math.ceil((freeAt - Date.now()) / 1000));
        throw new ProblemException(
          429,
          'rate-limited',
          'Too many requests',
          `This API key may start ${perMinute} jobs per minute; try again in ${retryAfter} s.`,
        ).withHeader('Retry-After', String(retryAfter));
      }
      return tx.proofJob.create({
        data: {
          ownerId,
          programId: dto.programId,
          mode,
          options: options as unknown as Prisma.InputJsonValue,
          publicInput: new Uint8Array(publicInput),
          privateInput: new Uint8Array(privateInput),
          progress: initialProgress(mode) as unknown as Prisma.InputJsonValue,
        },
      });
    });
    this.worker.nudge();
    return toJobDto(job);
  }

  /** Another key's job is reported as missing (404), never as forbidden. */
  async get(ownerId: string, id: string): Promise<ProofJobDto> {
    const j = await this.db.prisma.proofJob.findFirst({
      where: { id, ownerId },
      omit: PRIVATE,
      include: CHECKPOINT,
    });
    if (!j) throw new NotFoundException(`Proof job ${id} does not exist.`);
    return toJobDto(j);
  }

  async list(
    ownerId: string,
    q: {
      status?: ProofJob['status'];
      programId?: string;
      limit: number;
      offset: number;
    },
  ): Promise<ProofJobListDto> {
    const where: Prisma.ProofJobWhereInput = {
      ownerId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.programId ? { programId: q.programId } : {}),
    };
    const [items, total] = await Promise.all([
      this.db.prisma.proofJob.findMany({
        where,
        omit: PRIVATE,
        include: CHECKPOINT,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: q.limit,
        skip: q.offset,
      }),
      this.db.prisma.proofJob.count({ where }),
    ]);
    return { items: items.map(toJobDto), total, limit: q.limit, offset: q.offset };
  }

  /** The proof of a succeeded prove job, with its statement; 404 for anything else. */
  async proof(
    ownerId: string,
    id: string,
  ): Promise<{ bytes: Uint8Array; statement: StatementJson }> {
    const j = await this.db.prisma.proofJob.findFirst({
      where: { id, ownerId },
      select: { status: true, mode: true, statement: true, proof: { select: { bytes: true } } },
    });
    if (!j) throw new NotFoundException(`Proof job ${id} does not exist.`);
    if (!j.proof || !j.statement) {
      const why =
        j.mode === 'execute'
          ? 'it ran in "execute" mode, which makes no proof'
          : `it is ${j.status}${j.status === 'succeeded' ? '' : ', not succeeded'}`;
      throw new ProblemException(
        404,
        'no-proof',
        'No proof',
        `Proof job ${id} has no proof: ${why}.`,
      );
    }
    return { bytes: j.proof.bytes, statement: j.statement as unknown as StatementJson };
  }

  async cancel(ownerId: string, id: string): Promise<ProofJobDto> {
    const owned = await this.db.prisma.proofJob.findFirst({
      where: { id, ownerId },
      select: { id: true },
    });
    if (!owned) throw new NotFoundException(`Proof job ${id} does not exist.`);
    const status = await this.store.requestCancel(id);
    if (status === null) throw new NotFoundException(`Proof job ${id} does not exist.`);
    if (status === 'succeeded' || status === 'failed') {
      throw new ProblemException(
        409,
        'job-finished',
        'Job already finished',
        `Proof job ${id} has already ${status}.`,
      );
    }
    return this.get(ownerId, id);
  }
}
