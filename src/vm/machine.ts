import { Op } from './isa/opcodes';
import { decode } from './isa/decode';
import { MemoryLimits, PROGRAM_BASE, resolveMemoryLimits } from './memory-map';
import { ProgramImage } from './program-image';
import { VmFault, formatHex } from './fault';
import { MEM_READ, MEM_WRITE, SideTableBuilder, TraceSegment } from './trace';
import {
  EBADF,
  FD_DEBUG_LOG,
  FD_PRIVATE_INPUT,
  FD_PUBLIC_INPUT,
  FD_PUBLIC_OUTPUT,
  SYS_EXIT,
  SYS_EXIT_GROUP,
  SYS_READ,
  SYS_WRITE,
} from './syscalls';

export const DEFAULT_CYCLE_LIMIT = 2 ** 30;
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_DEBUG_LOG_BYTES = 1024 * 1024;

export interface MachineOptions {
  publicInput?: Uint8Array;
  privateInput?: Uint8Array;
  limits?: Partial<MemoryLimits>;
  /** Instructions retired before the run stops with status 'cycle-limit'. */
  cycleLimit?: number;
  maxOutputBytes?: number;
  maxDebugLogBytes?: number;
}

export type RunStatus = 'exited' | 'cycle-limit' | 'fault' | 'breakpoint';

export interface RunResult {
  status: RunStatus;
  /** a0 of the exit call as a signed 32-bit value (Linux and qemu keep only its low 8 bits). */
  exitCode: number | null;
  /** Retired instructions, including the final ecall. */
  cycles: number;
  /** pc of the exit call, of the faulting or breakpoint instruction, or the next pc at the limit. */
  pc: number;
  publicOutput: Uint8Array;
  debugLog: string;
  debugLogTruncated: boolean;
  fault: VmFault | null;
}

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  // The memory views alias one buffer and rely on the host's byte order matching RISC-V's.
  throw new Error('The VM requires a little-endian host.');
}

const I32_MIN = -0x80000000;

/** High 32 bits of the unsigned 64-bit product, by 16-bit limbs so every partial is exact. */
function mulhu(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

// Signed high products from the unsigned one: a negative operand x contributes x + 2^32, whose
// extra 2^32 * y term subtracts y from the high word.
function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}

const OP_SHIFT = 0;
const RD_SHIFT = 8;
const RS1_SHIFT = 16;
const RS2_SHIFT = 24;
/** x0 writes land in this extra slot, so reads of regs[0] stay 0 without a branch. */
const X0_SINK = 32;

/**
 * One RV32IM hart with its memory, inputs and outputs. Code is pre-decoded once into a packed
 * Int32Array (two words per instruction); stores into code are faults (W^X), so the pre-decoded
 * copy never goes stale, and the prover may likewise treat code as the fixed committed image.
 */
export class Machine {
  /** x0..x31, then the x0 sink. */
  readonly regs = new Int32Array(33);
  pc: number;
  cycles = 0;
  readonly limits: MemoryLimits;
  readonly cycleLimit: number;

  private readonly mem: ArrayBuffer;
  private readonly m8: Uint8Array;
  private readonly m8s: Int8Array;
  private readonly m16: Uint16Array;
  private readonly m16s: Int16Array;
  private readonly m32: Int32Array;
  /** Bytes from PROGRAM_BASE to memoryTop: the only addresses loads and stores may touch. */
  private readonly span: number;

  private readonly codeBase: number;
  private readonly codeWords: number;
  private readonly dec: Int32Array;
  private readonly raw: Uint32Array;
  /** [start, end) pairs of segments guest stores may not touch; protEnd bounds them all. */
  private readonly prot: number[] = [];
  private readonly protEnd: number;

  private readonly publicInput: Uint8Array;
  private readonly privateInput: Uint8Array;
  private publicCursor = 0;
  private privateCursor = 0;
  private output: Uint8Array = new Uint8Array(256);
  private outputLength = 0;
  private readonly maxOutput: number;
  private readonly debugBytes: number[] = [];
  private readonly maxDebug: number;
  private debugTruncated = false;

  private status: RunStatus | null = null;
  private exitCode: number | null = null;
  private fault: VmFault | null = null;
  private side: SideTableBuilder | null = null;

