/**
 * The VM's memory map in the stage-2 block (docs/guest-abi.md "Memory map", "Permissions";
 * docs/vm-circuit.md §4): every memory word a row touches lies in [0x10000, memoryTop), and
 * every byte a row writes (a store, or a read ecall's continuation row) lies at or above the
 * end of the image's protected segments (executable or read-only). Without these rules the
 * memory argument would accept runs that the VM stops with `out-of-bounds`,
 * `misaligned`-free but unmapped accesses, or `write-protected`, continuing as if the access
 * had succeeded.
 *
 * The lower bound needs no new range check: the word address is the sum unit's 32-bit value
 * (low two bits cleared), and it is at least 2^16 exactly when one of its bits 16..31 is set,
 * i.e. when their popcount less one is in [0, 16) (4 bits). The other two bounds are 29-bit
 * range checks (memoryTop ≤ 2^29) against the carried constants memTop and writeFloor, which
 * the verifier compares with the statement.
 */
import { CpuLayout, Writer } from './cpu-block';
import { IoLayout } from './io-rows';
import { Lin } from './lin';
import { ProgramImage } from '../../vm/program-image';
import { PROGRAM_BASE } from '../../vm/memory-map';

/** Bits of the upper-bound and write-floor gaps: addresses are below MAX_MEMORY_TOP = 2^29. */
export const MAP_BITS = 29;

export interface MapLayout {
  readonly highPop: readonly number[];
  readonly topGap: readonly number[];
  readonly floorGap: readonly number[];
  readonly memTop: number;
  readonly writeFloor: number;
}

/**
 * The lowest address a guest may write: the end of the last protected segment (executable, or
 * without the W flag), as the VM computes it; PROGRAM_BASE if there is none. The circuit asks
 * every written byte to lie at or above it, so an image whose protected segments do not form
 * a prefix of the program area cannot be proven when it writes below their end (the VM would
 * allow writes to a writable gap there).
 */
export function writeFloor(image: ProgramImage): number {
  let end = PROGRAM_BASE;
  for (const s of image.segments) {
    if (s.executable || !s.writable) end = Math.max(end, s.vaddr + s.memSize);
  }
  return end;
}

export function writeMapRules(W: Writer, L: CpuLayout, io: IoLayout): MapLayout {
  const col = (j: number): Lin => Lin.col(j);
  const highPop = W.cols(4, 'bit');
  const topGap = W.cols(MAP_BITS, 'bit');
  const floorGap = W.cols(MAP_BITS, 'bit');
  const memTop = W.col();
  const writeFloorCol = W.col();
  const F = (...names: string[]): Lin => Lin.sum(names.map((n) => col(L.flag[n])));
  const cont = col(L.cont);
  const isStore = F('sb', 'sh', 'sw');
  const accesses = F('lb', 'lh', 'lw', 'lbu', 'lhu').plus(isStore).plus(cont);
  // Guest-memory writes: stores, and continuation rows of reads (not of output writes).
  const writes = isStore.plus(cont).minus(col(io.outCont));
  // The first byte written: the store address, or the continuation's first moved byte.
  const off = Lin.sum(io.start.map((b, i) => col(b).times(i)));
  const firstByte = col(L.sum).plus(off);

  W.lin(Lin.next(memTop).minus(col(memTop)), 'memTop constant');
  W.lin(Lin.next(writeFloorCol).minus(col(writeFloorCol)), 'writeFloor constant');
  highPop.forEach((b) => W.bool(b, 'address high popcount bit'));
  topGap.forEach((b) => W.bool(b, 'memory top gap bit'));
  floorGap.forEach((b) => W.bool(b, 'write floor gap bit'));
  const high = Lin.sum(L.sBits.slice(16).map(col));
  W.zero(accesses, high.minus(1).minus(Lin.bits(highPop)), 'memory: address ≥ 0x10000');
  W.zero(
    accesses,
    col(memTop).minus(4).minus(col(L.memWord)).minus(Lin.bits(topGap)),
    'memory: address < memory top',
  );
  W.zero(
    writes,
    firstByte.minus(col(writeFloorCol)).minus(Lin.bits(floorGap)),
    'memory: writes above the protected segments',
  );
  return { highPop, topGap, floorGap, memTop, writeFloor: writeFloorCol };
}

const LOADS = ['lb', 'lh', 'lw', 'lbu', 'lhu'];
const STORES = ['sb', 'sh', 'sw'];

function setBits(out: Float64Array, off: number, bits: readonly number[], v: number): void {
  // A value out of range (a dishonest row) leaves its residue, which the rule then rejects.
  const span = 2 ** bits.length;
  let x = ((v % span) + span) % span;
  for (const b of bits) {
    out[off + b] = x % 2;
    x = Math.floor(x / 2);
  }
}

/** Fills the map columns of a row whose CPU and I/O columns are already written. */
export function fillMapRow(
  L: CpuLayout,
  io: IoLayout,
  M: MapLayout,
  out: Float64Array,
  off: number,
  memTop: number,
  floor: number,
): void {
  out[off + M.memTop] = memTop;
  out[off + M.writeFloor] = floor;
  let stores = 0;
  for (const n of STORES) stores += out[off + L.flag[n]];
  let loads = 0;
  for (const n of LOADS) loads += out[off + L.flag[n]];
  const cont = out[off + L.cont];
  if (loads + stores + cont > 0) {
    let pop = 0;
    for (let i = 16; i < 32; i++) pop += out[off + L.sBits[i]];
    setBits(out, off, M.highPop, pop - 1);
    setBits(out, off, M.topGap, memTop - 4 - out[off + L.memWord]);
  }
  if (stores + cont - out[off + io.outCont] > 0) {
    let first = out[off + L.sum];
    for (let i = 0; i < 4; i++) first += i * out[off + io.start[i]];
    setBits(out, off, M.floorGap, first - floor);
  }
}
