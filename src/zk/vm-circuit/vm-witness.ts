/**
 * Witness of the stage-2 block (memory.ts, docs/vm-circuit.md §4) for a whole run: circuit rows
 * (trace rows, each I/O ecall followed by one continuation row per word its `io` side table
 * lists, docs/trace.md), the exec tuples of every row's access slots, the sorted lane (exec
 * entries, prologue and epilogue sorted by (key, ts), in the sorted-permutation form of Cairo,
 * ePrint 2021/1063 §9.7), the split into segments with their boundary values, and phase 2 (the
 * fingerprints and running products) once the challenges are known.
 *
 * Phase-1 values are plain numbers in one Float64Array per segment (every honest value is a
 * non-negative integer below 2^34), as in witness.ts; phase 2 is computed from those numbers
 * alone, so a test that edits them gets the phase 2 an honest algorithm would commit to.
 */
import { Fr, FR_MODULUS } from '../field/fr';
import { FrVec, frVecFromIntegers, frVecToBigints } from '../field/fr-vec';
import { Machine, MachineOptions, RunResult } from '../../vm/machine';
import { ProgramImage } from '../../vm/program-image';
import { resolveMemoryLimits } from '../../vm/memory-map';
import { KEY_BASE } from './spaces';
import { fillMapRow, writeFloor } from './map-rules';
import { CpuLayout } from './cpu-block';
import { Lin } from './lin';
import {
  KEY_BITS,
  SLOTS,
  TS_STRIDE,
  VM_PUBLIC_INPUTS,
  VmBlock,
  VmPublicName,
  vmBlock,
} from './memory';
import {
  MemoryEntry,
  MemoryStatement,
  SegmentPublics,
  epilogueEntries,
  prologueEntries,
  sortedCapacity,
} from './statement';
import { RowInput, fillRow } from './witness';
import { IO_STATE, IoLayout, IoStateName } from './io-rows';
import {
  FD_DEBUG_LOG,
  FD_PRIVATE_INPUT,
  FD_PUBLIC_INPUT,
  FD_PUBLIC_OUTPUT,
  SYS_READ,
  SYS_WRITE,
} from '../../vm/syscalls';

const P = FR_MODULUS;

/** Growable columns of u32 values. */
class U32Columns {
  length = 0;
  cols: Uint32Array[];
  constructor(count: number) {
    this.cols = Array.from({ length: count }, () => new Uint32Array(1024));
  }
  push(values: readonly number[]): void {
    if (this.length === this.cols[0].length) {
      this.cols = this.cols.map((c) => {
        const g = new Uint32Array(c.length * 2);
        g.set(c);
        return g;
      });
    }
    for (let i = 0; i < values.length; i++) this.cols[i][this.length] = values[i];
    this.length++;
  }
}

const ROW_FIELDS = 12;
// Column order of CircuitRows.
const F_KIND = 0;
const F_PC = 1;
const F_INSTR = 2;
const F_NEXT = 3;
const F_RS1 = 4;
const F_RS2 = 5;
const F_RD = 6;
const F_OLD = 7;
const F_NEW = 8;
const F_ADDR = 9;
const F_BUF = 10;
const F_LEN = 11;

export const ROW_INSTR = 0;
export const ROW_CONT = 1;

/** The circuit rows of a run: instruction rows and continuation rows, struct-of-arrays. */
export interface CircuitRows {
  readonly length: number;
  readonly kind: Uint32Array;
  readonly pc: Uint32Array;
  readonly instr: Uint32Array;
  readonly nextPc: Uint32Array;
  readonly rs1Val: Uint32Array;
  readonly rs2Val: Uint32Array;
  readonly rdVal: Uint32Array;
  readonly memOld: Uint32Array;
  readonly memNew: Uint32Array;
  /** Word address of a continuation row. */
  readonly addr: Uint32Array;
  /** a1 and a2 of an I/O ecall row. */
  readonly buf: Uint32Array;
  readonly len: Uint32Array;
  /** What the run read and wrote: the tapes' contents and lengths. */
  readonly publicInput: Uint8Array;
  readonly privateInputLength: number;
  readonly publicOutput: Uint8Array;
}

