/**
 * Worker-thread task: proves one job's execution. The whole prover (witness
 * generation, commitments, folding, compression) runs in this thread, so the
 * process that took the job — possibly the HTTP server — keeps its event loop
 * free. Progress and prover checkpoints go back through a MessagePort (the
 * checkpoint bytes are transferred, not copied); cancellation terminates the
 * thread.
 *
 * A job retried after a crash gets the last checkpoint its earlier attempt
 * stored, and the prover goes on from there (docs/reliability.md, Checkpoints).
 * A checkpoint is stored data, not something this code trusts: a proof made
 * from one is verified before it is returned, and if anything about the resumed
 * attempt fails, the proof is made again from scratch.
 */
import type { MessagePort } from 'node:worker_threads';
import { isProgramLoadError, loadProgramAs } from '../../vm/load-program';
import type { ProgramImage } from '../../vm/program-image';
import { verifierKey } from '../../zk/srs';
import {
  ProveError,
  proveProgram,
  verifyProgramProof,
  type CheckpointPosition,
  type ZkvmStatement,
} from '../../zk/vm-circuit';
import { loadSrs, type SrsDescriptor } from '../srs';
import { PoolProofExecutor } from '../proof-executor';

export interface ProveJobInput {
  format: 'elf' | 'asm';
  content: Uint8Array;
  publicInput: Uint8Array;
  privateInput: Uint8Array;
  cycleLimit: number;
  segmentSizeLog2: number;
  srs: SrsDescriptor;
  /** The checkpoint an earlier attempt stored, if any. */
  resume: Uint8Array | null;
  /** Least time between two fold-tree checkpoints (0: after every wave). */
  checkpointMs: number;
  /** Worker threads to spread the proof's steps over (1: this thread only). */
  threads: number;
  /** Receives `ProveJobMessage`s. */
  progress: MessagePort;
}

export type ProveJobOutput =
  | { ok: true; proof: Uint8Array; statement: ZkvmStatement; timings: Record<string, number> }
  | { ok: false; error: string };

export interface ProgressMessage {
  kind: 'progress';
  stage: 'executing' | 'folding' | 'compressing';
  done: number;
  total: number;
}

export interface CheckpointMessage {
  kind: 'checkpoint';
  position: CheckpointPosition;
  bytes: Uint8Array;
}

/** What became of the checkpoint the job was started with. */
export interface ResumeMessage {
  kind: 'resume';
  resumed: boolean;
  position?: CheckpointPosition;
  reason?: string;
}

export type ProveJobMessage = ProgressMessage | CheckpointMessage | ResumeMessage;

export default async function proveJob(input: ProveJobInput): Promise<ProveJobOutput> {
  let image: ProgramImage;
  try {
    image = loadProgramAs(input.format, input.content);
  } catch (err) {
    if (isProgramLoadError(err))
      return { ok: false, error: `the program does not load: ${err.message}` };
    throw err;
  }
  const post = (m: ProveJobMessage): void =>
    input.progress.postMessage(m, m.kind === 'checkpoint' ? [m.bytes.buffer as ArrayBuffer] : []);
  // More threads: this thread orchestrates, a pool of its own (nested worker threads, which
  // end with this one when a job is cancelled) runs the steps. Same bytes either way.
  const executor =
    input.threads > 1 ? new PoolProofExecutor(input.srs, { threads: input.threads }) : undefined;
  try {
    const srs = loadSrs(input.srs);
    const attempt = (resume: Uint8Array | null) =>
      proveProgram(image, input.publicInput, input.privateInput, {
        segmentSizeLog2: input.segmentSizeLog2,
        srs,
        executor,
        cycleLimit: input.cycleLimit,
        onProgress: (stage, done, total) => post({ kind: 'progress', stage, done, total }),
        checkpoints: {
          resume,
          intervalMs: input.checkpointMs,
          save: (bytes, position) => post({ kind: 'checkpoint', position, bytes }),
          onResume: (r) => post({ kind: 'resume', ...r }),
        },
      });
    let out: Awaited<ReturnType<typeof attempt>> | null = null;
    if (input.resume !== null) {
      try {
        out = await attempt(input.resume);
        const v = verifyProgramProof(out.proof, verifierKey(srs), { allowInsecureSrs: true });
        if (!v.valid) throw new Error(`the resumed proof does not verify (${v.reason})`);
      } catch (err) {
        // A run that cannot be proven fails the same way from scratch: no second try.
        if (err instanceof ProveError) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        post({ kind: 'resume', resumed: false, reason: `resuming failed: ${reason}` });
        out = null;
      }
    }
    out ??= await attempt(null);
    return { ok: true, proof: out.proof, statement: out.statement, timings: out.timings };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    input.progress.close();
    await executor?.close();
  }
}
