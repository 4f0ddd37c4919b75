/** Shapes shared by the job store, the runner and the HTTP layer. */

export type JobStatus =
  'queued' | 'executing' | 'folding' | 'compressing' | 'succeeded' | 'failed' | 'cancelled';

export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = [
  'queued',
  'executing',
  'folding',
  'compressing',
];
export const RUNNING_JOB_STATUSES: readonly JobStatus[] = ['executing', 'folding', 'compressing'];
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export type JobMode = 'prove' | 'execute';

export interface JobOptions {
  mode: JobMode;
  /** Cycles after which the guest is stopped and the job fails. */
  cycleLimit: number;
  /** log2 of the rows per proof segment (prove mode); null: chosen from the run's length. */
  segmentSizeLog2: number | null;
}

export interface StageProgress {
  done: number;
  /** null until the stage knows its amount of work. */
  total: number | null;
}

export interface JobProgress {
  executing: StageProgress;
  folding: StageProgress;
  compressing: StageProgress;
}

export function initialProgress(mode: JobMode): JobProgress {
  const none = mode === 'execute' ? { done: 0, total: 0 } : { done: 0, total: null };
  return { executing: { done: 0, total: null }, folding: { ...none }, compressing: { ...none } };
}

/** What an execution produced, as stored on the job and returned by the API. */
export interface ExecutionResult {
  exitCode: number;
  cycles: number;
  /** Hex of the public output bytes. */
  publicOutput: string;
  debugLog: string;
}