  constructor(image: ProgramImage, options: MachineOptions = {}) {
    this.limits = resolveMemoryLimits(options.limits);
    this.cycleLimit = options.cycleLimit ?? DEFAULT_CYCLE_LIMIT;
    this.publicInput = options.publicInput ?? new Uint8Array(0);
    this.privateInput = options.privateInput ?? new Uint8Array(0);
    this.maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.maxDebug = options.maxDebugLogBytes ?? DEFAULT_MAX_DEBUG_LOG_BYTES;

    const top = this.limits.memoryTop;
    this.mem = new ArrayBuffer(top);
    this.m8 = new Uint8Array(this.mem);
    this.m8s = new Int8Array(this.mem);
    this.m16 = new Uint16Array(this.mem);
    this.m16s = new Int16Array(this.mem);
    this.m32 = new Int32Array(this.mem);
    this.span = top - PROGRAM_BASE;

    let codeLo = Infinity;
    let codeHi = 0;
    let protEnd = 0;
    for (const s of image.segments) {
      if (s.vaddr < PROGRAM_BASE || s.vaddr + s.memSize > top || s.data.length > s.memSize) {
        throw new RangeError(
          `Segment at ${formatHex(s.vaddr)} (size ${s.memSize}) does not fit the memory map.`,
        );
      }
      this.m8.set(s.data, s.vaddr);
      if (s.executable) {
        codeLo = Math.min(codeLo, s.vaddr & ~3);
        codeHi = Math.max(codeHi, (s.vaddr + s.memSize + 3) & ~3);
      }
      if (s.executable || !s.writable) {
        this.prot.push(s.vaddr, s.vaddr + s.memSize);
        protEnd = Math.max(protEnd, s.vaddr + s.memSize);
      }
    }
    this.protEnd = protEnd;
    if (codeLo === Infinity) codeLo = codeHi = PROGRAM_BASE;
    this.codeBase = codeLo;
    this.codeWords = (codeHi - codeLo) >>> 2;
    this.dec = new Int32Array(this.codeWords * 2);
    this.raw = new Uint32Array(this.codeWords);
    for (let i = 0; i < this.codeWords; i++) this.dec[2 * i] = Op.NOEXEC;
    for (const s of image.segments) {
      if (!s.executable) continue;
      const first = Math.ceil(s.vaddr / 4) * 4;
      for (let a = first; a + 4 <= s.vaddr + s.memSize; a += 4) this.predecode(a);
    }

    this.pc = image.entry | 0;
    this.regs[2] = top;
  }

  private predecode(addr: number): void {
    const slot = (addr - this.codeBase) >>> 2;
    const word = this.m32[addr >>> 2] >>> 0;
    this.raw[slot] = word;
    const d = decode(word);
    let op: number;
    let rd = 0;
    let rs1 = 0;
    let rs2 = 0;
    let imm = 0;
    if (!d) {
      op = Op.ILLEGAL;
    } else {
      ({ op, rd, rs1, rs2, imm } = d);
      // Fold pc into immediates that are relative to it; pc is fixed for a code slot.
      if (d.spec.name === 'auipc') imm = (addr + imm) | 0;
      if (op === Op.JAL || (op >= Op.BEQ && op <= Op.BGEU)) imm = (addr + imm) | 0;
      if (op === Op.ECALL) {
        rs1 = 17;
        rs2 = 10;
      }
    }
    const hasRd =
      d !== null &&
      (d.spec.format === 'R' ||
        d.spec.format === 'I' ||
        d.spec.format === 'Ishift' ||
        d.spec.format === 'U' ||
        d.spec.format === 'J');
    const rdSlot = hasRd && rd !== 0 ? rd : X0_SINK;
    this.dec[2 * slot] =
      (op << OP_SHIFT) | (rdSlot << RD_SHIFT) | (rs1 << RS1_SHIFT) | (rs2 << RS2_SHIFT);
    this.dec[2 * slot + 1] = imm;
  }

  /** Runs without a trace until exit, fault, breakpoint or the cycle limit. */
  run(): RunResult {
    while (this.status === null) {
      const budget = this.cycleLimit - this.cycles;
      if (budget <= 0) {
        this.status = 'cycle-limit';
        break;
      }
      this.execute(budget, null);
    }
    return this.result();
  }

