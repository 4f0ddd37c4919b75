/**
 * Worker-thread task: proves one job's execution. The whole prover (witness
 * generation, commitments, folding, compression) runs in this thread, so the
 * process that took the job — possibly the HTTP server — keeps its event loop
 * free. Progress goes back through a MessagePort; cancellation terminates the
 * thread.
 */
import type { MessagePort } from 'node:worker_threads';
import { isProgramLoadError, loadProgramAs } from '../../vm/load-program';
import { proveProgram, type ZkvmStatement } from '../../zk/vm-circuit';
import { loadSrs, type SrsDescriptor } from '../srs';

export interface ProveJobInput {
  format: 'elf' | 'asm';
  content: Uint8Array;
  publicInput: Uint8Array;
  privateInput: Uint8Array;
  cycleLimit: number;
  segmentSizeLog2: number;
  srs: SrsDescriptor;
  /** Receives {stage, done, total} messages. */
  progress: MessagePort;
}

export type ProveJobOutput =
  | { ok: true; proof: Uint8Array; statement: ZkvmStatement; timings: Record<string, number> }
  | { ok: false; error: string };

export interface ProgressMessage {
  stage: 'executing' | 'folding' | 'compressing';
  done: number;
  total: number;
}

export default async function proveJob(input: ProveJobInput): Promise<ProveJobOutput> {
  let image;
  try {
    image = loadProgramAs(input.format, input.content);
  } catch (err) {
    if (isProgramLoadError(err))
      return { ok: false, error: `the program does not load: ${err.message}` };
    throw err;
  }
  try {
    const srs = loadSrs(input.srs);
    const out = await proveProgram(image, input.publicInput, input.privateInput, {
      segmentSizeLog2: input.segmentSizeLog2,
      srs,
      cycleLimit: input.cycleLimit,
      onProgress: (stage, done, total) =>
        input.progress.postMessage({ stage, done, total } satisfies ProgressMessage),
    });
    return { ok: true, proof: out.proof, statement: out.statement, timings: out.timings };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    input.progress.close();
  }
}
