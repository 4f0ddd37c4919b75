/**
 * Worker process entry (`npm run worker`): no HTTP, only the job runner, taking
 * jobs from the database queue that the API service fills. Start as many as the
 * hardware allows, on any machine that reaches the database (DATABASE_URL).
 * SIGTERM/SIGINT stop taking jobs, give running ones a grace period, then hand
 * what is still running back to the queue.
 */
import 'reflect-metadata';
import pino from 'pino';
import { loadConfigOrExit } from './config/env';
import { openDatabase } from './db/database';
import { applyMigrations } from './db/migrate';
import { JobRunner } from './jobs/job-runner';
import { checkpointDirFor } from './jobs/checkpoint-store';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel, base: { service: 'zkvm-worker', pid: process.pid } });
  if (config.database.kind === 'embedded') {
    log.warn(
      'no DATABASE_URL: a separate worker cannot share the embedded database with a running server; ' +
        'it will only see jobs of its own embedded database',
    );
  }
  const db = await openDatabase(config.database);
  await applyMigrations(db.sql);
  const runner = new JobRunner(db.prisma, db.sql, {
    concurrency: Math.max(1, config.workerConcurrency),
    pollMs: 500,
    heartbeatMs: Math.min(1000, Math.floor(config.jobLeaseMs / 4)),
    leaseMs: config.jobLeaseMs,
    maxAttempts: config.jobMaxAttempts,
    checkpointMs: config.jobCheckpointMs,
    proverThreads: config.proverThreads,
    checkpointDir: checkpointDirFor(config.database),
    srs: config.srs,
    log: (level, msg, fields) => log[level](fields ?? {}, msg),
  });
  runner.start();
  log.info({ workerId: runner.workerId, database: db.description }, 'worker started');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing or handing back running jobs');
    runner
      .stop(config.shutdownGraceMs)
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err: String(err) }, 'error while stopping');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
