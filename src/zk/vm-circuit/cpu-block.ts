/**
 * Stage 1 of the zkVM circuit (docs/vm-circuit.md §2): the per-row RV32IM CPU block as a
 * uniform R1CS (docs/protocol.md §1, src/zk/r1cs/uniform.ts). One row of the block is one
 * retired instruction of the trace (docs/trace.md) or a padding row. Semantics follow the
 * RISC-V Unprivileged ISA (version 20191213), chapter 2 (RV32I) and chapter 7 (M), with the
 * VM's policies of docs/guest-abi.md (misaligned accesses and jump targets fault, so they have
 * no valid row).
 *
 * WHAT IS CONSTRAINED (every row, from its own columns):
 *  - instr = Σ 2^i·ib_i with boolean bits; one-hot flags (47 instructions + pad), each flag
 *    forcing the fixed bits of its encoding (flag_K · Σ_{i∈mask} xor(ib_i, pattern_i) = 0);
 *  - rd/rs1/rs2 indices and the immediate as linear combinations of the bits, selected by
 *    format; ECALL reads x17 (a7) and x10 (a0); registers a format does not read hold 0;
 *  - every RV32I and M operation's result from the operands' 32-bit decompositions: ADD/SUB
 *    with a carry, logic ops through a_i·b_i, comparisons through one 33-bit subtraction,
 *    shifts (amount masked to 5 bits) and all four multiplications through one signed 64-bit
 *    product, DIV/DIVU/REM/REMU by |a| = |q|·|b| + |r|, |r| < |b| with the spec's results for
 *    division by zero and for INT_MIN / −1;
 *  - LUI, AUIPC, JAL/JALR links, branch decisions, nextPc (pc + 4, taken branch, JAL, JALR
 *    with bit 0 cleared; jump targets 4-byte aligned; exit ecall and pad rows keep pc);
 *  - loads and stores at word granularity: address rs1 + imm (mod 2^32), alignment, the
 *    loaded byte/half/word with sign or zero extension from memOld, and memNew equal to memOld
 *    with exactly the stored bytes replaced (loads: memNew = memOld);
 *  - x0: rdVal = 0 whenever rd = 0 or the instruction writes no register;
 *  - ECALL: a7 ∈ {63 read, 64 write, 93/94 exit}; read/write write a0 (rd = 10), exit writes
 *    nothing and has nextPc = pc;
 *  - cross-step: pc[t+1] = nextPc[t]; pad[t+1] = pad[t] + exit[t] (pad rows follow the exit
 *    ecall and only pad rows follow a pad row); boundary: pc[0] = pcIn, nextPc[T−1] = pcOut,
 *    pad[0] = haltedIn, pad[T−1] + exit[T−1] = haltedOut.
 *
 * WHAT THIS BLOCK ALONE DOES NOT CONSTRAIN (the stage-2 block, memory.ts and io-rows.ts, adds
 * it on top of writeCpu with continuation rows; docs/vm-circuit.md §3–4):
 *  - that instr is the code word at pc, that rs1Val/rs2Val/memOld are the values last written
 *    (the memory argument over the access slots exposed in `slots`); pc and nextPc are field
 *    sums (pc + imm), which equal the VM's 32-bit sums on every code address because code lies
 *    below 2^29 and |imm| ≤ 2^20: the fetch of stage 2 binds every pc to a code address;
 *  - the value an I/O ecall writes to a0 (bytes moved, or −EBADF for an unknown descriptor):
 *    `res` is free on read/write rows until the continuation rows that move the buffer (and
 *    the tape cursors) exist; a1/a2 are not read by the row;
 *  - the exit code (a0 of the exit row, rs2Val) is bound by the epilogue of stage 2.
 *
 * Columns of a unit a row does not use (the multiplier on an ADD row, the sum unit on a MUL
 * row, the carries) are not pinned: no rule of that row reads them, so they cannot change what
 * the row proves; the witness generator writes canonical values there.
 */
import { Fr } from '../field/fr';
import { BoundaryStep, UniformBuilder, UniformShape } from '../r1cs/uniform';
import { CIRCUIT_INSTRUCTIONS, CircuitFormat } from './isa';
import { Lin, LinLike } from './lin';
import { KEY_BASE } from './spaces';

const TWO32 = 1n << 32n;
const TWO64 = 1n << 64n;