/** Runs the program with a trace and expands I/O ecalls into continuation rows. */
export function circuitRows(
  image: ProgramImage,
  options: MachineOptions = {},
): { rows: CircuitRows; result: RunResult } {
  const out = new U32Columns(ROW_FIELDS);
  const gen = new Machine(image, options).traceSegments(16);
  let step = gen.next();
  for (; !step.done; step = gen.next()) {
    const seg = step.value;
    const io = seg.io;
    const ec = seg.ecalls;
    let j = 0;
    let e = 0;
    for (let r = 0; r < seg.length; r++) {
      let buf = 0;
      let len = 0;
      let moves = false;
      if (e < ec.row.length && ec.row[e] === r) {
        const num = ec.number[e];
        if (num === SYS_READ || num === SYS_WRITE) {
          buf = ec.a1[e];
          len = ec.a2[e];
          // The debug log is not part of the statement: its words need no continuation rows.
          moves = !(num === SYS_WRITE && ec.a0[e] === FD_DEBUG_LOG);
        }
        e++;
      }
      out.push([
        ROW_INSTR,
        seg.pc[r],
        seg.instr[r],
        seg.nextPc[r],
        seg.rs1Val[r],
        seg.rs2Val[r],
        seg.rdVal[r],
        seg.memOld[r],
        seg.memNew[r],
        0,
        buf,
        len,
      ]);
      for (; j < io.row.length && io.row[j] === r; j++) {
        const pc = seg.nextPc[r];
        if (moves) out.push([ROW_CONT, pc, 0, pc, 0, 0, 0, io.old[j], io.new[j], io.addr[j], 0, 0]);
      }
    }
  }
  const n = out.length;
  const c = out.cols.map((col) => col.subarray(0, n));
  return {
    rows: {
      length: n,
      kind: c[F_KIND],
      pc: c[F_PC],
      instr: c[F_INSTR],
      nextPc: c[F_NEXT],
      rs1Val: c[F_RS1],
      rs2Val: c[F_RS2],
      rdVal: c[F_RD],
      memOld: c[F_OLD],
      memNew: c[F_NEW],
      addr: c[F_ADDR],
      buf: c[F_BUF],
      len: c[F_LEN],
      publicInput: options.publicInput ?? new Uint8Array(0),
      privateInputLength: options.privateInput?.length ?? 0,
      publicOutput: step.value.publicOutput,
    },
    result: step.value,
  };
}

/**
 * A continuation row: it moves one guest word (slots 3/4 of the memory argument). Written as a
 * padding row at `pc` and then given the flag, the word address (through the sum unit, whose
 * bits make it aligned), the old and new word with their range checks, and the byte muxes that
 * every row computes from memOld.
 */
export function fillContinuation(
  L: CpuLayout,
  out: Float64Array,
  off: number,
  pc: number,
  addr: number,
  old: number,
  neu: number,
): void {
  fillRow(L, out, off, null, pc);
  out[off + L.pad] = 0;
  out[off + L.cont] = 1;
  const a = addr >>> 0;
  out[off + L.sum] = a;
  let pop = 0;
  for (let i = 0; i < 32; i++) {
    const b = (a >>> i) & 1;
    out[off + L.sBits[i]] = b;
    pop += b;
  }
  const zero = pop === 0 ? 1 : 0;
  out[off + L.sumIsZero] = zero;
  for (let i = 0; i < 6; i++) out[off + L.popBits[i]] = ((pop - 1 + zero) >>> i) & 1;
  out[off + L.memWord] = a;
  out[off + L.memOld] = old >>> 0;
  for (let i = 0; i < 32; i++) out[off + L.moBits[i]] = (old >>> i) & 1;
  out[off + L.memNew] = neu >>> 0;
  out[off + L.res] = neu >>> 0;
  for (let i = 0; i < 32; i++) out[off + L.rBits[i]] = (neu >>> i) & 1;
  // Offset 0: the muxes select the low half and byte of memOld; memNew − memOld is carried by
  // newPart − oldPart (place = 1), which no rule of a continuation row otherwise reads.
  const o = old >>> 0;
  out[off + L.selHalf] = o & 0xffff;
  out[off + L.lowB] = o & 0xff;
  out[off + L.selByte] = o & 0xff;
  out[off + L.sgnH] = (o >>> 15) & 1;
  out[off + L.lowSgn] = (o >>> 7) & 1;
  out[off + L.sgnB] = (o >>> 7) & 1;
  out[off + L.oldPart] = o;
  out[off + L.newPart] = neu >>> 0;
}

