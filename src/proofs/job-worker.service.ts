import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { DatabaseService } from '../db/database.service';
import { JobRunner } from '../jobs/job-runner';
import { checkpointDirFor } from '../jobs/checkpoint-store';

/**
 * Runs the job runner inside the HTTP service when WORKER_CONCURRENCY > 0 (the
 * default, so one `npm start` does everything on the embedded database). Extra
 * capacity comes from `npm run worker` processes sharing the same database.
 */
@Injectable()
export class JobWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobRunner');
  private runner: JobRunner | null = null;

  constructor(
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.workerConcurrency === 0) return;
    this.runner = new JobRunner(this.db.prisma, this.db.sql, {
      concurrency: this.config.workerConcurrency,
      pollMs: 500,
      heartbeatMs: Math.min(1000, Math.floor(this.config.jobLeaseMs / 4)),
      leaseMs: this.config.jobLeaseMs,
      maxAttempts: this.config.jobMaxAttempts,
      checkpointMs: this.config.jobCheckpointMs,
      proverThreads: this.config.proverThreads,
      checkpointDir: checkpointDirFor(this.config.database),
      srs: this.config.srs,
      log: (level, msg, fields) =>
        this.logger[level === 'info' ? 'log' : level]({ ...fields }, msg),
    });
    this.runner.start();
  }

  nudge(): void {
    this.runner?.nudge();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const r = this.runner;
    this.runner = null;
    // Jobs still running are handed back to the queue rather than lost.
    if (r) await r.stop(this.config.shutdownGraceMs);
  }
}
