/**
 * Witness of the CPU block (cpu-block.ts, docs/vm-circuit.md §2) from a trace segment
 * (docs/trace.md). Every row is computed with plain numbers into one Float64Array (every
 * value is a non-negative integer below 2^33, exact in a double); the conversion to the Fr
 * vector the uniform R1CS takes happens once at the end.
 *
 * The generator recomputes what the circuit derives (flags, immediate, carries, products,
 * quotient, byte muxes) from the instruction word and the trace's operand values; the values a
 * row writes come from the trace (rdVal for a register write, memNew), so a trace that lies
 * yields a witness the block rejects rather than a silently corrected one.
 */
import { Fr } from '../field/fr';
import { TraceSegment } from '../../vm/trace';
import { CpuBlock, CpuLayout, SegmentPublic, cpuBlock, publicInputVector } from './cpu-block';
import { CIRCUIT_INSTRUCTIONS, INSTRUCTION_INDEX, matchInstruction } from './isa';

const TWO32 = 4294967296;

/** What one row needs from the trace. All values are unsigned 32-bit. */
export interface RowInput {
  pc: number;
  instr: number;
  nextPc: number;
  rs1Val: number;
  rs2Val: number;
  /** The value the trace says the row wrote to rd (ignored when nothing is written). */
  rdVal: number;
  memOld: number;
  memNew: number;
}

export function rowInput(seg: TraceSegment, r: number): RowInput {
  return {
    pc: seg.pc[r],
    instr: seg.instr[r],
    nextPc: seg.nextPc[r],
    rs1Val: seg.rs1Val[r],
    rs2Val: seg.rs2Val[r],
    rdVal: seg.rdVal[r],
    memOld: seg.memOld[r],
    memNew: seg.memNew[r],
  };
}

// Per-instruction properties as small tables indexed like CIRCUIT_INSTRUCTIONS.
const N = CIRCUIT_INSTRUCTIONS.length;
const idx = (name: string): number => INSTRUCTION_INDEX.get(name)!;
const setOf = (names: string[]): Uint8Array => {
  const t = new Uint8Array(N);
  for (const n of names) t[idx(n)] = 1;
  return t;
};
const R_ALU = CIRCUIT_INSTRUCTIONS.filter((s) => s.format === 'R').map((s) => s.name);
const I_ALU = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai'];
const LOADS = ['lb', 'lh', 'lw', 'lbu', 'lhu'];
const STORES = ['sb', 'sh', 'sw'];
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
const HAS_RS1 = setOf([...R_ALU, ...I_ALU, ...LOADS, 'jalr', ...STORES, ...BRANCHES]);
const HAS_RS2 = setOf([...R_ALU, ...STORES, ...BRANCHES]);
const WRITES_RD = setOf([...R_ALU, ...I_ALU, ...LOADS, 'jalr', 'jal', 'lui', 'auipc']);
const IS_IALU = setOf(I_ALU);
const IS_LOAD = setOf(LOADS);
const IS_STORE = setOf(STORES);
const IS_ADDR = setOf([...LOADS, ...STORES, 'jalr']);
const IS_CMP = setOf(['slt', 'slti', 'sltu', 'sltiu', ...BRANCHES]);
const IS_DIV = setOf(['div', 'divu', 'rem', 'remu']);
const SIGNED_A = setOf(['mulh', 'mulhsu', 'sra', 'srai', 'div', 'rem']);
const SIGNED_B = setOf(['div', 'rem']);
const LOW_RES = setOf(['mul', 'sll', 'slli']);
const MUL_FAM = setOf(['mul', 'mulh', 'mulhsu', 'mulhu']);
const SLL = setOf(['sll', 'slli']);
const SRX = setOf(['srl', 'srli', 'sra', 'srai']);
const FORMAT = CIRCUIT_INSTRUCTIONS.map((s) => s.format);
const LUI = idx('lui');
const AUIPC = idx('auipc');
const JAL = idx('jal');
const JALR = idx('jalr');
const BEQ = idx('beq');
const BNE = idx('bne');
const BLT = idx('blt');
const BGE = idx('bge');
const BLTU = idx('bltu');
const BGEU = idx('bgeu');
const LB = idx('lb');
const LH = idx('lh');
const LW = idx('lw');
const LBU = idx('lbu');
const LHU = idx('lhu');
const SB = idx('sb');
const SH = idx('sh');
const SW = idx('sw');
const ADDI = idx('addi');
const SLTI = idx('slti');
const SLTIU = idx('sltiu');
const XORI = idx('xori');
const ORI = idx('ori');
const ANDI = idx('andi');
const ADD = idx('add');
const SUB = idx('sub');
const SLT = idx('slt');
const SLTU = idx('sltu');
const XOR = idx('xor');
const OR = idx('or');
const AND = idx('and');
const MULH = idx('mulh');
const MULHSU = idx('mulhsu');
const DIV = idx('div');
const DIVU = idx('divu');
const REM = idx('rem');
const REMU = idx('remu');
const SRA_I = setOf(['sra', 'srai']);
const ECALL = idx('ecall');