/** Column indices of one row. Arrays of bits are little-endian (index i has weight 2^i). */
export interface CpuLayout {
  /** Allocated columns (the shape pads them to a power of two). */
  readonly columns: number;
  readonly pc: number;
  readonly nextPc: number;
  readonly instr: number;
  readonly ib: readonly number[];
  /** Flag column of each instruction, in CIRCUIT_INSTRUCTIONS order. */
  readonly flags: readonly number[];
  readonly flag: Readonly<Record<string, number>>;
  readonly pad: number;
  readonly ecRead: number;
  readonly ecWrite: number;
  readonly ecExit: number;
  /** 1 for exit_group (a7 = 94), 0 for exit (93). */
  readonly ecGroup: number;
  readonly rs1Idx: number;
  readonly rs2Idx: number;
  readonly rdIdx: number;
  readonly rs1Val: number;
  readonly aBits: readonly number[];
  readonly rs2Val: number;
  /** Second ALU operand: rs2Val, or the immediate for I-type ALU ops. */
  readonly opB: number;
  readonly bBits: readonly number[];
  /** The instruction's result before the x0 rule (rdVal = res when a register is written). */
  readonly res: number;
  readonly rBits: readonly number[];
  readonly rdVal: number;
  readonly rdZeroChain: readonly number[];
  readonly rdZero: number;
  readonly writesX0: number;
  readonly imm: number;
  /** a_i·b_i, for AND/OR/XOR and the sign comparison. */
  readonly prod: readonly number[];
  readonly cAdd: number;
  /** The sum unit: address rs1 + imm, or a comparison x − y + 2^32. */
  readonly sum: number;
  readonly sBits: readonly number[];
  readonly cSum: number;
  readonly sumIsZero: number;
  readonly popBits: readonly number[];
  readonly ltMix: number;
  readonly brEq: number;
  readonly brLt: number;
  readonly brLtu: number;
  readonly taken: number;
  /** rs1 is read as signed and is negative (MULH, MULHSU, SRA, DIV, REM). */
  readonly ua: number;
  /** rs2 is read as signed and is negative, for DIV/REM. */
  readonly ub: number;
  /** rs2 is read as signed and is negative, for MULH (apart from ub: a DIV row's multiplier idles). */
  readonly ubMul: number;
  readonly mulB: number;
  readonly mulLo: number;
  readonly mulHi: number;
  readonly mulNeg: number;
  /** The auxiliary word: the other half of a product, or the other of quotient/remainder. */
  readonly aux: number;
  readonly hBits: readonly number[];
  readonly powChain: readonly number[];
  readonly pow: number;
  readonly rpowChain: readonly number[];
  readonly rpow: number;
  readonly absA: number;
  readonly absB: number;
  readonly absQ: number;
  readonly absR: number;
  readonly qWord: number;
  readonly rWord: number;
  readonly negQ: number;
  readonly negR: number;
  readonly uab: number;
  readonly divZero: number;
  readonly memOld: number;
  readonly moBits: readonly number[];
  readonly memNew: number;
  readonly memWord: number;
  readonly selHalf: number;
  readonly lowB: number;
  readonly selByte: number;
  readonly sgnH: number;
  readonly lowSgn: number;
  readonly sgnB: number;
  readonly place: number;
  readonly oldPart: number;
  readonly newPart: number;
  /** The continuation-row flag, or −1 in a block without continuation rows. */
  readonly cont: number;
  /**
   * 1 − pad − cont as a column of its own: the fetch slot's activity, so that every access
   * slot's activity is a combination without a constant term (an all-zero row accesses
   * nothing, which the memory argument's padding relies on, memory-argument.ts).
   */
  readonly fetch: number;
}

/** An access of docs/vm-circuit.md §3 as linear combinations of the row's columns. */
export interface AccessSlot {
  readonly name: string;
  readonly space: 'code' | 'reg' | 'ram';
  readonly isWrite: boolean;
  readonly active: Lin;
  readonly addr: Lin;
  readonly value: Lin;
  /**
   * The memory argument's view (docs/vm-circuit.md §4): key = KEY_BASE[space] + addr and the
   * write flag, as combinations that are right whenever the slot is active (the I/O rows of
   * io-rows.ts extend them with the tape accesses of continuation rows).
   */
  readonly key: Lin;
  readonly write: Lin;
}

/** Public inputs of a segment instance, in order. */
export const PUBLIC_INPUTS = ['pcIn', 'pcOut', 'haltedIn', 'haltedOut'] as const;

export interface CpuBlock {
  readonly shape: UniformShape;
  readonly layout: CpuLayout;
  /** Label of each row of the block (uniform rows first, then boundary rows, as build() orders). */
  readonly labels: readonly string[];
  /** Number of uniform (per-step) constraints and of boundary constraints. */
  readonly uniformConstraints: number;
  readonly boundaryConstraints: number;
  /** Columns whose values are bits, at most 8 bits, at most 33 bits (honest witnesses). */
  readonly smallColumns: { readonly bits: number; readonly bytes: number; readonly words: number };
  readonly slots: readonly AccessSlot[];
  /** Largest bit width of any honest witness value (for commitSmall). */
  readonly witnessBits: number;
}

interface Pending {
  a: Lin;
  b: Lin;
  c: Lin;
  label: string;
}

interface PendingBoundary extends Pending {
  step: BoundaryStep;
}

export type ColumnKind = 'bit' | 'byte' | 'word' | 'field';

/**
 * Allocation and constraints with labels, so a failing row can be named. Shared by the blocks
 * of this folder (the stage-1 CPU block, the stage-2 block of memory.ts): columns, public
 * inputs and challenges are declared here in order and handed to the UniformBuilder at once.
 */
export class Writer {
  private n = 0;
  private readonly kinds: ColumnKind[] = [];
  private readonly phases: (1 | 2)[] = [];
  readonly uniform: Pending[] = [];
  readonly boundary: PendingBoundary[] = [];
  /** Public inputs in slot order; a challenge is a slot the verifier fills (phase 2 of the protocol). */
  readonly publics: { name: string; phase: 1 | 2; challenge: boolean }[] = [];

  col(kind: ColumnKind = 'word', phase: 1 | 2 = 1): number {
    this.kinds.push(kind);
    this.phases.push(phase);
    return this.n++;
  }

  cols(count: number, kind: ColumnKind, phase: 1 | 2 = 1): number[] {
    return Array.from({ length: count }, () => this.col(kind, phase));
  }

  get count(): number {
    return this.n;
  }

  kindCounts(): { bits: number; bytes: number; words: number; field: number } {
    const c = { bits: 0, bytes: 0, words: 0, field: 0 };
    for (const k of this.kinds) {
      if (k === 'bit') c.bits++;
      else if (k === 'byte') c.bytes++;
      else if (k === 'word') c.words++;
      else c.field++;
    }
    return c;
  }

  phaseOf(col: number): 1 | 2 {
    return this.phases[col];
  }

  publicInput(name: string, phase: 1 | 2 = 1): Lin {
    this.publics.push({ name, phase, challenge: false });
    return Lin.pub(this.publics.length - 1);
  }