/** A linear combination compiled for evaluation on a row of numbers. */
interface Compiled {
  cols: Int32Array;
  coeffs: Float64Array;
  constant: number;
}
function compile(l: Lin): Compiled {
  const t = l.rowTerms();
  return {
    cols: Int32Array.from(t.cols),
    coeffs: Float64Array.from(t.coeffs),
    constant: t.constant,
  };
}
function evalAt(c: Compiled, v: Float64Array, off: number): number {
  let acc = c.constant;
  for (let i = 0; i < c.cols.length; i++) acc += c.coeffs[i] * v[off + c.cols[i]];
  return acc;
}

interface CompiledSlot {
  active: Compiled;
  key: Compiled;
  value: Compiled;
  write: Compiled;
}
const compiledSlots = new WeakMap<VmBlock, CompiledSlot[]>();
function slotsOf(block: VmBlock): CompiledSlot[] {
  let c = compiledSlots.get(block);
  if (!c) {
    c = block.mem.exec.map((e) => ({
      active: compile(e.slot.active),
      key: compile(e.slot.key),
      value: compile(e.slot.value),
      write: compile(e.slot.write),
    }));
    compiledSlots.set(block, c);
  }
  return c;
}

/** One segment's phase-1 witness and its phase-1 public inputs. */
export interface SegmentWitness1 {
  readonly index: number;
  readonly k: number;
  /** Row t, column j at t·m + j; phase-2 columns are 0 here. */
  readonly values: Float64Array;
}

/** A run ready for segment witnesses: exec tuples gathered, the sorted lane laid out. */
export interface VmRun {
  readonly block: VmBlock;
  readonly k: number;
  readonly segments: number;
  readonly rows: CircuitRows;
  readonly statement: MemoryStatement;
  /** The sorted list (exec entries with prologue and epilogue), struct-of-arrays. */
  readonly sorted: {
    key: Float64Array;
    value: Uint32Array;
    ts: Float64Array;
    isWrite: Uint8Array;
    length: number;
  };
  /** Number of active exec entries, and of prologue + epilogue entries. */
  readonly execEntries: number;
  readonly boundaryEntries: number;
  /** I/O state at rows 0, 2^k, 2·2^k, … of the trace, and after its last row. */
  readonly ioStates: readonly IoState[];
  readonly finalIoState: IoState;
  /** Instructions retired before rows 0, 2^k, 2·2^k, … of the trace. */
  readonly cyclesAt: readonly number[];
}

/**
 * A run as plain data for worker threads: every large array on a SharedArrayBuffer, so posting
 * it to a thread copies no trace (the threads compute segment values themselves instead of
 * receiving them), and no block (a thread builds its own, vmBlock()).
 */
export type SharedRun = Omit<VmRun, 'block'>;

function shared<T extends Uint32Array | Float64Array | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const C = a.constructor as new (b: SharedArrayBuffer, o: number, n: number) => T;
  const out = new C(new SharedArrayBuffer(a.byteLength), 0, a.length);
  out.set(a as never);
  return out;
}

/** The run with its trace and sorted lane moved to shared memory (once; idempotent). */
export function shareRun(run: VmRun): SharedRun {
  const r = run.rows;
  const rows: CircuitRows = {
    ...r,
    kind: shared(r.kind),
    pc: shared(r.pc),
    instr: shared(r.instr),
    nextPc: shared(r.nextPc),
    rs1Val: shared(r.rs1Val),
    rs2Val: shared(r.rs2Val),
    rdVal: shared(r.rdVal),
    memOld: shared(r.memOld),
    memNew: shared(r.memNew),
    addr: shared(r.addr),
    buf: shared(r.buf),
    len: shared(r.len),
  };
  const so = run.sorted;
  const { block: _block, ...rest } = run;
  return {
    ...rest,
    rows,
    sorted: {
      key: shared(so.key),
      value: shared(so.value),
      ts: shared(so.ts),
      isWrite: shared(so.isWrite),
      length: so.length,
    },
  };
}

/** A shared run with this thread's block attached. */
export function attachBlock(run: SharedRun | VmRun, block: VmBlock = vmBlock()): VmRun {
  return 'block' in run ? run : { ...run, block };
}

export interface VmRunOptions {
  /** Extra all-padding segments beyond the minimum (the minimum fits rows and sorted entries). */
  extraSegments?: number;
}

/**
 * Traces `image` on `options`, lays out segments of 2^k rows and sorts the memory entries. The
 * run must exit (its last segment ends halted).
 */
