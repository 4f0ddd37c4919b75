import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ProblemException } from '../common/problem';
import { DatabaseService } from '../db/database.service';
import { Prisma, type ProofJob } from '../generated/prisma/client';
import { JobStore } from '../jobs/job-store';
import { initialProgress, type JobOptions } from '../jobs/job-types';
import type { CreateProofDto, ProofJobDto, ProofJobListDto } from './dto/proof-job.dto';
import { JobWorkerService } from './job-worker.service';

const DEFAULT_SEGMENT_SIZE_LOG2 = 16;

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

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toJobDto(j: ProofJob): ProofJobDto {
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
    attempts: j.attempts,
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

  async create(dto: CreateProofDto): Promise<ProofJobDto> {
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
    if (mode === 'prove') {
      throw new ProblemException(
        501,
        'proving-unavailable',
        'Proving not available',
        'This server does not produce proofs yet; send options.mode = "execute" to run the program without a proof.',
      );
    }
    const cycleLimit = dto.options?.cycleLimit ?? this.config.defaultCycleLimit;
    if (cycleLimit > this.config.maxCycleLimit) {
      throw new ProblemException(
        422,
        'cycle-limit-too-high',
        'Cycle limit too high',
        `options.cycleLimit is ${cycleLimit}; this server allows at most ${this.config.maxCycleLimit}.`,
      );
    }
    const options: JobOptions = {
      mode,
      cycleLimit,
      segmentSizeLog2: dto.options?.segmentSizeLog2 ?? DEFAULT_SEGMENT_SIZE_LOG2,
    };
    try {
      const job = await this.db.prisma.proofJob.create({
        data: {
          programId: dto.programId,
          mode,
          options: options as unknown as Prisma.InputJsonValue,
          publicInput: new Uint8Array(publicInput),
          privateInput: new Uint8Array(privateInput),
          progress: initialProgress(mode) as unknown as Prisma.InputJsonValue,
        },
      });
      this.worker.nudge();
      return toJobDto(job);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2003') {
        throw new ProblemException(
          422,
          'unknown-program',
          'Unknown program',
          `Program ${dto.programId} does not exist.`,
        );
      }
      throw err;
    }
  }

  async get(id: string): Promise<ProofJobDto> {
    const j = await this.db.prisma.proofJob.findUnique({ where: { id } });
    if (!j) throw new NotFoundException(`Proof job ${id} does not exist.`);
    return toJobDto(j);
  }

  async list(q: {
    status?: ProofJob['status'];
    programId?: string;
    limit: number;
    offset: number;
  }): Promise<ProofJobListDto> {
    const where: Prisma.ProofJobWhereInput = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.programId ? { programId: q.programId } : {}),
    };
    const [items, total] = await Promise.all([
      this.db.prisma.proofJob.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: q.limit,
        skip: q.offset,
      }),
      this.db.prisma.proofJob.count({ where }),
    ]);
    return { items: items.map(toJobDto), total, limit: q.limit, offset: q.offset };
  }

  async cancel(id: string): Promise<ProofJobDto> {
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
    return this.get(id);
  }
}