  challenge(name: string): Lin {
    this.publics.push({ name, phase: 2, challenge: true });
    return Lin.pub(this.publics.length - 1);
  }

  /** a·b = c */
  mul(a: LinLike, b: LinLike, c: LinLike, label: string): void {
    this.uniform.push({ a: Lin.of(a), b: Lin.of(b), c: Lin.of(c), label });
  }

  /** a·b = 0: "if a ≠ 0 then b = 0", the guard form of every per-instruction rule. */
  zero(guard: LinLike, b: LinLike, label: string): void {
    this.mul(guard, b, 0, label);
  }

  /** a = 0 */
  lin(a: LinLike, label: string): void {
    this.mul(a, 1, 0, label);
  }

  /** a = b at the first or last step of a segment (public inputs allowed, no next step). */
  at(step: BoundaryStep, a: LinLike, b: LinLike, label: string): void {
    this.boundary.push({ step, a: Lin.of(a).minus(b), b: Lin.of(1), c: Lin.of(0), label });
  }

  bool(x: number, label: string): void {
    this.mul(Lin.col(x), Lin.col(x).not(), 0, label);
  }

  /** value = Σ 2^i bits_i with boolean bits: the range check of a word. */
  decompose(value: number | Lin, bits: readonly number[], label: string): void {
    bits.forEach((b, i) => this.bool(b, `${label} bit ${i}`));
    const v = typeof value === 'number' ? Lin.col(value) : value;
    this.lin(v.minus(Lin.bits(bits)), `${label} = Σ 2^i bits`);
  }

  /** The uniform shape: columns and inputs in declaration order, uniform rows before boundary rows. */
  build(): { shape: UniformShape; labels: string[] } {
    const builder = new UniformBuilder();
    for (let i = 0; i < this.n; i++) {
      if (this.phases[i] === 2) builder.witness({ phase: 2 });
      else builder.witness();
    }
    for (const p of this.publics) {
      if (p.challenge) builder.challenge();
      else if (p.phase === 2) builder.publicInput({ phase: 2 });
      else builder.publicInput();
    }
    for (const c of this.uniform) builder.constrain(c.a.toLC(), c.b.toLC(), c.c.toLC());
    for (const c of this.boundary) builder.constrainAt(c.step, c.a.toLC(), c.b.toLC(), c.c.toLC());
    return {
      shape: builder.build(),
      labels: [...this.uniform.map((c) => c.label), ...this.boundary.map((c) => c.label)],
    };
  }
}

let cached: CpuBlock | null = null;

/** The CPU block (built once; the shape is immutable). */
export function cpuBlock(): CpuBlock {
  if (!cached) cached = buildCpuBlock();
  return cached;
}

function buildCpuBlock(): CpuBlock {
  const W = new Writer();
  const { layout, slots } = writeCpu(W, { continuation: false });
  const { shape, labels } = W.build();
  const kinds = W.kindCounts();
  return {
    shape,
    layout,
    labels,
    uniformConstraints: W.uniform.length,
    boundaryConstraints: W.boundary.length,
    smallColumns: { bits: kinds.bits, bytes: kinds.bytes, words: kinds.words },
    slots,
    witnessBits: 33,
  };
}

export interface CpuOptions {
  /**
   * Allow I/O continuation rows (docs/vm-circuit.md §1, §4): a `cont` row follows an I/O ecall
   * or another continuation row and performs only the memory slots 3/4 on one guest word.
   */
  readonly continuation: boolean;
}

/**
 * Allocates the CPU columns and writes the per-row constraints, the pc/halted transitions and
 * the four boundary rows into W (public inputs pcIn, pcOut, haltedIn, haltedOut, in that order).
 */