export function prepareRun(
  image: ProgramImage,
  options: MachineOptions,
  k: number,
  runOptions: VmRunOptions = {},
  block: VmBlock = vmBlock(),
): VmRun {
  const { rows, result } = circuitRows(image, options);
  if (result.status !== 'exited') throw new Error(`the run did not exit (${result.status})`);
  const memoryTop = resolveMemoryLimits(options.limits).memoryTop;
  return layoutRun(rows, image, memoryTop, result.exitCode ?? 0, k, runOptions, block);
}

/**
 * The prover's algorithm on given circuit rows (which a test may have altered): exec tuples,
 * the number of segments, the sorted list with the prologue and epilogue.
 */
export function layoutRun(
  rows: CircuitRows,
  image: ProgramImage,
  memoryTop: number,
  exitCode: number,
  k: number,
  runOptions: VmRunOptions = {},
  block: VmBlock = vmBlock(),
): VmRun {
  const T = 2 ** k;
  const m = block.shape.m;
  const L = block.cpu;
  const slots = slotsOf(block);

  // Exec tuples of every row (global row g = 1 + index; padding rows have none).
  const n = rows.length;
  const cap = n * SLOTS;
  const eKey = new Float64Array(cap);
  const eVal = new Uint32Array(cap);
  const eTs = new Float64Array(cap);
  const eW = new Uint8Array(cap);
  let count = 0;
  const scratch = new Float64Array(m);
  const input: RowInput = rowInputScratch();
  const st = initialIoState(rows);
  // The I/O state at the start of every 2^k rows (and after the last row, for padding).
  const ioStates: IoState[] = [];
  const cyclesAt: number[] = [];
  let cycles = 0;
  // Rows and I/O columns come first in the block; only they are written in this pass.
  const rowColumns = Math.max(...Object.values(block.io.stateN)) + 1;
  for (let r = 0; r < n; r++) {
    if (r % T === 0) {
      ioStates.push(Float64Array.from(st));
      cyclesAt.push(cycles);
    }
    if (rows.kind[r] === ROW_INSTR) cycles++;
    scratch.fill(0, 0, rowColumns);
    fillCircuitRow(L, scratch, 0, rows, r, input);
    fillIo(L, block.io, scratch, 0, rows, r, st);
    for (let s = 0; s < SLOTS; s++) {
      const cs = slots[s];
      if (evalAt(cs.active, scratch, 0) === 0) continue;
      eKey[count] = evalAt(cs.key, scratch, 0);
      eVal[count] = evalAt(cs.value, scratch, 0);
      eTs[count] = TS_STRIDE * (1 + r) + s;
      eW[count] = evalAt(cs.write, scratch, 0);
      count++;
    }
  }
  const execEntries = count;
  const finalIoState = Float64Array.from(st);

  // Segments: enough rows for the trace, enough sorted slots for every entry.
  const prologue = prologueEntries(image, memoryTop, rows.publicInput);
  let segments = Math.max(1, Math.ceil(n / T));
  const boundaryCount = prologue.length + 1 + rows.publicOutput.length;
  while (sortedCapacity(segments, k) < execEntries + boundaryCount) segments++;
  segments += runOptions.extraSegments ?? 0;
  const statement: MemoryStatement = {
    image,
    memoryTop,
    exitCode: exitCode >>> 0,
    cycles,
    publicInput: rows.publicInput,
    publicOutput: rows.publicOutput,
    segments,
    k,
  };
  const boundary: MemoryEntry[] = [
    ...prologue,
    ...epilogueEntries(statement.exitCode, rows.publicOutput, segments, k),
  ];

  // The sorted list, ordered by (key, ts). Laid out as prologue (ts 0), exec entries (in ts
  // order, as generated) and epilogue (the end ts), the list is already in ts order, so a
  // stable sort by key alone is enough: two counting passes over 17-bit digits of the key.
  const prologueCount = prologue.length;
  const total = execEntries + boundary.length;
  const key = new Float64Array(total);
  const value = new Uint32Array(total);
  const ts = new Float64Array(total);
  const isWrite = new Uint8Array(total);
  const put = (at: number, e: MemoryEntry): void => {
    key[at] = e.key;
    value[at] = e.value;
    ts[at] = e.ts;
    isWrite[at] = e.isWrite;
  };
  prologue.forEach((e, i) => put(i, e));
  key.set(eKey.subarray(0, execEntries), prologueCount);
  value.set(eVal.subarray(0, execEntries), prologueCount);
  ts.set(eTs.subarray(0, execEntries), prologueCount);
  isWrite.set(eW.subarray(0, execEntries), prologueCount);
  boundary.slice(prologueCount).forEach((e, i) => put(prologueCount + execEntries + i, e));
  const order = stableSortByKey(key);
  for (let i = 1; i < total; i++) {
    const a = order[i - 1];
    const c = order[i];
    if (key[a] > key[c] || (key[a] === key[c] && ts[a] >= ts[c]))
      throw new Error(`memory entries out of (key, ts) order at ${i}`);
  }
  const sorted = {
    key: Float64Array.from(order, (i) => key[i]),
    value: Uint32Array.from(order, (i) => value[i]),
    ts: Float64Array.from(order, (i) => ts[i]),
    isWrite: Uint8Array.from(order, (i) => isWrite[i]),
    length: total,
  };
  return {
    block,
    k,
    segments,
    rows,
    statement,
    sorted,
    execEntries,
    boundaryEntries: boundary.length,
    ioStates,
    finalIoState,
    cyclesAt,
  };
}

