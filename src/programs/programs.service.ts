import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { DatabaseService } from '../db/database.service';
import { Prisma, type Program } from '../generated/prisma/client';
import { ProblemException } from '../common/problem';
import { AsmError } from '../vm/asm/assembler';
import { loadProgramAs } from '../vm/load-program';
import { ElfError } from '../vm/elf-loader';
import type { Principal } from '../auth/principal';
import { programDigestV1 } from '../vm/program-digest';
import type { ProgramImage } from '../vm/program-image';
import type { ProgramDto, ProgramFormat, ProgramListDto, SegmentDto } from './dto/program.dto';

/** Jobs in these states still need their program; it cannot be deleted under them. */
const ACTIVE_STATUSES = ['queued', 'executing', 'folding', 'compressing'] as const;

export interface UploadResult {
  program: ProgramDto;
  created: boolean;
}

function toSegmentDtos(image: ProgramImage): SegmentDto[] {
  return image.segments.map((s) => ({
    vaddr: s.vaddr,
    memSize: s.memSize,
    fileSize: s.data.length,
    readable: s.readable,
    writable: s.writable,
    executable: s.executable,
  }));
}

export function toProgramDto(p: Program): ProgramDto {
  return {
    id: p.id,
    digest: p.digest,
    name: p.name,
    format: p.format as ProgramFormat,
    entryPoint: Number(p.entryPoint),
    sizeBytes: p.sizeBytes,
    segments: p.segments as unknown as SegmentDto[],
    createdAt: p.createdAt.toISOString(),
  };
}

@Injectable()
export class ProgramsService {
  constructor(
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Validates and stores a program. Nothing is written unless the program loads;
   * the same image uploaded twice returns the existing record.
   */
  async upload(
    principal: Principal,
    format: ProgramFormat,
    content: Buffer,
    name: string | undefined,
  ): Promise<UploadResult> {
    if (content.length === 0) {
      throw new ProblemException(
        400,
        'empty-program',
        'Empty program',
        'The uploaded program is empty.',
      );
    }
    const limit = Math.min(this.config.maxProgramBytes, principal.maxUploadBytes ?? Infinity);
    if (content.length > limit) {
      throw new ProblemException(
        413,
        'program-too-large',
        'Program too large',
        `The program is ${content.length} bytes; this server accepts at most ${limit} from this API key.`,
      );
    }
    let image: ProgramImage;
    try {
      image = loadProgramAs(format, content);
    } catch (err) {
      if (err instanceof ElfError) {
        throw new ProblemException(422, 'invalid-elf', 'Invalid ELF file', err.message, {
          code: err.code,
        });
      }
      if (err instanceof AsmError) {
        throw new ProblemException(422, 'invalid-assembly', 'Invalid assembly', err.message, {
          code: 'asm-error',
        });
      }
      throw err;
    }
    const digest = programDigestV1(image);
    const ownerId = principal.ownerId;
    const existing = await this.db.prisma.program.findUnique({
      where: { ownerId_digest: { ownerId, digest } },
    });
    if (existing) return { program: toProgramDto(existing), created: false };
    try {
      const created = await this.db.prisma.program.create({
        data: {
          ownerId,
          digest,
          name: name ?? null,
          format,
          entryPoint: BigInt(image.entry),
          sizeBytes: content.length,
          segments: toSegmentDtos(image) as unknown as Prisma.InputJsonValue,
          content: new Uint8Array(content),
        },
      });
      return { program: toProgramDto(created), created: true };
    } catch (err) {
      // Two concurrent uploads of one program: the unique digest lets one win.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        const winner = await this.db.prisma.program.findUnique({
          where: { ownerId_digest: { ownerId, digest } },
        });
        if (winner) return { program: toProgramDto(winner), created: false };
      }
      throw err;
    }
  }

  async list(ownerId: string, limit: number, offset: number): Promise<ProgramListDto> {
    const [items, total] = await Promise.all([
      this.db.prisma.program.findMany({
        where: { ownerId },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: limit,
        skip: offset,
      }),
      this.db.prisma.program.count({ where: { ownerId } }),
    ]);
    return { items: items.map(toProgramDto), total, limit, offset };
  }

  /** Another key's program is reported as missing (404), never as forbidden. */
  async get(ownerId: string, id: string): Promise<ProgramDto> {
    const p = await this.db.prisma.program.findFirst({ where: { id, ownerId } });
    if (!p) throw new NotFoundException(`Program ${id} does not exist.`);
    return toProgramDto(p);
  }

  /** Deletes a program and its finished jobs; refused while a job still needs it. */
  async delete(ownerId: string, id: string): Promise<void> {
    try {
      await this.db.prisma.$transaction(async (tx) => {
        const p = await tx.program.findFirst({ where: { id, ownerId }, select: { id: true } });
        if (!p) throw new NotFoundException(`Program ${id} does not exist.`);
        const active = await tx.proofJob.count({
          where: { programId: id, status: { in: [...ACTIVE_STATUSES] } },
        });
        if (active > 0) {
          throw new ProblemException(
            409,
            'program-in-use',
            'Program in use',
            `Program ${id} has ${active} proof job(s) queued or running; cancel them or wait until they end.`,
          );
        }
        await tx.proofJob.deleteMany({ where: { programId: id } });
        await tx.program.delete({ where: { id } });
      });
    } catch (err) {
      // A job inserted between the check and the delete trips the foreign key.
      if (
        err instanceof Prisma.PrismaClientKnownRequestError &&
        (err.code === 'P2003' || err.code === 'P2014')
      ) {
        throw new ProblemException(
          409,
          'program-in-use',
          'Program in use',
          `Program ${id} gained a proof job; try again later.`,
        );
      }
      throw err;
    }
  }
}