  /**
   * Runs with a trace, yielding one segment of at most 2^log2Rows rows at a time; the caller
   * decides whether to keep each segment, so memory stays bounded by what it keeps.
   */
  *traceSegments(log2Rows: number): Generator<TraceSegment, RunResult, void> {
    if (!Number.isInteger(log2Rows) || log2Rows < 0 || log2Rows > 24) {
      throw new RangeError(`Segment size must be 2^k rows with 0 <= k <= 24, got k = ${log2Rows}.`);
    }
    const capacity = 2 ** log2Rows;
    let index = 0;
    while (this.status === null) {
      const budget = Math.min(capacity, this.cycleLimit - this.cycles);
      if (budget <= 0) {
        this.status = 'cycle-limit';
        break;
      }
      const seg = new TraceSegment(index, this.cycles, capacity);
      this.side = new SideTableBuilder();
      this.execute(budget, seg);
      this.side.finish(seg);
      this.side = null;
      if (seg.length > 0) {
        index++;
        yield seg;
      }
    }
    return this.result();
  }

  result(): RunResult {
    return {
      status: this.status ?? 'cycle-limit',
      exitCode: this.exitCode,
      cycles: this.cycles,
      pc: this.pc >>> 0,
      publicOutput: this.output.slice(0, this.outputLength),
      debugLog: Buffer.from(this.debugBytes).toString('utf8'),
      debugLogTruncated: this.debugTruncated,
      fault: this.fault,
    };
  }

  /** Copies guest memory, for tests and tools; unmapped bytes read as an error. */
  readMemory(addr: number, length: number): Uint8Array {
    if (addr < PROGRAM_BASE || addr + length > this.limits.memoryTop) {
      throw new RangeError(`${formatHex(addr)}+${length} is outside guest memory.`);
    }
    return this.m8.slice(addr, addr + length);
  }

  private isProtected(addr: number, size: number): boolean {
    const p = this.prot;
    for (let i = 0; i < p.length; i += 2) if (addr < p[i + 1] && addr + size > p[i]) return true;
    return false;
  }

  private stop(fault: VmFault): void {
    this.fault = fault;
    this.status = 'fault';
  }

  private memFault(pc: number, addr: number, size: number, write: boolean): void {
    const code =
      (addr & (size - 1)) !== 0
        ? 'misaligned-access'
        : (addr - PROGRAM_BASE) >>> 0 >= this.span
          ? 'out-of-bounds'
          : 'write-protected';
    this.stop(VmFault.memory(code, pc, addr, size, write));
  }