const SYS_READ = 63;
const SYS_WRITE = 64;
const SYS_EXIT = 93;
const SYS_EXIT_GROUP = 94;

/** Unsigned immediate word of a format (sign extension included), as the circuit defines it. */
function immediate(word: number, k: number): number {
  const w = word >>> 0;
  const s = w >>> 31;
  switch (FORMAT[k]) {
    case 'I':
      return (w >> 20) >>> 0;
    case 'S':
      return (((w >> 25) << 5) | ((w >>> 7) & 31)) >>> 0;
    case 'B':
      return (
        ((s ? 0xfffff000 : 0) |
          (((w >>> 7) & 1) << 11) |
          (((w >>> 25) & 0x3f) << 5) |
          (((w >>> 8) & 0xf) << 1)) >>>
        0
      );
    case 'U':
      return (w & 0xfffff000) >>> 0;
    case 'J':
      return (
        ((s ? 0xfff00000 : 0) |
          (w & 0xff000) |
          (((w >>> 20) & 1) << 11) |
          (((w >>> 21) & 0x3ff) << 1)) >>>
        0
      );
    default:
      return 0;
  }
}

/** High word of the unsigned 64-bit product, by 16-bit limbs so every partial is exact. */
function mulhu(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

function setBits(out: Float64Array, off: number, cols: readonly number[], v: number): void {
  for (let i = 0; i < 32; i++) out[off + cols[i]] = (v >>> i) & 1;
}

/** Which instruction a word is, cached (code words repeat). Throws on a non-RV32IM word. */
const matchCache = new Map<number, number>();
function instructionOf(word: number): number {
  let k = matchCache.get(word);
  if (k === undefined) {
    k = matchInstruction(word);
    if (matchCache.size < 1 << 16) matchCache.set(word, k);
  }
  if (k < 0) throw new Error(`0x${word.toString(16)} is not an RV32IM instruction`);
  return k;
}

/**
 * Writes one row of the block at out[off..off+m). `input` null means a padding row at pc
 * `padPc`. The row must already be zero.
 */
export function fillRow(
  L: CpuLayout,
  out: Float64Array,
  off: number,
  input: RowInput | null,
  padPc = 0,
): void {
  const isPad = input === null;
  const pc = isPad ? padPc >>> 0 : input.pc >>> 0;
  const instr = isPad ? 0 : input.instr >>> 0;
  const k = isPad ? -1 : instructionOf(instr);
  const has = (t: Uint8Array): boolean => k >= 0 && t[k] === 1;

  out[off + L.pc] = pc;
  out[off + L.nextPc] = isPad ? pc : input.nextPc >>> 0;
  out[off + L.instr] = instr;
  setBits(out, off, L.ib, instr);
  if (isPad) out[off + L.pad] = 1;
  else {
    out[off + L.flags[k]] = 1;
    out[off + L.fetch] = 1;
  }

  // Operands and indices.
  const A = isPad ? 0 : input.rs1Val >>> 0;
  const rs2Val = isPad ? 0 : input.rs2Val >>> 0;
  const imm = k >= 0 ? immediate(instr, k) : 0;
  const B = has(IS_IALU) ? imm : rs2Val;
  const rdF = (instr >>> 7) & 31;
  const isEcall = k === ECALL;
  const a7 = A;
  const ecRead = isEcall && a7 === SYS_READ ? 1 : 0;
  const ecWrite = isEcall && a7 === SYS_WRITE ? 1 : 0;
  const ecExit = isEcall && (a7 === SYS_EXIT || a7 === SYS_EXIT_GROUP) ? 1 : 0;
  out[off + L.ecRead] = ecRead;
  out[off + L.ecWrite] = ecWrite;
  out[off + L.ecExit] = ecExit;
  out[off + L.ecGroup] = isEcall && a7 === SYS_EXIT_GROUP ? 1 : 0;
  out[off + L.rs1Idx] = has(HAS_RS1) ? (instr >>> 15) & 31 : isEcall ? 17 : 0;
  out[off + L.rs2Idx] = has(HAS_RS2) ? (instr >>> 20) & 31 : isEcall ? 10 : 0;
  const writes = has(WRITES_RD);
  out[off + L.rdIdx] = writes ? rdF : ecRead || ecWrite ? 10 : 0;
  out[off + L.rs1Val] = A;
  setBits(out, off, L.aBits, A);
  out[off + L.rs2Val] = rs2Val;
  out[off + L.opB] = B;
  setBits(out, off, L.bBits, B);
  out[off + L.imm] = imm;
  const and = (A & B) >>> 0;
  setBits(out, off, L.prod, and);
  const rdZero = rdF === 0 ? 1 : 0;
  const z0 = (instr >>> 7) & 3 ? 0 : 1;
  const z1 = z0 && !((instr >>> 9) & 1) ? 1 : 0;
  const z2 = z1 && !((instr >>> 10) & 1) ? 1 : 0;
  out[off + L.rdZeroChain[0]] = z0;
  out[off + L.rdZeroChain[1]] = z1;
  out[off + L.rdZeroChain[2]] = z2;
  out[off + L.rdZero] = rdZero;
  out[off + L.writesX0] = writes && rdZero ? 1 : 0;

  // The sum unit (address or comparison) and its flags.
  const a31 = A >>> 31;
  const b31 = B >>> 31;
  const ua = has(SIGNED_A) ? a31 : 0;
  const ub = has(SIGNED_B) ? b31 : 0;
  const absA = ua ? TWO32 - A : A;
  const absB = ub ? TWO32 - B : B;
  const isDiv = has(IS_DIV);
  let absQ = 0;
  let absR = absA;
  let qWord = 0;
  let negQ = 0;
  let divZero = 0;
  const signXor = ua ^ ub;
  if (isDiv) {
    if (absB === 0) {
      divZero = 1;
      qWord = TWO32 - 1;
      negQ = signXor;
      absQ = negQ ? 1 : qWord;
      absR = absA;
    } else {
      absQ = Math.floor(absA / absB);
      absR = absA - absQ * absB;
      negQ = absQ !== 0 ? signXor : 0;
      qWord = negQ ? TWO32 - absQ : absQ;
    }
  }
  const negR = absR !== 0 ? ua : 0;
  const rWord = negR ? TWO32 - absR : absR;
  out[off + L.ua] = ua;
  out[off + L.ub] = ub;
  out[off + L.ubMul] = k === MULH ? b31 : 0;
  out[off + L.uab] = ua & ub;
  out[off + L.absA] = absA;
  out[off + L.absB] = absB;
  out[off + L.absQ] = absQ;
  out[off + L.absR] = absR;
  out[off + L.qWord] = qWord;
  out[off + L.rWord] = rWord;
  out[off + L.negQ] = negQ;
  out[off + L.negR] = negR;
  out[off + L.divZero] = divZero;

  let sumFull = 0;
  if (has(IS_ADDR)) sumFull = A + imm;
  else if (has(IS_CMP)) sumFull = A - B + TWO32;
  else if (isDiv) sumFull = absR - absB + TWO32;
  const cSum = sumFull >= TWO32 ? 1 : 0;
  const S = sumFull - cSum * TWO32;
  out[off + L.sum] = S;
  setBits(out, off, L.sBits, S);
  out[off + L.cSum] = cSum;
  let pop = 0;
  for (let i = 0; i < 32; i++) pop += (S >>> i) & 1;
  const sumIsZero = pop === 0 ? 1 : 0;
  out[off + L.sumIsZero] = sumIsZero;
  const popRange = pop - 1 + sumIsZero;
  for (let i = 0; i < 6; i++) out[off + L.popBits[i]] = (popRange >>> i) & 1;
  const ltu = 1 - cSum;
  const signsDiffer = a31 ^ b31;
  out[off + L.ltMix] = ltu & signsDiffer;
  const lts = ltu ^ signsDiffer;
  const brEq = k === BEQ || k === BNE ? sumIsZero : 0;
  const brLt = k === BLT || k === BGE ? lts : 0;
  const brLtu = k === BLTU || k === BGEU ? ltu : 0;
  const negate = k === BNE || k === BGE || k === BGEU ? 1 : 0;
  out[off + L.brEq] = brEq;
  out[off + L.brLt] = brLt;
  out[off + L.brLtu] = brLtu;
  out[off + L.taken] = (brEq | brLt | brLtu) ^ negate;

  // The multiplier: 2^shamt chains always, the product only on its rows.
  const sh = B & 31;
  let p = 1;
  let q = 1;
  for (let j = 0; j < 5; j++) {
    const bit = (sh >>> j) & 1;
    const e = 2 ** (2 ** j);
    p *= bit ? e : 1;
    q *= bit ? 1 : e;
    if (j >= 1 && j < 4) {
      out[off + L.powChain[j - 1]] = p;
      out[off + L.rpowChain[j - 1]] = q;
    }
  }
  out[off + L.pow] = p;
  out[off + L.rpow] = q;
  let mulB = 0;
  let lo = 0;
  let hi = 0;
  let neg = 0;
  if (has(MUL_FAM)) {
    mulB = B;
    lo = Math.imul(A, B) >>> 0;
    const hu = mulhu(A, B);
    if (k === MULH) hi = (hu - (a31 ? B : 0) - (b31 ? A : 0)) >>> 0;
    else if (k === MULHSU) hi = (hu - (a31 ? B : 0)) >>> 0;
    else hi = hu;
    neg = k === MULH || k === MULHSU ? hi >>> 31 : 0;
  } else if (has(SLL)) {
    mulB = p;
    lo = (A << sh) >>> 0;
    hi = sh === 0 ? 0 : A >>> (32 - sh);
  } else if (has(SRX)) {
    mulB = 2 * q;
    lo = sh === 0 ? 0 : (A << (32 - sh)) >>> 0;
    hi = has(SRA_I) ? (A >> sh) >>> 0 : A >>> sh;
    neg = has(SRA_I) ? a31 : 0;
  }
  out[off + L.mulB] = mulB;
  out[off + L.mulLo] = lo;
  out[off + L.mulHi] = hi;
  out[off + L.mulNeg] = neg;

  // Memory: byte muxes from memOld and the offset bits (zero when there is no access).
  const isMem = has(IS_LOAD) || has(IS_STORE);
  const memOld = isMem ? input!.memOld >>> 0 : 0;
  const memNew = isMem ? input!.memNew >>> 0 : 0;
  const s0 = S & 1;
  const s1 = (S >>> 1) & 1;
  out[off + L.memOld] = memOld;
  setBits(out, off, L.moBits, memOld);
  out[off + L.memNew] = memNew;
  out[off + L.memWord] = isMem ? S - s0 - 2 * s1 : 0;
  const selHalf = s1 ? memOld >>> 16 : memOld & 0xffff;
  const lowB = selHalf & 0xff;
  const selByte = s0 ? selHalf >>> 8 : lowB;
  const sgnH = selHalf >>> 15;
  const lowSgn = (lowB >>> 7) & 1;
  const sgnB = selByte >>> 7;
  out[off + L.selHalf] = selHalf;
  out[off + L.lowB] = lowB;
  out[off + L.selByte] = selByte;
  out[off + L.sgnH] = sgnH;
  out[off + L.lowSgn] = lowSgn;
  out[off + L.sgnB] = sgnB;
  out[off + L.place] = (1 + 255 * s0) * (1 + 65535 * s1);
  if (k === SB) {
    out[off + L.oldPart] = selByte;
    out[off + L.newPart] = B & 0xff;
  } else if (k === SH) {
    out[off + L.oldPart] = selHalf;
    out[off + L.newPart] = B & 0xffff;
  } else if (k === SW) {
    out[off + L.oldPart] = memOld;
    out[off + L.newPart] = B;
  }

  // The result, the auxiliary word and the carries.
  let res = 0;
  let aux = 0;
  let cAdd = 0;
  switch (k) {
    case ADD:
    case ADDI:
      cAdd = A + B >= TWO32 ? 1 : 0;
      res = A + B - cAdd * TWO32;
      break;
    case SUB:
      cAdd = A >= B ? 1 : 0;
      res = A - B + TWO32 - cAdd * TWO32;
      break;
    case AUIPC:
      cAdd = pc + imm >= TWO32 ? 1 : 0;
      res = pc + imm - cAdd * TWO32;
      break;
    case LUI:
      res = imm;
      break;
    case XOR:
    case XORI:
      res = (A ^ B) >>> 0;
      break;
    case OR:
    case ORI:
      res = (A | B) >>> 0;
      break;
    case AND:
    case ANDI:
      res = and;
      break;
    case SLT:
    case SLTI:
      res = lts;
      break;
    case SLTU:
    case SLTIU:
      res = ltu;
      break;
    case JAL:
    case JALR:
      res = pc + 4;
      break;
    case LB:
      res = sgnB ? (selByte | 0xffffff00) >>> 0 : selByte;
      break;
    case LBU:
      res = selByte;
      break;
    case LH:
      res = sgnH ? (selHalf | 0xffff0000) >>> 0 : selHalf;
      break;
    case LHU:
      res = selHalf;
      break;
    case LW:
      res = memOld;
      break;
    case DIV:
    case DIVU:
      res = qWord;
      aux = rWord;
      break;
    case REM:
    case REMU:
      res = rWord;
      aux = qWord;
      break;
    default:
      if (has(LOW_RES)) {
        res = lo;
        aux = hi;
      } else if (has(MUL_FAM) || has(SRX)) {
        res = hi;
        aux = lo;
      }
  }
  const writesReg = (writes && !rdZero) || ecRead === 1 || ecWrite === 1;
  // A written value comes from the trace: the block, not the generator, judges it.
  if (writesReg) res = input!.rdVal >>> 0;
  out[off + L.res] = res;
  setBits(out, off, L.rBits, res);
  out[off + L.aux] = aux;
  setBits(out, off, L.hBits, aux);
  out[off + L.cAdd] = cAdd;
  out[off + L.rdVal] = writesReg ? res : 0;
}

/** W as the builder takes it: Fr entries, zero for unset columns. */
export function toFr(values: Float64Array): Fr[] {
  const W = new Array<Fr>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    W[i] = v === 0 ? 0n : v === 1 ? 1n : BigInt(v);
  }
  return W;
}

