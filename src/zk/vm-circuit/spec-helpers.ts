/**
 * Helpers shared by the vm-circuit specs: trace a program's first segment, build its block
 * witness, edit one row the way a cheating prover would, and ask the block what fails.
 */
import { findUnsatisfied } from '../r1cs/uniform';
import { assemble } from '../../vm/asm/assembler';
import { disassemble } from '../../vm/isa/decode';
import { Machine, MachineOptions } from '../../vm/machine';
import { ProgramImage } from '../../vm/program-image';
import { TraceSegment } from '../../vm/trace';
import { cpuBlock } from './cpu-block';
import { BlockWitness, RowInput, fillRow, rowInput, segmentWitness, toFr } from './witness';

export const SMALL: MachineOptions = { limits: { memoryTop: 0x100000, stackSize: 0x10000 } };

/** The first segment of 2^k rows, and how many padding rows complete it (0 if it is full). */
export function firstSegment(
  image: ProgramImage,
  k: number,
  options: MachineOptions = SMALL,
): { seg: TraceSegment; pad: number } {
  const seg = new Machine(image, options).traceSegments(k).next().value as TraceSegment;
  return { seg, pad: 2 ** k - seg.length };
}

export function traceAsm(
  src: string,
  k: number,
  options: MachineOptions = SMALL,
): { seg: TraceSegment; pad: number } {
  return firstSegment(assemble(src), k, options);
}

/** First row at or after `from` whose disassembly starts with `mnemonic ` (e.g. 'add '). */
export function rowOf(seg: TraceSegment, mnemonic: string, from = 0): number {
  for (let r = from; r < seg.length; r++) {
    if (disassemble(seg.instr[r], seg.pc[r]).startsWith(mnemonic)) return r;
  }
  throw new Error(`no ${mnemonic.trim()} row in the trace`);
}

/** Where the block fails: the step and the constraint's label, or null if satisfied. */
export function failure(wit: BlockWitness): { step: number; label: string } | null {
  const block = cpuBlock();
  const u = findUnsatisfied(block.shape, wit.k, wit.W, wit.x);
  return u && { step: u.step, label: block.labels[u.row] };
}

/** A witness whose rows the test may edit (W is rebuilt from the edited values). */
export class EditableWitness {
  readonly m = cpuBlock().shape.m;
  readonly L = cpuBlock().layout;

  constructor(readonly wit: BlockWitness) {}

  static of(seg: TraceSegment, pad: number): EditableWitness {
    return new EditableWitness(segmentWitness(seg, pad, { numericOnly: true }));
  }

  get(r: number, col: number): number {
    return this.wit.values[r * this.m + col];
  }

  set(r: number, col: number, v: number): this {
    this.wit.values[r * this.m + col] = v;
    return this;
  }

  /** Sets a word column and its bit decomposition together (a self-consistent cheat). */
  setWord(r: number, col: number, bits: readonly number[], v: number): this {
    this.set(r, col, v >>> 0);
    bits.forEach((b, i) => this.set(r, b, (v >>> i) & 1));
    return this;
  }

  /** Recomputes a row from an edited trace row, as an honest generator would for that input. */
  refill(r: number, input: RowInput): this {
    this.wit.values.fill(0, r * this.m, (r + 1) * this.m);
    fillRow(this.L, this.wit.values, r * this.m, input);
    return this;
  }

  /** Sets the sum unit to a 33-bit value, with its bits, carry and zero test consistent. */
  setSum(r: number, full: number): this {
    const L = this.L;
    const carry = full >= 2 ** 32 ? 1 : 0;
    const s = full - carry * 2 ** 32;
    this.setWord(r, L.sum, L.sBits, s).set(r, L.cSum, carry);
    let pop = 0;
    for (let i = 0; i < 32; i++) pop += (s >>> i) & 1;
    const zero = pop === 0 ? 1 : 0;
    this.set(r, L.sumIsZero, zero);
    L.popBits.forEach((b, i) => this.set(r, b, ((pop - 1 + zero) >>> i) & 1));
    const differ = this.get(r, L.aBits[31]) !== this.get(r, L.bBits[31]) ? 1 : 0;
    this.set(r, L.ltMix, (1 - carry) * differ);
    return this;
  }

  /** Replaces row r by an honest padding row at `pc`. */
  pad(r: number, pc: number): this {
    this.wit.values.fill(0, r * this.m, (r + 1) * this.m);
    fillRow(this.L, this.wit.values, r * this.m, null, pc);
    return this;
  }

  input(seg: TraceSegment, r: number): RowInput {
    return rowInput(seg, r);
  }

  failure(): { step: number; label: string } | null {
    return failure({ ...this.wit, W: toFr(this.wit.values) });
  }
}