/** Indices of `key` (integers below 2^34) in stable key order: LSD radix, two 17-bit digits. */
function stableSortByKey(key: Float64Array): Uint32Array {
  const n = key.length;
  const DIGIT = 2 ** 17;
  const low = new Uint32Array(n);
  const high = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = Math.floor(key[i] / DIGIT);
    high[i] = h;
    low[i] = key[i] - h * DIGIT;
  }
  let from = new Uint32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  let to = new Uint32Array(n);
  const count = new Uint32Array(DIGIT + 1);
  for (const digit of [low, high]) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[digit[i] + 1]++;
    for (let d = 0; d < DIGIT; d++) count[d + 1] += count[d];
    for (let i = 0; i < n; i++) {
      const j = from[i];
      to[count[digit[j]]++] = j;
    }
    [from, to] = [to, from];
  }
  return from;
}

function rowInputScratch(): RowInput {
  return { pc: 0, instr: 0, nextPc: 0, rs1Val: 0, rs2Val: 0, rdVal: 0, memOld: 0, memNew: 0 };
}

/** The carried I/O state (io-rows.ts), in IO_STATE order. */
export type IoState = Float64Array;
const S_PUB_CUR = 0;
const S_PRIV_CUR = 1;
const S_OUT_CUR = 2;
const S_PUB_LEN = 3;
const S_PRIV_LEN = 4;
const S_ADDR = 5;
const S_LEFT = 6;
const S_POS = 7;
const S_PUB = 8;
const S_PRIV = 9;
const S_OUT = 10;

/** Scratch for the out state of fillIo (one row at a time, no allocation per row). */
const NEXT_STATE = new Float64Array(IO_STATE.length);

function initialIoState(rows: CircuitRows): IoState {
  const st = new Float64Array(IO_STATE.length);
  st[S_PUB_LEN] = rows.publicInput.length;
  st[S_PRIV_LEN] = rows.privateInputLength;
  return st;
}

/**
 * Writes the I/O columns of a row already filled by fillRow/fillContinuation (or a padding row):
 * the header's kind, buf, len, min(len, left) through the sum unit, or the continuation's bytes
 * and tape keys; then the state in and out, and advances `st` to the out state.
 */
