/**
 * Worker-thread task: loads a program and runs it on its inputs, without a trace.
 * Runs in a piscina worker so that a long guest never blocks the HTTP event loop;
 * cancellation terminates the thread.
 */
import { isProgramLoadError, loadProgramAs } from '../../vm/load-program';
import { runProgram } from '../../vm/machine';

export interface ExecuteTaskInput {
  format: 'elf' | 'asm';
  content: Uint8Array;
  publicInput: Uint8Array;
  privateInput: Uint8Array;
  cycleLimit: number;
}

export type ExecuteTaskOutput =
  | {
      ok: true;
      exitCode: number;
      cycles: number;
      publicOutput: Uint8Array;
      debugLog: string;
      wallMs: number;
    }
  | { ok: false; error: string; cycles: number };

export default function executeTask(input: ExecuteTaskInput): ExecuteTaskOutput {
  const t0 = performance.now();
  let image;
  try {
    image = loadProgramAs(input.format, input.content);
  } catch (err) {
    if (isProgramLoadError(err)) {
      return { ok: false, error: `the program does not load: ${err.message}`, cycles: 0 };
    }
    throw err;
  }
  const r = runProgram(image, {
    publicInput: input.publicInput,
    privateInput: input.privateInput,
    cycleLimit: input.cycleLimit,
  });
  const pc = '0x' + (r.pc >>> 0).toString(16).padStart(8, '0');
  switch (r.status) {
    case 'exited':
      return {
        ok: true,
        exitCode: r.exitCode ?? 0,
        cycles: r.cycles,
        publicOutput: r.publicOutput,
        debugLog: r.debugLog,
        wallMs: performance.now() - t0,
      };
    case 'cycle-limit':
      return {
        ok: false,
        error: `the guest reached the cycle limit of ${input.cycleLimit} cycles without exiting (pc ${pc})`,
        cycles: r.cycles,
      };
    case 'fault':
      return {
        ok: false,
        error: `the guest faulted after ${r.cycles} cycles: ${r.fault?.message ?? 'unknown fault'}`,
        cycles: r.cycles,
      };
    case 'breakpoint':
      return { ok: false, error: `the guest hit ebreak at pc ${pc}`, cycles: r.cycles };
  }
}