export interface BlockWitness {
  readonly k: number;
  /** Row t, column j at t·m + j (m = shape.m, padded). */
  readonly values: Float64Array;
  readonly W: Fr[];
  readonly x: Fr[];
  readonly publicInputs: SegmentPublic;
}

export interface WitnessOptions {
  /** Keep W empty (only values), e.g. for timing the numeric part alone. */
  numericOnly?: boolean;
}

/**
 * The block witness of one segment: its `seg.length` trace rows followed by `padRows` padding
 * rows, 2^k rows in all. Padding rows must follow the exit ecall (the block enforces it).
 */
export function segmentWitness(
  seg: TraceSegment,
  padRows: number,
  options: WitnessOptions = {},
  block: CpuBlock = cpuBlock(),
): BlockWitness {
  const T = seg.length + padRows;
  const k = Math.log2(T);
  if (!Number.isInteger(k) || seg.length === 0)
    throw new RangeError(`${seg.length} rows + ${padRows} padding rows is not a power of two`);
  const m = block.shape.m;
  const L = block.layout;
  const values = new Float64Array(T * m);
  const input: RowInput = {
    pc: 0,
    instr: 0,
    nextPc: 0,
    rs1Val: 0,
    rs2Val: 0,
    rdVal: 0,
    memOld: 0,
    memNew: 0,
  };
  for (let r = 0; r < seg.length; r++) {
    input.pc = seg.pc[r];
    input.instr = seg.instr[r];
    input.nextPc = seg.nextPc[r];
    input.rs1Val = seg.rs1Val[r];
    input.rs2Val = seg.rs2Val[r];
    input.rdVal = seg.rdVal[r];
    input.memOld = seg.memOld[r];
    input.memNew = seg.memNew[r];
    fillRow(L, values, r * m, input);
  }
  const last = seg.length - 1;
  const endPc = seg.nextPc[last];
  for (let r = seg.length; r < T; r++) fillRow(L, values, r * m, null, endPc);
  const lastOff = (T - 1) * m;
  const publicInputs: SegmentPublic = {
    pcIn: seg.pc[0],
    pcOut: values[lastOff + L.nextPc],
    haltedIn: false,
    haltedOut: values[lastOff + L.pad] + values[lastOff + L.ecExit] === 1,
  };
  return {
    k,
    values,
    W: options.numericOnly ? [] : toFr(values),
    x: publicInputVector(publicInputs),
    publicInputs,
  };
}

/** A segment of 2^k padding rows only (after a run that exited at the end of a segment). */
export function padSegmentWitness(
  k: number,
  pc: number,
  block: CpuBlock = cpuBlock(),
): BlockWitness {
  const T = 2 ** k;
  const m = block.shape.m;
  const values = new Float64Array(T * m);
  for (let r = 0; r < T; r++) fillRow(block.layout, values, r * m, null, pc);
  const publicInputs: SegmentPublic = { pcIn: pc, pcOut: pc, haltedIn: true, haltedOut: true };
  return { k, values, W: toFr(values), x: publicInputVector(publicInputs), publicInputs };
}
