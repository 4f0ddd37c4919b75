/**
 * Helpers for the stage-2 specs: run a program into a laid-out VmRun, judge every segment with
 * the uniform R1CS and the verifier's chaining and product check, and re-run the prover's
 * algorithm on altered rows or an altered sorted list (a cheater who commits honestly to a
 * wrong witness).
 */
import { Fr } from '../field/fr';
import { findUnsatisfied } from '../r1cs/uniform';
import { assemble } from '../../vm/asm/assembler';
import { disassemble } from '../../vm/isa/decode';
import { MachineOptions } from '../../vm/machine';
import { ProgramImage } from '../../vm/program-image';
import { vmBlock } from './memory';
import { MemoryStatement, SegmentPublics, checkSegments } from './statement';
import { memoryProducts } from './memory-argument';
import { SMALL } from './spec-helpers';
import {
  CircuitRows,
  VmRun,
  circuitRows,
  layoutRun,
  segmentInstance,
  segmentValues,
} from './vm-witness';

/** Fixed challenges for the specs (any values work for an honest witness). */
export const ALPHA: Fr = 0x2b5e_1d3a_9f0c_7e11_4d2a_88f1_0c3b_5a77n;
export const GAMMA: Fr = 0x1f00_d15e_a5e5_cafe_0bad_f00d_7777_1234_5678n;

export interface Verdict {
  /** First unsatisfied constraint over all segments, with its label. */
  constraint: { segment: number; step: number; label: string } | null;
  /** The verifier's chaining and product check. */
  chain: string | null;
}

/** Judges a run: every segment's constraints (or those listed), then the verifier's checks. */
export function judge(
  run: VmRun,
  opts: { segments?: number[]; statement?: MemoryStatement; alpha?: Fr; gamma?: Fr } = {},
): Verdict {
  const block = vmBlock();
  const alpha = opts.alpha ?? ALPHA;
  const gamma = opts.gamma ?? GAMMA;
  const check = new Set(opts.segments ?? Array.from({ length: run.segments }, (_, i) => i));
  const publics: SegmentPublics[] = [];
  let constraint: Verdict['constraint'] = null;
  for (let i = 0; i < run.segments; i++) {
    const inst = segmentInstance(segmentValues(run, i));
    publics.push(inst.publics);
    if (constraint || !check.has(i)) continue;
    const u = findUnsatisfied(block.shape, run.k, inst.W, inst.x);
    if (u) constraint = { segment: i, step: u.step, label: block.labels[u.row] };
  }
  // The products the memory argument proves, from their definition.
  const p = memoryProducts(
    block,
    run.k,
    run.segments,
    (i) => segmentValues(run, i).values,
    alpha,
    gamma,
  );
  return {
    constraint,
    chain: checkSegments(opts.statement ?? run.statement, publics, { alpha, gamma, ...p }),
  };
}

export interface AsmRun {
  image: ProgramImage;
  rows: CircuitRows;
  run: VmRun;
  /** Lays the (possibly edited) rows out again, as the honest prover algorithm would. */
  relayout(rows?: CircuitRows): VmRun;
}

export function runAsm(src: string, k: number, options: MachineOptions = SMALL): AsmRun {
  const image = assemble(src);
  return runImage(image, k, options);
}

export function runImage(image: ProgramImage, k: number, options: MachineOptions = SMALL): AsmRun {
  const { rows, result } = circuitRows(image, options);
  if (result.status !== 'exited') throw new Error(`did not exit: ${result.status}`);
  const memoryTop = options.limits?.memoryTop ?? 0x0400_0000;
  const relayout = (r: CircuitRows = rows): VmRun =>
    layoutRun(r, image, memoryTop, result.exitCode ?? 0, k);
  return { image, rows, run: relayout(), relayout };
}

/** Index of the first circuit row whose disassembly matches. */
export function rowWhere(rows: CircuitRows, pattern: RegExp, from = 0): number {
  for (let r = from; r < rows.length; r++) {
    if (rows.kind[r] === 0 && pattern.test(disassemble(rows.instr[r], rows.pc[r]))) return r;
  }
  throw new Error(`no row matches ${pattern}`);
}

/** A copy of a run's sorted list with entry `at` removed or inserted (the rest unchanged). */
export function editSorted(
  run: VmRun,
  edit: {
    drop?: number;
    insert?: { at: number; key: number; value: number; ts: number; isWrite: 0 | 1 };
  },
): VmRun {
  const s = run.sorted;
  const key = Array.from(s.key);
  const value = Array.from(s.value);
  const ts = Array.from(s.ts);
  const isWrite = Array.from(s.isWrite);
  if (edit.drop !== undefined) {
    for (const a of [key, value, ts, isWrite]) a.splice(edit.drop, 1);
  }
  if (edit.insert) {
    const e = edit.insert;
    key.splice(e.at, 0, e.key);
    value.splice(e.at, 0, e.value);
    ts.splice(e.at, 0, e.ts);
    isWrite.splice(e.at, 0, e.isWrite);
  }
  return {
    ...run,
    sorted: {
      key: Float64Array.from(key),
      value: Uint32Array.from(value),
      ts: Float64Array.from(ts),
      isWrite: Uint8Array.from(isWrite),
      length: key.length,
    },
  };
}