export function fillIo(
  L: CpuLayout,
  IO: IoLayout,
  out: Float64Array,
  off: number,
  rows: CircuitRows | null,
  r: number,
  st: IoState,
): void {
  const n = IO_STATE.length;
  for (let i = 0; i < n; i++) out[off + IO.state[IO_STATE[i]]] = st[i];
  const next = NEXT_STATE;
  next.set(st);
  next[S_ADDR] = 0;
  next[S_LEFT] = 0;
  next[S_POS] = 0;
  next[S_PUB] = 0;
  next[S_PRIV] = 0;
  next[S_OUT] = 0;
  out[off + IO.fdLow] = out[off + L.bBits[0]] * out[off + L.bBits[1]];
  const isEcallIo =
    rows !== null &&
    rows.kind[r] === ROW_INSTR &&
    (out[off + L.ecRead] === 1 || out[off + L.ecWrite] === 1);
  if (isEcallIo) {
    const fd = out[off + L.rs2Val];
    const read = out[off + L.ecRead] === 1;
    const rdPub = read && fd === FD_PUBLIC_INPUT ? 1 : 0;
    const rdPriv = read && fd === FD_PRIVATE_INPUT ? 1 : 0;
    const wrOut = !read && fd === FD_PUBLIC_OUTPUT ? 1 : 0;
    const wrLog = !read && fd === FD_DEBUG_LOG ? 1 : 0;
    out[off + IO.rdPub] = rdPub;
    out[off + IO.rdPriv] = rdPriv;
    out[off + IO.wrOut] = wrOut;
    out[off + IO.wrLog] = wrLog;
    if (rdPub + rdPriv + wrOut + wrLog === 0) {
      // An undefined descriptor: the sum unit shows it is none of the defined ones.
      const b0 = fd & 1;
      const b1 = (fd >>> 1) & 1;
      out[off + (read ? IO.badRead : IO.badWrite)] = 1;
      setSum(L, out, off, read ? fd - 3 * b0 * b1 : fd - 2 * b0 - 3 * b1 + 2 * b0 * b1 + 1, 0);
    }
    const buf = rows.buf[r];
    const len = rows.len[r];
    out[off + IO.buf] = buf;
    out[off + IO.len] = len;
    const res = out[off + L.res];
    if (rdPub || rdPriv) {
      const left = rdPub ? st[S_PUB_LEN] - st[S_PUB_CUR] : st[S_PRIV_LEN] - st[S_PRIV_CUR];
      out[off + IO.left] = left;
      const full = len - left + 2 ** 32;
      const carry = full >= 2 ** 32 ? 1 : 0;
      setSum(L, out, off, full - carry * 2 ** 32, carry);
      out[off + IO.minSel] = carry * (len - left);
    }
    const tape = rdPub ? S_PUB_CUR : rdPriv ? S_PRIV_CUR : wrOut ? S_OUT_CUR : -1;
    if (tape >= 0) {
      next[tape] = st[tape] + res;
      next[S_ADDR] = buf;
      next[S_LEFT] = res;
      next[S_POS] = st[tape];
      next[S_PUB] = rdPub;
      next[S_PRIV] = rdPriv;
      next[S_OUT] = wrOut;
    }
  } else if (rows !== null && rows.kind[r] === ROW_CONT) {
    const word = out[off + L.memWord];
    const first = st[S_ADDR] - word;
    const k = Math.min(4 - first, st[S_LEFT]);
    const neu = out[off + L.memNew];
    const tapeOn = st[S_PUB] + st[S_OUT];
    for (let i = 0; i < 4; i++) {
      const moved = i >= first && i < first + k ? 1 : 0;
      out[off + IO.start[i]] = i === first ? 1 : 0;
      out[off + IO.mask[i]] = moved;
      out[off + IO.bytes[i]] = Math.floor(neu / 2 ** (8 * i)) % 256;
      out[off + IO.act[i]] = moved * tapeOn;
    }
    const base =
      st[S_PUB] * KEY_BASE.pubin + st[S_PRIV] * KEY_BASE.privin + st[S_OUT] * KEY_BASE.pubout;
    const tapeKey = base + st[S_POS] - first;
    out[off + IO.tapeKey] = tapeKey;
    out[off + IO.tapeKey0] = tapeKey - out[off + L.pc];
    out[off + IO.outCont] = st[S_OUT];
    next[S_ADDR] = word + 4;
    next[S_LEFT] = st[S_LEFT] - k;
    next[S_POS] = st[S_POS] + k;
    next[S_PUB] = st[S_PUB];
    next[S_PRIV] = st[S_PRIV];
    next[S_OUT] = st[S_OUT];
  }
  for (let i = 0; i < n; i++) out[off + IO.stateN[IO_STATE[i]]] = next[i];
  st.set(next);
}

/** The sum unit set to a 33-bit value: bits, carry, zero test and the signed-compare mix. */
function setSum(L: CpuLayout, out: Float64Array, off: number, sum: number, carry: number): void {
  out[off + L.sum] = sum;
  let pop = 0;
  for (let i = 0; i < 32; i++) {
    const b = Math.floor(sum / 2 ** i) % 2;
    out[off + L.sBits[i]] = b;
    pop += b;
  }
  out[off + L.cSum] = carry;
  const zero = pop === 0 ? 1 : 0;
  out[off + L.sumIsZero] = zero;
  for (let i = 0; i < 6; i++) out[off + L.popBits[i]] = ((pop - 1 + zero) >>> i) & 1;
  const differ = out[off + L.aBits[31]] !== out[off + L.bBits[31]] ? 1 : 0;
  out[off + L.ltMix] = (1 - carry) * differ;
  out[off + L.place] = (1 + 255 * (sum % 2)) * (1 + 65535 * (Math.floor(sum / 2) % 2));
}