  /**
   * The interpreter. One loop serves both modes: with seg === null every trace branch is
   * skipped, which V8 predicts perfectly, so the plain path pays a few untaken branches instead
   * of a second copy of every instruction's semantics.
   */
  private execute(budget: number, seg: TraceSegment | null): void {
    const regs = this.regs;
    const dec = this.dec;
    const m8 = this.m8;
    const m8s = this.m8s;
    const m16 = this.m16;
    const m16s = this.m16s;
    const m32 = this.m32;
    const span = this.span;
    const codeBase = this.codeBase;
    const codeWords = this.codeWords;
    const protEnd = this.protEnd;
    const T = seg !== null;
    let row = 0;
    let pc = this.pc;
    let n = 0;
    loop: while (n < budget) {
      const slot = (pc - codeBase) >>> 2;
      if (slot >= codeWords || pc < codeBase) {
        this.stop(
          new VmFault(
            'fetch-outside-code',
            pc,
            `Instruction fetch at pc ${formatHex(pc)} is outside every executable segment.`,
            pc >>> 0,
          ),
        );
        break;
      }
      const w = dec[slot << 1];
      const imm = dec[(slot << 1) + 1];
      const rd = (w >>> RD_SHIFT) & 63;
      const rs1 = (w >>> RS1_SHIFT) & 31;
      const rs2 = w >>> RS2_SHIFT;
      let next = pc + 4;
      if (T) {
        seg.pc[row] = pc;
        seg.instr[row] = this.raw[slot];
        seg.rs1[row] = rs1;
        seg.rs1Val[row] = regs[rs1];
        seg.rs2[row] = rs2;
        seg.rs2Val[row] = regs[rs2];
      }
      // Case labels are literal Op numbers: SWC compiles an imported const enum to property
      // loads, which would turn V8's jump table into a chain of compares. opcodes.spec.ts pins
      // each label to its Op member.
      switch (w & 0xff) {
        case 0 /* LUI */:
          regs[rd] = imm;
          break;
        case 1 /* JAL */:
          if ((imm & 3) !== 0) {
            this.misalignedJump(pc, imm);
            break loop;
          }
          regs[rd] = next;
          next = imm;
          break;
        case 2 /* JALR */: {
          const t = (regs[rs1] + imm) & ~1;
          if ((t & 3) !== 0) {
            this.misalignedJump(pc, t);
            break loop;
          }
          regs[rd] = next;
          next = t;
          break;
        }
        case 3 /* BEQ */:
          if (regs[rs1] === regs[rs2]) {
            if ((imm & 3) !== 0) {
              this.misalignedJump(pc, imm);
              break loop;
            }
            next = imm;
          }
          break;
        case 4 /* BNE */:
          if (regs[rs1] !== regs[rs2]) {
            if ((imm & 3) !== 0) {
              this.misalignedJump(pc, imm);
              break loop;
            }
            next = imm;
          }
          break;
        case 5 /* BLT */:
          if (regs[rs1] < regs[rs2]) {
            if ((imm & 3) !== 0) {
              this.misalignedJump(pc, imm);
              break loop;
            }
            next = imm;
          }
          break;
        case 6 /* BGE */:
          if (regs[rs1] >= regs[rs2]) {
            if ((imm & 3) !== 0) {
              this.misalignedJump(pc, imm);
              break loop;
            }
            next = imm;
          }
          break;
        case 7 /* BLTU */:
          if (regs[rs1] >>> 0 < regs[rs2] >>> 0) {
            if ((imm & 3) !== 0) {
              this.misalignedJump(pc, imm);
              break loop;
            }
            next = imm;
          }
          break;
        case 8 /* BGEU */:
          if (regs[rs1] >>> 0 >= regs[rs2] >>> 0) {
            if ((imm & 3) !== 0) {
              this.misalignedJump(pc, imm);
              break loop;
            }
            next = imm;
          }
          break;
        case 9 /* LB */: {
          const a = (regs[rs1] + imm) | 0;
          if ((a - PROGRAM_BASE) >>> 0 >= span) {
            this.memFault(pc, a, 1, false);
            break loop;
          }
          if (T) this.traceMem(seg, row, a, 1 << (a & 3), MEM_READ);
          regs[rd] = m8s[a];
          break;
        }
        case 12 /* LBU */: {
          const a = (regs[rs1] + imm) | 0;
          if ((a - PROGRAM_BASE) >>> 0 >= span) {
            this.memFault(pc, a, 1, false);
            break loop;
          }
          if (T) this.traceMem(seg, row, a, 1 << (a & 3), MEM_READ);
          regs[rd] = m8[a];
          break;
        }
        case 10 /* LH */: {
          const a = (regs[rs1] + imm) | 0;
          if ((a & 1) !== 0 || (a - PROGRAM_BASE) >>> 0 >= span) {
            this.memFault(pc, a, 2, false);
            break loop;
          }
          if (T) this.traceMem(seg, row, a, 3 << (a & 2), MEM_READ);
          regs[rd] = m16s[a >>> 1];
          break;
        }
        case 13 /* LHU */: {
          const a = (regs[rs1] + imm) | 0;
          if ((a & 1) !== 0 || (a - PROGRAM_BASE) >>> 0 >= span) {
            this.memFault(pc, a, 2, false);
            break loop;
          }
          if (T) this.traceMem(seg, row, a, 3 << (a & 2), MEM_READ);
          regs[rd] = m16[a >>> 1];
          break;
        }
        case 11 /* LW */: {
          const a = (regs[rs1] + imm) | 0;
          if ((a & 3) !== 0 || (a - PROGRAM_BASE) >>> 0 >= span) {
            this.memFault(pc, a, 4, false);
            break loop;
          }
          if (T) this.traceMem(seg, row, a, 15, MEM_READ);
          regs[rd] = m32[a >>> 2];
          break;
        }
        case 14 /* SB */: {
          const a = (regs[rs1] + imm) | 0;
          if ((a - PROGRAM_BASE) >>> 0 >= span || (a < protEnd && this.isProtected(a, 1))) {
            this.memFault(pc, a, 1, true);
            break loop;
          }
          if (T) this.traceMem(seg, row, a, 1 << (a & 3), MEM_WRITE);
          m8[a] = regs[rs2];
          if (T) seg.memNew[row] = m32[a >>> 2];
          break;
        }
        case 15 /* SH */: {
          const a = (regs[rs1] + imm) | 0;
          if (
            (a & 1) !== 0 ||
            (a - PROGRAM_BASE) >>> 0 >= span ||
            (a < protEnd && this.isProtected(a, 2))
          ) {
            this.memFault(pc, a, 2, true);
            break loop;
          }
          if (T) this.traceMem(seg, row, a, 3 << (a & 2), MEM_WRITE);
          m16[a >>> 1] = regs[rs2];
          if (T) seg.memNew[row] = m32[a >>> 2];
          break;
        }
        case 16 /* SW */: {
          const a = (regs[rs1] + imm) | 0;
          if (
            (a & 3) !== 0 ||
            (a - PROGRAM_BASE) >>> 0 >= span ||
            (a < protEnd && this.isProtected(a, 4))
          ) {
            this.memFault(pc, a, 4, true);
            break loop;
          }
          if (T) this.traceMem(seg, row, a, 15, MEM_WRITE);
          m32[a >>> 2] = regs[rs2];
          if (T) seg.memNew[row] = m32[a >>> 2];
          break;
        }
        case 17 /* ADDI */:
          regs[rd] = regs[rs1] + imm;
          break;
        case 18 /* SLTI */:
          regs[rd] = regs[rs1] < imm ? 1 : 0;
          break;
        case 19 /* SLTIU */:
          regs[rd] = regs[rs1] >>> 0 < imm >>> 0 ? 1 : 0;
          break;
        case 20 /* XORI */:
          regs[rd] = regs[rs1] ^ imm;
          break;
        case 21 /* ORI */:
          regs[rd] = regs[rs1] | imm;
          break;
        case 22 /* ANDI */:
          regs[rd] = regs[rs1] & imm;
          break;
        case 23 /* SLLI */:
          regs[rd] = regs[rs1] << imm;
          break;
        case 24 /* SRLI */:
          regs[rd] = regs[rs1] >>> imm;
          break;
        case 25 /* SRAI */:
          regs[rd] = regs[rs1] >> imm;
          break;
        case 26 /* ADD */:
          regs[rd] = regs[rs1] + regs[rs2];
          break;
        case 27 /* SUB */:
          regs[rd] = regs[rs1] - regs[rs2];
          break;
        // JS shift operators already use only the low 5 bits of the count, as RV32 requires.
        case 28 /* SLL */:
          regs[rd] = regs[rs1] << regs[rs2];
          break;
        case 29 /* SLT */:
          regs[rd] = regs[rs1] < regs[rs2] ? 1 : 0;
          break;
        case 30 /* SLTU */:
          regs[rd] = regs[rs1] >>> 0 < regs[rs2] >>> 0 ? 1 : 0;
          break;
        case 31 /* XOR */:
          regs[rd] = regs[rs1] ^ regs[rs2];
          break;
        case 32 /* SRL */:
          regs[rd] = regs[rs1] >>> regs[rs2];
          break;
        case 33 /* SRA */:
          regs[rd] = regs[rs1] >> regs[rs2];
          break;
        case 34 /* OR */:
          regs[rd] = regs[rs1] | regs[rs2];
          break;
        case 35 /* AND */:
          regs[rd] = regs[rs1] & regs[rs2];
          break;
        case 36 /* MUL */:
          regs[rd] = Math.imul(regs[rs1], regs[rs2]);
          break;
        case 37 /* MULH */:
          regs[rd] = mulh(regs[rs1], regs[rs2]);
          break;
        case 38 /* MULHSU */:
          regs[rd] = mulhsu(regs[rs1], regs[rs2]);
          break;
        case 39 /* MULHU */:
          regs[rd] = mulhu(regs[rs1], regs[rs2]);
          break;
        // Division by zero and INT_MIN / -1 have defined results in RISC-V (spec table 13.1).
        case 40 /* DIV */: {
          const x = regs[rs1];
          const y = regs[rs2];
          regs[rd] = y === 0 ? -1 : x === I32_MIN && y === -1 ? I32_MIN : x / y;
          break;
        }
        case 41 /* DIVU */: {
          const y = regs[rs2] >>> 0;
          regs[rd] = y === 0 ? -1 : (regs[rs1] >>> 0) / y;
          break;
        }
        case 42 /* REM */: {
          const x = regs[rs1];
          const y = regs[rs2];
          regs[rd] = y === 0 ? x : y === -1 ? 0 : x % y;
          break;
        }
        case 43 /* REMU */: {
          const y = regs[rs2] >>> 0;
          regs[rd] = y === 0 ? regs[rs1] : (regs[rs1] >>> 0) % y;
          break;
        }
        case 44 /* FENCE */:
          break;
        case 45 /* ECALL */: {
          const r = this.ecall(pc, T ? row : -1);
          if (r === ECALL_FAULT) break loop;
          if (r === ECALL_EXIT) {
            next = pc;
            if (T) {
              seg.rd[row] = 0;
              seg.rdVal[row] = 0;
              seg.nextPc[row] = pc;
              row++;
            }
            n++;
            break loop;
          }
          if (T) {
            seg.rd[row] = 10;
            seg.rdVal[row] = regs[10];
            seg.nextPc[row] = next;
            row++;
          }
          pc = next;
          n++;
          continue loop;
        }
        case 46 /* EBREAK */:
          this.status = 'breakpoint';
          break loop;
        case 47 /* ILLEGAL */:
          this.stop(VmFault.illegal(pc, this.raw[slot]));
          break loop;
        default:
          this.stop(
            new VmFault(
              'fetch-outside-code',
              pc,
              `Instruction fetch at pc ${formatHex(pc)} is outside every executable segment.`,
              pc >>> 0,
            ),
          );
          break loop;
      }
      if (T) {
        seg.rd[row] = rd === X0_SINK ? 0 : rd;
        seg.rdVal[row] = rd === X0_SINK ? 0 : regs[rd];
        seg.nextPc[row] = next;
        row++;
      }
      pc = next;
      n++;
    }
    this.pc = pc;
    this.cycles += n;
    if (T) seg.length = row;
  }