export function writeCpu(W: Writer, opts: CpuOptions): { layout: CpuLayout; slots: AccessSlot[] } {
  const col = (j: number): Lin => Lin.col(j);

  // ---- columns -------------------------------------------------------------------------
  const pc = W.col();
  const nextPc = W.col();
  const instr = W.col();
  const ib = W.cols(32, 'bit');
  const flags = W.cols(CIRCUIT_INSTRUCTIONS.length, 'bit');
  const pad = W.col('bit');
  const [ecRead, ecWrite, ecExit, ecGroup] = W.cols(4, 'bit');
  const rs1Idx = W.col('byte');
  const rs2Idx = W.col('byte');
  const rdIdx = W.col('byte');
  const rs1Val = W.col();
  const aBits = W.cols(32, 'bit');
  const rs2Val = W.col();
  const opB = W.col();
  const bBits = W.cols(32, 'bit');
  const res = W.col();
  const rBits = W.cols(32, 'bit');
  const rdVal = W.col();
  const rdZeroChain = W.cols(3, 'bit');
  const rdZero = W.col('bit');
  const writesX0 = W.col('bit');
  const imm = W.col();
  const prod = W.cols(32, 'bit');
  const cAdd = W.col('bit');
  const sum = W.col();
  const sBits = W.cols(32, 'bit');
  const cSum = W.col('bit');
  const sumIsZero = W.col('bit');
  const popBits = W.cols(6, 'bit');
  const ltMix = W.col('bit');
  const [brEq, brLt, brLtu, taken] = W.cols(4, 'bit');
  const ua = W.col('bit');
  const ub = W.col('bit');
  const ubMul = W.col('bit');
  const mulB = W.col();
  const mulLo = W.col();
  const mulHi = W.col();
  const mulNeg = W.col('bit');
  const aux = W.col();
  const hBits = W.cols(32, 'bit');
  const powChain = W.cols(3, 'word');
  const pow = W.col();
  const rpowChain = W.cols(3, 'word');
  const rpow = W.col();
  const absA = W.col();
  const absB = W.col();
  const absQ = W.col();
  const absR = W.col();
  const qWord = W.col();
  const rWord = W.col();
  const negQ = W.col('bit');
  const negR = W.col('bit');
  const uab = W.col('bit');
  const divZero = W.col('bit');
  const memOld = W.col();
  const moBits = W.cols(32, 'bit');
  const memNew = W.col();
  const memWord = W.col();
  const selHalf = W.col();
  const lowB = W.col('byte');
  const selByte = W.col('byte');
  const sgnH = W.col('bit');
  const lowSgn = W.col('bit');
  const sgnB = W.col('bit');
  const place = W.col();
  const oldPart = W.col();
  const newPart = W.col();
  // Stage 1 alone has no continuation rows: `cont` is then the constant 0 and adds no column.
  const contCol = opts.continuation ? W.col('bit') : -1;
  const cont = opts.continuation ? col(contCol) : Lin.ZERO;

  const flag: Record<string, number> = {};
  CIRCUIT_INSTRUCTIONS.forEach((s, i) => (flag[s.name] = flags[i]));
  const F = (...names: string[]): Lin =>
    Lin.sum(
      names.map((n) => {
        if (flag[n] === undefined) throw new Error(`no flag ${n}`);
        return col(flag[n]);
      }),
    );
  const byFormat = (f: CircuitFormat): string[] =>
    CIRCUIT_INSTRUCTIONS.filter((s) => s.format === f).map((s) => s.name);

  // Instruction groups (linear: the flags are one-hot).
  const R_ALU = byFormat('R');
  const I_ALU = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai'];
  const LOADS = ['lb', 'lh', 'lw', 'lbu', 'lhu'];
  const STORES = ['sb', 'sh', 'sw'];
  const BRANCHES = byFormat('B');
  const isLoad = F(...LOADS);
  const isStore = F(...STORES);
  const isMem = isLoad.plus(isStore);
  const isBranch = F(...BRANCHES);
  const isIAlu = F(...I_ALU);
  const hasRs1 = F(...R_ALU, ...I_ALU, ...LOADS, 'jalr', ...STORES, ...BRANCHES);
  const hasRs2 = F(...R_ALU, ...STORES, ...BRANCHES);
  const writesRd = F(...R_ALU, ...I_ALU, ...LOADS, 'jalr', 'jal', 'lui', 'auipc');
  const isCmp = F('slt', 'slti', 'sltu', 'sltiu', ...BRANCHES);
  const isDiv = F('div', 'divu', 'rem', 'remu');
  const isMulFam = F('mul', 'mulh', 'mulhsu', 'mulhu');
  const isSll = F('sll', 'slli');
  const isSrx = F('srl', 'srli', 'sra', 'srai');
  const isMulUnit = isMulFam.plus(isSll).plus(isSrx);
  const lowRes = F('mul', 'sll', 'slli');
  const highRes = F('mulh', 'mulhsu', 'mulhu', 'srl', 'srli', 'sra', 'srai');
  const isSeq = F(...R_ALU, ...I_ALU, ...LOADS, ...STORES, 'lui', 'auipc', 'fence')
    .plus(col(ecRead))
    .plus(col(ecWrite));

  // Fields of the instruction word.
  const bitsAt = (from: number, count: number, shift = 0): Lin =>
    Lin.bits(ib.slice(from, from + count), shift);
  const rdField = bitsAt(7, 5);
  const rs1Field = bitsAt(15, 5);
  const rs2Field = bitsAt(20, 5);
  const sign = col(ib[31]);
  // Immediates as unsigned 32-bit words (sign extension = ib31 times the high ones), so the
  // imm column stays a small value; signed use subtracts 2^32·ib31.
  const immI = bitsAt(20, 11).plus(sign, TWO32 - (1n << 11n));
  const immS = bitsAt(7, 5)
    .plus(bitsAt(25, 6, 5))
    .plus(sign, TWO32 - (1n << 11n));
  const immB = bitsAt(8, 4, 1)
    .plus(bitsAt(25, 6, 5))
    .plus(col(ib[7]), 1n << 11n)
    .plus(sign, TWO32 - (1n << 12n));
  const immU = bitsAt(12, 20, 12);
  const immJ = bitsAt(21, 10, 1)
    .plus(col(ib[20]), 1n << 11n)
    .plus(bitsAt(12, 8, 12))
    .plus(sign, TWO32 - (1n << 20n));
  const immSigned = col(imm).minus(sign.times(TWO32));

  const A = col(rs1Val);
  const B = col(opB);
  const Rv = col(res);
  const H = col(aux);
  const S = col(sum);
  const P = Lin.bits(prod);
  const a31 = col(aBits[31]);
  const b31 = col(bBits[31]);
  const s0 = col(sBits[0]);
  const s1 = col(sBits[1]);

  // ---- instruction word and decoding ----------------------------------------------------
  W.decompose(instr, ib, 'instr');
  flags.forEach((f, i) => W.bool(f, `flag ${CIRCUIT_INSTRUCTIONS[i].name} boolean`));
  W.bool(pad, 'pad boolean');
  W.lin(Lin.sum(flags.map(col)).plus(col(pad)).plus(cont).minus(1), 'exactly one flag');
  CIRCUIT_INSTRUCTIONS.forEach((s, i) => {
    let mismatches = Lin.ZERO;
    for (let bit = 0; bit < 32; bit++) {
      if (((s.mask >>> bit) & 1) === 0) continue;
      const b = col(ib[bit]);
      mismatches = mismatches.plus(((s.pattern >>> bit) & 1) === 1 ? b.not() : b);
    }
    W.zero(col(flags[i]), mismatches, `decode ${s.name}`);
  });
  W.zero(col(pad).plus(cont), col(instr), 'pad row has no instruction');

  // ---- immediates and operands -----------------------------------------------------------
  W.zero(F(...I_ALU, ...LOADS, 'jalr'), col(imm).minus(immI), 'imm (I format)');
  W.zero(isStore, col(imm).minus(immS), 'imm (S format)');
  W.zero(isBranch, col(imm).minus(immB), 'imm (B format)');
  W.zero(F('lui', 'auipc'), col(imm).minus(immU), 'imm (U format)');
  W.zero(F('jal'), col(imm).minus(immJ), 'imm (J format)');
  W.zero(
    F(...I_ALU, ...LOADS, 'jalr', ...STORES, ...BRANCHES, 'lui', 'auipc', 'jal').not(),
    col(imm),
    'imm is 0 without an immediate',
  );
  W.decompose(rs1Val, aBits, 'rs1Val');
  W.mul(isIAlu, col(imm), B.minus(col(rs2Val)), 'opB = rs2Val or the I-type immediate');
  W.decompose(opB, bBits, 'opB');
  W.decompose(res, rBits, 'res');
  W.decompose(aux, hBits, 'aux');
  W.decompose(sum, sBits, 'sum');
  W.decompose(memOld, moBits, 'memOld');
  prod.forEach((p, i) => W.mul(col(aBits[i]), col(bBits[i]), col(p), `a_${i}·b_${i}`));

  // ---- registers: indices from the word, x0 ---------------------------------------------
  const f = (n: string): Lin => col(flag[n]);
  W.mul(hasRs1, rs1Field, col(rs1Idx).minus(f('ecall').times(17)), 'rs1 index');
  W.mul(hasRs2, rs2Field, col(rs2Idx).minus(f('ecall').times(10)), 'rs2 index');
  W.mul(writesRd, rdField, col(rdIdx).minus(col(ecRead).plus(col(ecWrite)).times(10)), 'rd index');
  W.zero(hasRs1.plus(f('ecall')).not(), A, 'no rs1: rs1Val = 0');
  W.zero(hasRs2.plus(f('ecall')).not(), col(rs2Val), 'no rs2: rs2Val = 0');
  // rd = 0 ⇔ the five rd bits are 0: a product chain keeps every factor boolean.
  const nb = (i: number): Lin => col(ib[i]).not();
  W.mul(nb(7), nb(8), col(rdZeroChain[0]), 'rd zero chain 0');
  W.mul(col(rdZeroChain[0]), nb(9), col(rdZeroChain[1]), 'rd zero chain 1');
  W.mul(col(rdZeroChain[1]), nb(10), col(rdZeroChain[2]), 'rd zero chain 2');
  W.mul(col(rdZeroChain[2]), nb(11), col(rdZero), 'rd = x0');
  W.mul(writesRd, col(rdZero), col(writesX0), 'writes x0');
  W.mul(
    writesRd.minus(col(writesX0)).plus(col(ecRead)).plus(col(ecWrite)),
    Rv,
    col(rdVal),
    'rdVal = res, or 0 (x0, no write)',
  );

  // ---- ALU: add, sub, logic, upper immediates, links --------------------------------------
  W.bool(cAdd, 'add carry boolean');
  W.zero(F('add', 'addi'), A.plus(B).minus(Rv).minus(col(cAdd).times(TWO32)), 'ADD/ADDI');
  W.zero(F('sub'), A.minus(B).plus(TWO32).minus(Rv).minus(col(cAdd).times(TWO32)), 'SUB');
  W.zero(
    F('auipc'),
    col(pc).plus(col(imm)).minus(Rv).minus(col(cAdd).times(TWO32)),
    'AUIPC = pc + imm',
  );
  W.zero(F('lui'), Rv.minus(col(imm)), 'LUI = imm');
  W.zero(F('xor', 'xori'), Rv.minus(A.plus(B).minus(P.times(2))), 'XOR = a + b − 2(a∧b)');
  W.zero(F('or', 'ori'), Rv.minus(A.plus(B).minus(P)), 'OR = a + b − (a∧b)');
  W.zero(F('and', 'andi'), Rv.minus(P), 'AND');
  W.zero(F('jal', 'jalr'), Rv.minus(col(pc)).minus(4), 'link = pc + 4');

  // ---- the sum unit: addresses and comparisons ---------------------------------------------
  const carryS = col(cSum).times(TWO32);
  W.bool(cSum, 'sum carry boolean');
  W.zero(F(...LOADS, ...STORES, 'jalr'), S.plus(carryS).minus(A).minus(col(imm)), 'rs1 + imm');
  W.zero(isCmp, S.plus(carryS).minus(A).plus(B).minus(TWO32), 'compare rs1 − opB');
  W.zero(isDiv, S.plus(carryS).minus(col(absR)).plus(col(absB)).minus(TWO32), 'compare |r| − |b|');
  // sum = 0 ⇔ popcount 0: z·pop = 0, and pop − 1 + z ∈ [0, 64) (a 6-bit range check).
  const pop = Lin.sum(sBits.map(col));
  W.bool(sumIsZero, 'sum zero flag boolean');
  W.zero(col(sumIsZero), pop, 'sum zero ⇒ popcount 0');
  popBits.forEach((b, i) => W.bool(b, `popcount range bit ${i}`));
  W.lin(pop.minus(1).plus(col(sumIsZero)).minus(Lin.bits(popBits)), 'popcount ≥ 1 unless zero');
  // Unsigned: rs1 < opB ⇔ no carry. Signed: flip the result when the signs differ.
  const ltu = col(cSum).not();
  const signsDiffer = a31.plus(b31).minus(col(prod[31]).times(2));
  W.mul(ltu, signsDiffer, col(ltMix), 'ltu · (sign a ⊕ sign b)');
  const lts = ltu.plus(signsDiffer).minus(col(ltMix).times(2));
  W.zero(F('slt', 'slti'), Rv.minus(lts), 'SLT/SLTI');
  W.zero(F('sltu', 'sltiu'), Rv.minus(ltu), 'SLTU/SLTIU');

  // ---- branches and the next pc ----------------------------------------------------------
  W.mul(F('beq', 'bne'), col(sumIsZero), col(brEq), 'branch eq condition');
  W.mul(F('blt', 'bge'), lts, col(brLt), 'branch lt condition');
  W.mul(F('bltu', 'bgeu'), ltu, col(brLtu), 'branch ltu condition');
  const cond = col(brEq).plus(col(brLt)).plus(col(brLtu));
  const negate = F('bne', 'bge', 'bgeu');
  W.mul(cond, negate.times(-2).plus(1), col(taken).minus(negate), 'taken = cond ⊕ negate');
  W.zero(
    isSeq.plus(isBranch).minus(col(taken)),
    col(nextPc).minus(col(pc)).minus(4),
    'nextPc = pc + 4',
  );
  W.zero(
    f('jal').plus(col(taken)),
    col(nextPc).minus(col(pc)).minus(immSigned),
    'nextPc = pc + imm (JAL, taken branch)',
  );
  W.zero(f('jalr'), col(nextPc).minus(S).plus(s0), 'JALR nextPc = (rs1 + imm) & ~1');
  W.zero(
    col(pad).plus(col(ecExit)).plus(cont),
    col(nextPc).minus(col(pc)),
    'exit/pad: nextPc = pc',
  );
  W.zero(f('jal'), col(ib[21]), 'JAL target aligned');
  W.zero(col(taken), col(ib[8]), 'branch target aligned');
  W.zero(f('jalr'), s1, 'JALR target aligned');

  // ---- the multiplier: MUL*, shifts -------------------------------------------------------
  // One signed product (a − 2^32·ua)·(mulB − 2^32·ub) = lo + 2^32·hi − 2^64·neg: lo and hi are
  // 32-bit (range-checked through res/aux) and neg boolean, so the split is unique.
  W.mul(a31, F('mulh', 'mulhsu', 'sra', 'srai', 'div', 'rem'), col(ua), 'rs1 signed');
  W.mul(b31, F('div', 'rem'), col(ub), 'rs2 signed (division)');
  W.mul(b31, F('mulh'), col(ubMul), 'rs2 signed (MULH)');
  const shamt = bBits.slice(0, 5).map(col);
  // 2^shamt and 2^(31 − shamt) as products of (1 + (2^(2^j) − 1)·bit).
  const stepFactor = (j: number, bit: Lin): Lin =>
    bit.times((1n << (1n << BigInt(j))) - 1n).plus(1);
  W.mul(stepFactor(0, shamt[0]), stepFactor(1, shamt[1]), col(powChain[0]), '2^shamt chain 0');
  W.mul(col(powChain[0]), stepFactor(2, shamt[2]), col(powChain[1]), '2^shamt chain 1');
  W.mul(col(powChain[1]), stepFactor(3, shamt[3]), col(powChain[2]), '2^shamt chain 2');
  W.mul(col(powChain[2]), stepFactor(4, shamt[4]), col(pow), '2^shamt');
  W.mul(
    stepFactor(0, shamt[0].not()),
    stepFactor(1, shamt[1].not()),
    col(rpowChain[0]),
    '2^(31 − shamt) chain 0',
  );
  W.mul(col(rpowChain[0]), stepFactor(2, shamt[2].not()), col(rpowChain[1]), '2^(31−s) chain 1');
  W.mul(col(rpowChain[1]), stepFactor(3, shamt[3].not()), col(rpowChain[2]), '2^(31−s) chain 2');
  W.mul(col(rpowChain[2]), stepFactor(4, shamt[4].not()), col(rpow), '2^(31 − shamt)');
  const mB = col(mulB);
  W.zero(isMulFam, mB.minus(B), 'MUL*: multiplier = rs2');
  W.zero(isSll, mB.minus(col(pow)), 'SLL: multiplier = 2^shamt');
  W.zero(isSrx, mB.minus(col(rpow).times(2)), 'SRL/SRA: multiplier = 2^(32 − shamt)');
  W.zero(isMulUnit.not(), mB, 'multiplier idle');
  W.bool(mulNeg, 'product sign boolean');
  W.mul(
    A.minus(col(ua).times(TWO32)),
    mB.minus(col(ubMul).times(TWO32)),
    col(mulLo).plus(col(mulHi).times(TWO32)).minus(col(mulNeg).times(TWO64)),
    'product',
  );
  W.zero(lowRes, col(mulLo).minus(Rv), 'MUL/SLL: res = low word');
  W.zero(lowRes, col(mulHi).minus(H), 'MUL/SLL: aux = high word');
  W.zero(highRes, col(mulHi).minus(Rv), 'MULH*/SRL/SRA: res = high word');
  W.zero(highRes, col(mulLo).minus(H), 'MULH*/SRL/SRA: aux = low word');

  // ---- division: |a| = |q|·|b| + |r|, |r| < |b| unless b = 0 -------------------------------
  // Magnitudes of signed operands stay non-negative columns; INT_MIN / −1 needs no special case
  // because |q| = 2^31 is representable and its sign (+) gives the spec's 0x80000000.
  W.mul(A.minus(col(ua).times(TWO32)), col(ua).times(-2).plus(1), col(absA), '|rs1|');
  W.mul(B.minus(col(ub).times(TWO32)), col(ub).times(-2).plus(1), col(absB), '|rs2|');
  W.mul(col(absQ), col(absB), col(absA).minus(col(absR)), '|a| = |q|·|b| + |r|');
  W.bool(negQ, 'quotient sign boolean');
  W.bool(negR, 'remainder sign boolean');
  W.mul(
    col(qWord).minus(col(negQ).times(TWO32)),
    col(negQ).times(-2).plus(1),
    col(absQ),
    '|q| from q',
  );
  W.mul(
    col(rWord).minus(col(negR).times(TWO32)),
    col(negR).times(-2).plus(1),
    col(absR),
    '|r| from r',
  );
  W.mul(col(ua), col(ub), col(uab), 'both signed operands negative');
  const signXor = col(ua).plus(col(ub)).minus(col(uab).times(2));
  W.zero(col(absQ), col(negQ).minus(signXor), 'quotient sign = sign a ⊕ sign b');
  W.zero(col(absR), col(negR).minus(col(ua)), 'remainder sign = sign a');
  W.zero(F('div', 'divu'), col(qWord).minus(Rv), 'DIV: res = q');
  W.zero(F('div', 'divu'), col(rWord).minus(H), 'DIV: aux = r');
  W.zero(F('rem', 'remu'), col(qWord).minus(H), 'REM: aux = q');
  W.zero(F('rem', 'remu'), col(rWord).minus(Rv), 'REM: res = r');
  W.bool(divZero, 'division by zero flag boolean');
  W.zero(isDiv.not(), col(divZero), 'division by zero only on DIV rows');
  W.zero(col(divZero), col(absB), 'division by zero ⇒ rs2 = 0');
  W.zero(isDiv, col(cSum).minus(col(divZero)), '|r| < |b| unless rs2 = 0');
  W.zero(col(divZero), col(qWord).minus(TWO32 - 1n), 'division by zero: q = all ones');

  // ---- memory: address, alignment, bytes --------------------------------------------------
  W.zero(F('lw', 'sw'), s0.plus(s1), 'word access aligned');
  W.zero(F('lh', 'lhu', 'sh'), s0, 'half access aligned');
  const accessesMem = isMem.plus(cont);
  W.mul(accessesMem, S.minus(s0).minus(s1.times(2)), col(memWord), 'memory word address');
  W.zero(accessesMem.not(), col(memOld), 'no access: memOld = 0');
  W.zero(accessesMem.not(), col(memNew), 'no access: memNew = 0');
  const moByte = (k: number): Lin => Lin.bits(moBits.slice(8 * k, 8 * k + 8));
  const lo16 = Lin.bits(moBits.slice(0, 16));
  const hi16 = Lin.bits(moBits.slice(16, 32));
  const mo = (i: number): Lin => col(moBits[i]);
  // Muxes by the offset bits, each output a column so no column holds a negative difference.
  W.mul(s1, hi16.minus(lo16), col(selHalf).minus(lo16), 'selected half');
  W.mul(s1, moByte(2).minus(moByte(0)), col(lowB).minus(moByte(0)), 'low byte of the half');
  // highB = (selHalf − lowB)/256, multiplied through by 256.
  W.mul(
    s0,
    col(selHalf).minus(col(lowB).times(257)),
    col(selByte).minus(col(lowB)).times(256),
    'selected byte',
  );
  W.mul(s1, mo(31).minus(mo(15)), col(sgnH).minus(mo(15)), 'sign of the half');
  W.mul(s1, mo(23).minus(mo(7)), col(lowSgn).minus(mo(7)), 'sign of the low byte');
  W.mul(s0, col(sgnH).minus(col(lowSgn)), col(sgnB).minus(col(lowSgn)), 'sign of the byte');
  W.zero(F('lb'), Rv.minus(col(selByte)).minus(col(sgnB).times(TWO32 - 256n)), 'LB sign-extends');
  W.zero(F('lbu'), Rv.minus(col(selByte)), 'LBU zero-extends');
  W.zero(F('lh'), Rv.minus(col(selHalf)).minus(col(sgnH).times(TWO32 - 65536n)), 'LH sign-extends');
  W.zero(F('lhu'), Rv.minus(col(selHalf)), 'LHU zero-extends');
  W.zero(F('lw'), Rv.minus(col(memOld)), 'LW');
  W.mul(s0.times(255).plus(1), s1.times(65535).plus(1), col(place), '2^(8·offset)');
  W.zero(F('sb'), col(oldPart).minus(col(selByte)), 'SB replaces the byte');
  W.zero(F('sh'), col(oldPart).minus(col(selHalf)), 'SH replaces the half');
  W.zero(F('sw'), col(oldPart).minus(col(memOld)), 'SW replaces the word');
  W.zero(F('sb'), col(newPart).minus(Lin.bits(bBits.slice(0, 8))), 'SB stores rs2[7:0]');
  W.zero(F('sh'), col(newPart).minus(Lin.bits(bBits.slice(0, 16))), 'SH stores rs2[15:0]');
  W.zero(F('sw'), col(newPart).minus(B), 'SW stores rs2');
  W.mul(
    col(place),
    col(newPart).minus(col(oldPart)),
    col(memNew).minus(col(memOld)),
    'memNew = memOld with the stored bytes',
  );
  W.zero(isLoad, col(memNew).minus(col(memOld)), 'a load leaves memory unchanged');

  // ---- ECALL --------------------------------------------------------------------------------
  W.bool(ecRead, 'ecall read boolean');
  W.bool(ecWrite, 'ecall write boolean');
  W.bool(ecExit, 'ecall exit boolean');
  W.bool(ecGroup, 'exit_group boolean');
  W.lin(col(ecRead).plus(col(ecWrite)).plus(col(ecExit)).minus(f('ecall')), 'ecall kind one-hot');
  W.zero(col(ecRead), A.minus(63), 'read: a7 = 63');
  W.zero(col(ecWrite), A.minus(64), 'write: a7 = 64');
  W.mul(col(ecExit), A.minus(93), col(ecGroup), 'exit: a7 = 93 + exit_group');

  // ---- I/O continuation rows (docs/vm-circuit.md §1) ------------------------------------------
  if (opts.continuation) {
    W.bool(contCol, 'cont boolean');
    // The word a continuation row touches is aligned and its new value a word (res carries the
    // range check: no rule of a cont row reads res otherwise, and rdVal stays 0).
    W.zero(cont, s0.plus(s1), 'continuation word aligned');
    W.zero(cont, Rv.minus(col(memNew)), 'continuation: memNew is a word');
    W.mul(
      Lin.next(contCol),
      col(ecRead).plus(col(ecWrite)).plus(cont).not(),
      0,
      'continuation rows follow an I/O ecall',
    );
  }

  // ---- rows after rows ----------------------------------------------------------------------
  W.lin(Lin.next(pc).minus(col(nextPc)), 'pc[t+1] = nextPc[t]');
  W.lin(Lin.next(pad).minus(col(pad)).minus(col(ecExit)), 'pad[t+1] = pad[t] + exit[t]');

  // ---- boundary ---------------------------------------------------------------------------
  const pcIn = W.publicInput('pcIn');
  const pcOut = W.publicInput('pcOut');
  const haltedIn = W.publicInput('haltedIn');
  const haltedOut = W.publicInput('haltedOut');
  W.at('first', col(pc), pcIn, 'pc[0] = pcIn');
  W.at('first', col(pad), haltedIn, 'pad[0] = haltedIn');
  W.at('last', col(nextPc), pcOut, 'nextPc[T−1] = pcOut');
  W.at('last', col(pad).plus(col(ecExit)), haltedOut, 'pad[T−1] + exit[T−1] = haltedOut');

  const fetch = W.col('bit');
  W.lin(col(fetch).minus(col(pad).not().minus(cont)), 'fetch = not pad, not continuation');
  const layout: CpuLayout = {
    columns: W.count,
    pc,
    nextPc,
    instr,
    ib,
    flags,
    flag,
    pad,
    ecRead,
    ecWrite,
    ecExit,
    ecGroup,
    rs1Idx,
    rs2Idx,
    rdIdx,
    rs1Val,
    aBits,
    rs2Val,
    opB,
    bBits,
    res,
    rBits,
    rdVal,
    rdZeroChain,
    rdZero,
    writesX0,
    imm,
    prod,
    cAdd,
    sum,
    sBits,
    cSum,
    sumIsZero,
    popBits,
    ltMix,
    brEq,
    brLt,
    brLtu,
    taken,
    ua,
    ub,
    ubMul,
    mulB,
    mulLo,
    mulHi,
    mulNeg,
    aux,
    hBits,
    powChain,
    pow,
    rpowChain,
    rpow,
    absA,
    absB,
    absQ,
    absR,
    qWord,
    rWord,
    negQ,
    negR,
    uab,
    divZero,
    memOld,
    moBits,
    memNew,
    memWord,
    selHalf,
    lowB,
    selByte,
    sgnH,
    lowSgn,
    sgnB,
    place,
    oldPart,
    newPart,
    cont: contCol,
    fetch,
  };

  const slots: AccessSlot[] = [
    {
      name: 'fetch',
      space: 'code',
      isWrite: false,
      active: col(fetch),
      addr: col(pc),
      value: col(instr),
      key: col(pc).plus(KEY_BASE.code),
      write: Lin.ZERO,
    },
    {
      name: 'rs1',
      space: 'reg',
      isWrite: false,
      active: hasRs1.plus(f('ecall')),
      addr: col(rs1Idx),
      value: col(rs1Val),
      key: col(rs1Idx).plus(KEY_BASE.reg),
      write: Lin.ZERO,
    },
    {
      name: 'rs2',
      space: 'reg',
      isWrite: false,
      active: hasRs2.plus(f('ecall')),
      addr: col(rs2Idx),
      value: col(rs2Val),
      key: col(rs2Idx).plus(KEY_BASE.reg),
      write: Lin.ZERO,
    },
    {
      name: 'memRead',
      space: 'ram',
      isWrite: false,
      active: accessesMem,
      addr: col(memWord),
      value: col(memOld),
      key: col(memWord).plus(accessesMem.times(KEY_BASE.ram)),
      write: Lin.ZERO,
    },
    {
      name: 'memWrite',
      space: 'ram',
      isWrite: true,
      active: accessesMem,
      addr: col(memWord),
      value: col(memNew),
      key: col(memWord).plus(accessesMem.times(KEY_BASE.ram)),
      write: accessesMem,
    },
    {
      name: 'rd',
      space: 'reg',
      isWrite: true,
      active: writesRd.minus(col(writesX0)).plus(col(ecRead)).plus(col(ecWrite)),
      addr: col(rdIdx),
      value: col(rdVal),
      key: col(rdIdx).plus(KEY_BASE.reg),
      write: Lin.of(1),
    },
  ];

  return { layout, slots };
}

/** Public inputs as field elements, in PUBLIC_INPUTS order. */
export interface SegmentPublic {
  pcIn: number;
  pcOut: number;
  haltedIn: boolean;
  haltedOut: boolean;
}

export function publicInputVector(p: SegmentPublic): Fr[] {
  return [BigInt(p.pcIn), BigInt(p.pcOut), p.haltedIn ? 1n : 0n, p.haltedOut ? 1n : 0n];
}