function fillCircuitRow(
  L: CpuLayout,
  out: Float64Array,
  off: number,
  rows: CircuitRows,
  r: number,
  input: RowInput,
): void {
  if (rows.kind[r] === ROW_CONT) {
    fillContinuation(L, out, off, rows.pc[r], rows.addr[r], rows.memOld[r], rows.memNew[r]);
    return;
  }
  input.pc = rows.pc[r];
  input.instr = rows.instr[r];
  input.nextPc = rows.nextPc[r];
  input.rs1Val = rows.rs1Val[r];
  input.rs2Val = rows.rs2Val[r];
  input.rdVal = rows.rdVal[r];
  input.memOld = rows.memOld[r];
  input.memNew = rows.memNew[r];
  fillRow(L, out, off, input);
}

/** The phase-1 witness of segment i: CPU rows, global rows, sorted lane and its carried values. */
export function segmentValues(run: VmRun, i: number): SegmentWitness1 {
  const { block, k, rows, sorted } = run;
  const T = 2 ** k;
  const m = block.shape.m;
  const L = block.cpu;
  const M = block.mem;
  const values = new Float64Array(T * m);
  const input = rowInputScratch();
  const endPc = rows.nextPc[rows.length - 1];
  const st = Float64Array.from(i < run.ioStates.length ? run.ioStates[i] : run.finalIoState);
  const memTop = run.statement.memoryTop;
  let cycles = i < run.cyclesAt.length ? run.cyclesAt[i] : run.statement.cycles;
  const floor = writeFloor(run.statement.image);
  for (let t = 0; t < T; t++) {
    const r = i * T + t;
    const off = t * m;
    if (r < rows.length) {
      fillCircuitRow(L, values, off, rows, r, input);
      fillIo(L, block.io, values, off, rows, r, st);
    } else {
      fillRow(L, values, off, null, endPc);
      fillIo(L, block.io, values, off, null, 0, st);
    }
    fillMapRow(L, block.io, block.map, values, off, memTop, floor);
    values[off + M.g] = 1 + r;
    values[off + M.cycles] = cycles;
    if (r < rows.length && rows.kind[r] === ROW_INSTR) cycles++;
  }
  // The sorted lane: global position p = (i·T + t)·6 + j; past the list, inactive copies.
  let pos = i * T * SLOTS;
  let prev = sortedEntryBefore(run, pos);
  for (let t = 0; t < T; t++) {
    const off = t * m;
    values[off + M.prevKey] = prev.key;
    values[off + M.prevValue] = prev.value;
    values[off + M.prevTs] = prev.ts;
    for (let j = 0; j < SLOTS; j++, pos++) {
      const s = M.sorted[j];
      let cur: { key: number; value: number; ts: number };
      if (pos < sorted.length) {
        cur = { key: sorted.key[pos], value: sorted.value[pos], ts: sorted.ts[pos] };
        const same = cur.key === prev.key ? 1 : 0;
        values[off + s.isWrite] = sorted.isWrite[pos];
        values[off + s.active] = 1;
        values[off + s.same] = same;
        values[off + s.sameValue] = same ? prev.value : 0;
        setGap(values, off, s.gapBits, same ? cur.ts - prev.ts - 1 : cur.key - prev.key - 1);
      } else {
        cur = { key: prev.key, value: prev.value, ts: prev.ts + 1 };
        values[off + s.same] = 1;
        values[off + s.sameValue] = prev.value;
      }
      values[off + s.key] = cur.key;
      values[off + s.value] = cur.value;
      values[off + s.ts] = cur.ts;
      prev = cur;
    }
  }
  return { index: i, k, values };
}

/** The sorted entry at global position pos − 1 (the sentinel (0, 0, 0) before the first). */
function sortedEntryBefore(run: VmRun, pos: number): { key: number; value: number; ts: number } {
  const s = run.sorted;
  if (pos === 0) return { key: 0, value: 0, ts: 0 };
  if (pos <= s.length) return { key: s.key[pos - 1], value: s.value[pos - 1], ts: s.ts[pos - 1] };
  // Inactive slots copy the last entry and count its ts up by one per slot.
  const last = s.length - 1;
  return { key: s.key[last], value: s.value[last], ts: s.ts[last] + (pos - s.length) };
}

