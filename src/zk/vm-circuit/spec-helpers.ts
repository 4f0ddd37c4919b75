/**
 * Helpers shared by the vm-circuit specs: trace a program's first segment, build its block
 * witness, edit one row the way a cheating prover would, and ask the block what fails.
 */
import { FR_MODULUS } from '../field/fr';
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

/**
 * Columns of step t that can be changed by `delta` alone with every constraint still holding
 * (those of step t, and those of step t−1 that read step t through next-step entries). The
 * block is evaluated directly from its sparse entries, touching only the rows a column enters.
 */
export function freeColumns(values: Float64Array, T: number, t: number, delta: bigint): number[] {
  const { shape, layout } = cpuBlock();
  const { m, q } = shape;
  const P = FR_MODULUS;
  const transition = new Set(shape.transitionRows);
  const mats = [shape.A, shape.B, shape.C];
  // acc[s][w][row]: ⟨M_w row, z⟩ at step s ∈ {t−1, t}.
  const sums = (s: number): bigint[][] =>
    mats.map((M) => {
      const acc = new Array<bigint>(q).fill(0n);
      const last = s === T - 1;
      for (const e of M.cur) {
        if (last && transition.has(e.row)) continue;
        const v = values[s * m + e.col];
        if (v !== 0) acc[e.row] += e.coeff * BigInt(v);
      }
      if (!last) {
        for (const e of M.next) {
          const v = values[(s + 1) * m + e.col];
          if (v !== 0) acc[e.row] += e.coeff * BigInt(v);
        }
      }
      for (const e of M.one) if (!(last && transition.has(e.row))) acc[e.row] += e.coeff;
      return acc;
    });
  const here = sums(t);
  const before = t > 0 ? sums(t - 1) : null;
  const free: number[] = [];
  for (let j = 0; j < layout.columns; j++) {
    let ok = true;
    for (const [s, acc, family] of [
      [t, here, 'cur'],
      [t - 1, before, 'next'],
    ] as const) {
      if (!acc || !ok) continue;
      const touched = new Map<number, bigint[]>();
      mats.forEach((M, w) => {
        for (const e of M[family]) {
          if (e.col !== j) continue;
          if (family === 'cur' && s === T - 1 && transition.has(e.row)) continue;
          const row = touched.get(e.row) ?? [acc[0][e.row], acc[1][e.row], acc[2][e.row]];
          row[w] += e.coeff * delta;
          touched.set(e.row, row);
        }
      });
      for (const [, [a, b, c]] of touched) {
        if (((a % P) * (b % P) - c) % P !== 0n) ok = false;
      }
    }
    if (ok) free.push(j);
  }
  return free;
}
