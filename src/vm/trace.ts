/**
 * One segment of the execution trace: up to 2^k consecutive retired instructions, stored as
 * struct-of-arrays (one Uint32Array per column) so the constraint system can commit to columns
 * directly. The layout is documented in docs/trace.md.
 */

/** memFlags bits 0..3: which bytes of the word at memAddr & ~3 the access touches. */
export const MEM_READ = 0x10;
export const MEM_WRITE = 0x20;

export class TraceSegment {
  /** Number of rows filled; rows length..capacity-1 are zero. */
  length = 0;
  readonly pc: Uint32Array;
  readonly instr: Uint32Array;
  readonly nextPc: Uint32Array;
  readonly rs1: Uint32Array;
  readonly rs1Val: Uint32Array;
  readonly rs2: Uint32Array;
  readonly rs2Val: Uint32Array;
  readonly rd: Uint32Array;
  readonly rdVal: Uint32Array;
  readonly memAddr: Uint32Array;
  readonly memOld: Uint32Array;
  readonly memNew: Uint32Array;
  readonly memFlags: Uint32Array;
  /** Side table: one row per ecall in this segment. */
  ecalls: EcallTable = emptyEcallTable();
  /** Side table: one row per memory word an I/O ecall read or wrote. */
  io: IoTable = emptyIoTable();

  constructor(
    readonly index: number,
    /** Global cycle number of row 0. */
    readonly startCycle: number,
    readonly capacity: number,
  ) {
    const col = (): Uint32Array => new Uint32Array(capacity);
    this.pc = col();
    this.instr = col();
    this.nextPc = col();
    this.rs1 = col();
    this.rs1Val = col();
    this.rs2 = col();
    this.rs2Val = col();
    this.rd = col();
    this.rdVal = col();
    this.memAddr = col();
    this.memOld = col();
    this.memNew = col();
    this.memFlags = col();
  }

  /** Column names in their documented order, for generic consumers (dumps, commitments). */
  static readonly COLUMNS = [
    'pc',
    'instr',
    'nextPc',
    'rs1',
    'rs1Val',
    'rs2',
    'rs2Val',
    'rd',
    'rdVal',
    'memAddr',
    'memOld',
    'memNew',
    'memFlags',
  ] as const;

  column(name: (typeof TraceSegment.COLUMNS)[number]): Uint32Array {
    return this[name];
  }
}

export interface EcallTable {
  /** Row index within the segment. */
  row: Uint32Array;
  /** a7 */
  number: Uint32Array;
  a0: Uint32Array;
  a1: Uint32Array;
  a2: Uint32Array;
  /** Value written to a0, or the exit code for exit. */
  result: Uint32Array;
}

export interface IoTable {
  row: Uint32Array;
  /** Word-aligned address. */
  addr: Uint32Array;
  old: Uint32Array;
  new: Uint32Array;
  /** Byte mask (bits 0..3) | MEM_READ (write ecall) | MEM_WRITE (read ecall). */
  flags: Uint32Array;
}

function emptyEcallTable(): EcallTable {
  const e = new Uint32Array(0);
  return { row: e, number: e, a0: e, a1: e, a2: e, result: e };
}

function emptyIoTable(): IoTable {
  const e = new Uint32Array(0);
  return { row: e, addr: e, old: e, new: e, flags: e };
}

/** Collects variable-length side tables in plain arrays, frozen into typed arrays at the end. */
export class SideTableBuilder {
  private ecallRows: number[][] = [[], [], [], [], [], []];
  private ioRows: number[][] = [[], [], [], [], []];

  ecall(row: number, num: number, a0: number, a1: number, a2: number, result: number): void {
    const c = this.ecallRows;
    c[0].push(row);
    c[1].push(num);
    c[2].push(a0);
    c[3].push(a1);
    c[4].push(a2);
    c[5].push(result);
  }

  io(row: number, addr: number, old: number, neu: number, flags: number): void {
    const c = this.ioRows;
    c[0].push(row);
    c[1].push(addr);
    c[2].push(old);
    c[3].push(neu);
    c[4].push(flags);
  }

  finish(seg: TraceSegment): void {
    const u = (a: number[]): Uint32Array => Uint32Array.from(a, (x) => x >>> 0);
    const e = this.ecallRows;
    seg.ecalls = {
      row: u(e[0]),
      number: u(e[1]),
      a0: u(e[2]),
      a1: u(e[3]),
      a2: u(e[4]),
      result: u(e[5]),
    };
    const i = this.ioRows;
    seg.io = { row: u(i[0]), addr: u(i[1]), old: u(i[2]), new: u(i[3]), flags: u(i[4]) };
  }
}