  private traceMem(seg: TraceSegment, row: number, a: number, mask: number, flags: number): void {
    const word = this.m32[a >>> 2];
    seg.memAddr[row] = a;
    seg.memOld[row] = word;
    seg.memNew[row] = word;
    seg.memFlags[row] = mask | flags;
  }

  private misalignedJump(pc: number, target: number): void {
    this.stop(
      new VmFault(
        'misaligned-fetch',
        pc,
        `Jump at pc ${formatHex(pc)} targets ${formatHex(target)}, which is not 4-byte aligned.`,
        target >>> 0,
      ),
    );
  }

  /** Handles one ecall; row >= 0 when tracing. Returns ECALL_CONTINUE, ECALL_EXIT or ECALL_FAULT. */
  private ecall(pc: number, row: number): number {
    const regs = this.regs;
    const num = regs[17];
    const a0 = regs[10];
    const a1 = regs[11];
    const a2 = regs[12];
    // Side-table rows are written only once the call has succeeded, so a faulting ecall leaves
    // no trace of itself, like any faulting instruction.
    const side = row >= 0 ? this.side : null;
    switch (num) {
      case SYS_EXIT:
      case SYS_EXIT_GROUP:
        this.exitCode = a0;
        this.status = 'exited';
        if (side) side.ecall(row, num, a0, a1, a2, a0);
        return ECALL_EXIT;
      case SYS_READ: {
        let result: number;
        if (a0 === FD_PUBLIC_INPUT || a0 === FD_PRIVATE_INPUT) {
          const pub = a0 === FD_PUBLIC_INPUT;
          const src = pub ? this.publicInput : this.privateInput;
          const cursor = pub ? this.publicCursor : this.privateCursor;
          const n = Math.min(a2 >>> 0, src.length - cursor);
          if (n > 0 && !this.checkBuffer(pc, a1, n, true)) return ECALL_FAULT;
          if (side) this.traceIo(row, a1 >>> 0, n, MEM_WRITE, src.subarray(cursor, cursor + n));
          else this.m8.set(src.subarray(cursor, cursor + n), a1 >>> 0);
          if (pub) this.publicCursor += n;
          else this.privateCursor += n;
          result = n;
        } else {
          result = -EBADF;
        }
        regs[10] = result;
        if (side) side.ecall(row, num, a0, a1, a2, result);
        return ECALL_CONTINUE;
      }
      case SYS_WRITE: {
        let result: number;
        if (a0 === FD_PUBLIC_OUTPUT || a0 === FD_DEBUG_LOG) {
          const n = a2 >>> 0;
          if (n > 0 && !this.checkBuffer(pc, a1, n, false)) return ECALL_FAULT;
          const bytes = this.m8.subarray(a1 >>> 0, (a1 >>> 0) + n);
          if (a0 === FD_PUBLIC_OUTPUT) {
            if (!this.appendOutput(pc, bytes)) return ECALL_FAULT;
          } else {
            this.appendDebug(bytes);
          }
          if (side) this.traceIo(row, a1 >>> 0, n, MEM_READ, null);
          result = n;
        } else {
          result = -EBADF;
        }
        regs[10] = result;
        if (side) side.ecall(row, num, a0, a1, a2, result);
        return ECALL_CONTINUE;
      }
      default:
        this.stop(
          new VmFault(
            'unknown-ecall',
            pc,
            `Unknown ecall ${num} (a7) at pc ${formatHex(pc)}; see docs/guest-abi.md for the calls the VM provides.`,
          ),
        );
        return ECALL_FAULT;
    }
  }

