/**
 * Environment configuration, validated once at boot. Every variable is listed in
 * README.md ("Configuration"); a bad value stops the process with an error that
 * names the variable, rather than failing later in some request.
 */
import { availableParallelism } from 'node:os';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

export type DatabaseConfig =
  | { kind: 'embedded'; dataDir: string | null } // null: in-memory (tests)
  | { kind: 'postgres'; url: string };

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Largest accepted program upload (ELF or assembly source), in bytes. */
  maxProgramBytes: number;
  logLevel: LogLevel;
  /** Largest public or private input of a job, in bytes. */
  maxInputBytes: number;
  /** Cycle limit of a job when the request gives none, and the most a request may ask for. */
  defaultCycleLimit: number;
  maxCycleLimit: number;
  /** Jobs this process runs at once in worker threads; 0: this process only serves HTTP. */
  workerConcurrency: number;
  /** Worker threads one prove job spreads its segments over (1: the job's own thread only). */
  proverThreads: number;
  /** A running job whose worker has not renewed its lease for this long is requeued. */
  jobLeaseMs: number;
  /** Attempts (lease expiries included) before a job fails for good. */
  jobMaxAttempts: number;
  /** Least time between two prover checkpoints inside the fold tree (0: after every wave). */
  jobCheckpointMs: number;
  /** The SRS proofs are made and verified with (see src/jobs/srs.ts). */
  srs: { kind: 'dev'; maxVars: number } | { kind: 'ptau'; path: string; maxVars: number };
  /** Segment size of a prove job that does not choose one; null: chosen from the run's length. */
  defaultSegmentSizeLog2: number | null;
  /** Largest proof /verify reads. */
  maxProofBytes: number;
  /** On SIGTERM, how long running jobs may take to finish before they are handed back to the queue. */
  shutdownGraceMs: number;
  /** "apikey": every request but /health, /ready, /verify and /docs needs a key. "none": local use only. */
  authMode: 'apikey' | 'none';
  /** Server-wide defaults of the per-key quotas (a key may carry its own). */
  quotas: {
    maxConcurrentJobs: number;
    jobsPerMinute: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intVar(
  env: Env,
  name: string,
  def: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be an integer, got ${JSON.stringify(raw)}`);
    return def;
  }
  const v = Number(raw.trim());
  if (v < min || v > max) {
    problems.push(`${name} must be between ${min} and ${max}, got ${v}`);
    return def;
  }
  return v;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const port = intVar(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST && env.HOST.trim() !== '' ? env.HOST.trim() : '0.0.0.0';

  let database: DatabaseConfig;
  const url = env.DATABASE_URL?.trim();
  if (url) {
    let ok = false;
    try {
      const u = new URL(url);
      ok = u.protocol === 'postgres:' || u.protocol === 'postgresql:';
    } catch {
      ok = false;
    }
    if (!ok) problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
    database = { kind: 'postgres', url };
  } else {
    const dir = env.ZKVM_DATA_DIR?.trim() || './.data';
    database = { kind: 'embedded', dataDir: dir === ':memory:' ? null : dir };
  }

  const maxProgramBytes = intVar(
    env,
    'MAX_PROGRAM_BYTES',
    8 * 1024 * 1024,
    1024,
    256 * 1024 * 1024,
    problems,
  );

  const rawLevel = (env.LOG_LEVEL ?? 'info').trim() as LogLevel;
  if (!LOG_LEVELS.includes(rawLevel)) {
    problems.push(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`,
    );
  }
  const logLevel = LOG_LEVELS.includes(rawLevel) ? rawLevel : 'info';

  const maxInputBytes = intVar(env, 'MAX_INPUT_BYTES', 1024 * 1024, 0, 64 * 1024 * 1024, problems);
  const maxCycleLimit = intVar(env, 'MAX_CYCLE_LIMIT', 2 ** 28, 1, 2 ** 32 - 1, problems);
  const defaultCycleLimit = Math.min(
    intVar(env, 'DEFAULT_CYCLE_LIMIT', 2 ** 24, 1, 2 ** 32 - 1, problems),
    maxCycleLimit,
  );
  const workerConcurrency = intVar(env, 'WORKER_CONCURRENCY', 1, 0, 64, problems);
  // Default: the cores left per job (docs/performance.md §8.5: on the 2-core development
  // machine two threads proved sha256 of 1 KiB 1.15× faster than one, at a 1.6 GiB peak).
  const proverThreads = intVar(
    env,
    'PROVER_THREADS',
    Math.max(1, Math.floor(availableParallelism() / Math.max(1, workerConcurrency))),
    1,
    64,
    problems,
  );
  const jobLeaseMs = intVar(env, 'JOB_LEASE_SECONDS', 30, 2, 3600, problems) * 1000;
  const jobMaxAttempts = intVar(env, 'JOB_MAX_ATTEMPTS', 3, 1, 100, problems);
  const jobCheckpointMs = intVar(env, 'JOB_CHECKPOINT_SECONDS', 30, 0, 86_400, problems) * 1000;
  const srsMaxVars = intVar(env, 'SRS_MAX_VARS', 18, 8, 24, problems);
  const ptau = env.ZKVM_SRS_PTAU?.trim();
  const srs = ptau
    ? { kind: 'ptau' as const, path: ptau, maxVars: srsMaxVars }
    : { kind: 'dev' as const, maxVars: srsMaxVars };
  const defaultSegmentSizeLog2 = env.DEFAULT_SEGMENT_SIZE_LOG2?.trim()
    ? intVar(env, 'DEFAULT_SEGMENT_SIZE_LOG2', 6, 2, 20, problems)
    : null;
  const maxProofBytes = intVar(
    env,
    'MAX_PROOF_BYTES',
    8 * 1024 * 1024,
    1024,
    256 * 1024 * 1024,
    problems,
  );
  const shutdownGraceMs = intVar(env, 'SHUTDOWN_GRACE_SECONDS', 10, 0, 3600, problems) * 1000;

  const rawAuth = (env.AUTH_MODE ?? 'apikey').trim();
  if (rawAuth !== 'apikey' && rawAuth !== 'none') {
    problems.push(`AUTH_MODE must be "apikey" or "none", got ${JSON.stringify(env.AUTH_MODE)}`);
  }
  const authMode = rawAuth === 'none' ? 'none' : 'apikey';
  const quotas = {
    maxConcurrentJobs: intVar(env, 'QUOTA_MAX_CONCURRENT_JOBS', 4, 1, 10_000, problems),
    jobsPerMinute: intVar(env, 'QUOTA_JOBS_PER_MINUTE', 60, 1, 1_000_000, problems),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    database,
    maxProgramBytes,
    logLevel,
    maxInputBytes,
    defaultCycleLimit,
    maxCycleLimit,
    workerConcurrency,
    proverThreads,
    jobLeaseMs,
    jobMaxAttempts,
    jobCheckpointMs,
    shutdownGraceMs,
    srs,
    defaultSegmentSizeLog2,
    maxProofBytes,
    authMode,
    quotas,
  };
}

/** Nest injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** For process entry points: the validated configuration, or exit 2 naming every bad variable. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
