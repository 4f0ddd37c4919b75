import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { WorkerPool } from '../jobs/worker-pool';
import type { VerifyTaskInput } from '../jobs/tasks/verify.task';
import { statementToJson } from '../zk/vm-circuit';
import type { VerifyResult } from '../zk/vm-circuit';
import type { VerifyResponseDto } from './dto/verify.dto';

export interface Expected {
  programDigest?: string;
  publicOutput?: string;
  exitCode?: number;
}

/**
 * Stateless verification: it reads no table and keeps nothing; the answer
 * depends only on the proof bytes, the expected values and the SRS's verifier
 * key. The work runs in worker threads.
 */
@Injectable()
export class VerifyService implements OnApplicationShutdown {
  private readonly pool: WorkerPool;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.pool = new WorkerPool(2);
  }

  async verify(proof: Uint8Array, expected: Expected = {}): Promise<VerifyResponseDto> {
    const input: VerifyTaskInput = {
      proof,
      srs: this.config.srs,
      expected: {
        programDigest: expected.programDigest,
        publicOutput:
          expected.publicOutput === undefined
            ? undefined
            : Buffer.from(expected.publicOutput, 'hex'),
        exitCode: expected.exitCode,
      },
    };
    const r = await this.pool.run<VerifyTaskInput, VerifyResult>('verify.task', input);
    if (r.valid) return { valid: true, statement: statementToJson(r.statement) };
    return {
      valid: false,
      stage: r.stage,
      reason: r.reason,
      ...(r.statement ? { statement: statementToJson(r.statement) } : {}),
    };
  }

  /**
   * Loads the verifier key in a worker thread (generating and caching the
   * development SRS on a first start), so the first /verify does not pay for it.
   */
  async warmUp(): Promise<void> {
    await this.verify(new Uint8Array(0));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