  private checkBuffer(pc: number, addr: number, n: number, write: boolean): boolean {
    const a = addr >>> 0;
    if (a < PROGRAM_BASE || a + n > this.limits.memoryTop) {
      this.stop(
        new VmFault(
          'out-of-bounds',
          pc,
          `Ecall at pc ${formatHex(pc)}: buffer ${formatHex(a)}..${formatHex(a + n)} is outside mapped memory.`,
          a,
        ),
      );
      return false;
    }
    if (write && a < this.protEnd && this.isProtected(a, n)) {
      this.stop(
        new VmFault(
          'write-protected',
          pc,
          `Ecall at pc ${formatHex(pc)}: buffer ${formatHex(a)}..${formatHex(a + n)} overlaps a read-only or executable segment.`,
          a,
        ),
      );
      return false;
    }
    return true;
  }

  /**
   * Records one io row per touched word and, for reads from an input, performs the copy word by
   * word so old and new word values are both known.
   */
  private traceIo(row: number, a: number, n: number, flags: number, src: Uint8Array | null): void {
    const side = this.side!;
    const m8 = this.m8;
    const m32 = this.m32;
    let i = 0;
    while (i < n) {
      const word = (a + i) & ~3;
      const old = m32[word >>> 2];
      let mask = 0;
      for (let b = (a + i) & 3; b < 4 && i < n; b++, i++) {
        mask |= 1 << b;
        if (src) m8[word + b] = src[i];
      }
      side.io(row, word, old, m32[word >>> 2], mask | flags);
    }
  }

  private appendOutput(pc: number, bytes: Uint8Array): boolean {
    const need = this.outputLength + bytes.length;
    if (need > this.maxOutput) {
      this.stop(
        new VmFault(
          'output-too-large',
          pc,
          `Write at pc ${formatHex(pc)} would grow the public output past its limit of ${this.maxOutput} bytes.`,
        ),
      );
      return false;
    }
    if (need > this.output.length) {
      const grown = new Uint8Array(Math.max(need, this.output.length * 2));
      grown.set(this.output.subarray(0, this.outputLength));
      this.output = grown;
    }
    this.output.set(bytes, this.outputLength);
    this.outputLength = need;
    return true;
  }

  private appendDebug(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (this.debugBytes.length >= this.maxDebug) {
        this.debugTruncated = true;
        return;
      }
      this.debugBytes.push(b);
    }
  }
}

const ECALL_CONTINUE = 0;
const ECALL_EXIT = 1;
const ECALL_FAULT = 2;

/** Loads an image, runs it without a trace, and returns the result. */
export function runProgram(image: ProgramImage, options: MachineOptions = {}): RunResult {
  return new Machine(image, options).run();
}