/**
 * The range bits of a gap. An honest gap is in [0, 2^34); a list that is not sorted leaves the
 * bits of gap mod 2^34, which the range rule then rejects (no bits can make it hold).
 */
function setGap(values: Float64Array, off: number, bits: readonly number[], gap: number): void {
  const span = 2 ** KEY_BITS;
  let g = ((gap % span) + span) % span;
  for (let i = 0; i < bits.length; i++) {
    values[off + bits[i]] = g % 2;
    g = Math.floor(g / 2);
  }
}

function ioPublics(
  v: Float64Array,
  last: number,
  block: VmBlock,
): Record<`${IoStateName}${'In' | 'Out'}`, Fr> {
  const out = {} as Record<`${IoStateName}${'In' | 'Out'}`, Fr>;
  for (const n of IO_STATE) {
    out[`${n}In`] = fr(v[block.io.state[n]]);
    out[`${n}Out`] = fr(v[last + block.io.stateN[n]]);
  }
  return out;
}

const fr = (v: number): Fr => {
  if (v === 0) return 0n;
  if (v === 1) return 1n;
  const b = BigInt(v);
  return b < 0n ? (b % P) + P : b % P;
};

/** A full segment instance: W (both phases) and the public inputs x, by name and in order. */
export interface SegmentInstance {
  readonly k: number;
  readonly W: Fr[];
  readonly x: Fr[];
  readonly publics: SegmentPublics;
}

/** A segment instance with W as a flat vector (what the folding prover works on). */
export interface SegmentInstanceVec {
  readonly k: number;
  readonly W: FrVec;
  readonly x: Fr[];
  readonly publics: SegmentPublics;
}

/** A segment's instance: W (its values as field elements) and the public inputs. */
export function segmentInstance(seg: SegmentWitness1, block: VmBlock = vmBlock()): SegmentInstance {
  const s = segmentInstanceVec(seg, block);
  return { ...s, W: frVecToBigints(s.W) };
}

/** segmentInstance with W as a flat vector: no bigint per witness entry. */
export function segmentInstanceVec(
  seg: SegmentWitness1,
  block: VmBlock = vmBlock(),
): SegmentInstanceVec {
  const publics = phase1Publics(seg, block);
  return {
    k: seg.k,
    W: frVecFromIntegers(seg.values),
    x: VM_PUBLIC_INPUTS.map((name) => publics[name]),
    publics,
  };
}

/**
 * What a segment commits (its whole witness W, before the memory argument's challenges are
 * drawn) and its public inputs, as bigints.
 */
export function phase1Witness(
  seg: SegmentWitness1,
  block: VmBlock = vmBlock(),
): { W: Fr[]; x: Fr[] } {
  const v = seg.values;
  const W = new Array<Fr>(v.length);
  for (let i = 0; i < v.length; i++) W[i] = fr(v[i]);
  const p = phase1Publics(seg, block);
  return { W, x: VM_PUBLIC_INPUTS.map((name) => p[name]) };
}

/**
 * The public inputs of a segment, read off its boundary rows: what the memory argument's
 * challenge transcript absorbs with the segment's commitment (memory-argument.ts).
 */
export function phase1Publics(
  seg: SegmentWitness1,
  block: VmBlock = vmBlock(),
): Record<VmPublicName, Fr> {
  const m = block.shape.m;
  const L = block.cpu;
  const M = block.mem;
  const v = seg.values;
  const last = (2 ** seg.k - 1) * m;
  const lastSorted = M.sorted[SLOTS - 1];
  return {
    pcIn: fr(v[L.pc]),
    pcOut: fr(v[last + L.nextPc]),
    haltedIn: fr(v[L.pad]),
    haltedOut: fr(v[last + L.pad] + v[last + L.ecExit]),
    rowIn: fr(v[M.g]),
    sortedKeyIn: fr(v[M.prevKey]),
    sortedValueIn: fr(v[M.prevValue]),
    sortedTsIn: fr(v[M.prevTs]),
    sortedKeyOut: fr(v[last + lastSorted.key]),
    sortedValueOut: fr(v[last + lastSorted.value]),
    sortedTsOut: fr(v[last + lastSorted.ts]),
    memTop: fr(v[block.map.memTop]),
    cyclesIn: fr(v[M.cycles]),
    cyclesOut: fr(v[last + M.cycles] + 1 - v[last + L.pad] - v[last + L.cont]),
    writeFloor: fr(v[block.map.writeFloor]),
    ...ioPublics(v, last, block),
  };
}
