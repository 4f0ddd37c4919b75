/**
 * The verifier's side of the memory argument (docs/vm-circuit.md §4): the prologue and epilogue
 * entries it computes from the statement, their factor Π (γ − φ(e)), and the checks that chain
 * the segments' public boundary values. Offline memory checking after Blum et al. (1991) in the
 * sorted-permutation form of Cairo (ePrint 2021/1063, §9.7); what is bound and why is argued in
 * docs/vm-circuit.md §4.
 */
import { Fr, FR_MODULUS } from '../field/fr';
import { ProgramImage } from '../../vm/program-image';
import { IO_STATE } from './io-rows';
import { writeFloor } from './map-rules';
import {
  KEY_BASE,
  MAX_TAPE_BYTES,
  SLOTS,
  TS_STRIDE,
  VmPublicName,
  WRITE_TAG,
  factor,
} from './memory';

/** One entry of the memory lists, as the verifier or the prover's sort sees it. */
export interface MemoryEntry {
  key: number;
  value: number;
  ts: number;
  isWrite: 0 | 1;
}

/** What the memory argument binds: the parts of the public statement it reads. */
export interface MemoryStatement {
  image: ProgramImage;
  /** Initial sp (docs/guest-abi.md: sp = memory top). */
  memoryTop: number;
  /** a0 of the exit call, as an unsigned 32-bit pattern. */
  exitCode: number;
  /** Retired instructions, the final exit ecall included (docs/guest-abi.md). */
  cycles: number;
  publicInput: Uint8Array;
  publicOutput: Uint8Array;
  /** Segments and their size: N·2^k rows in all, so the epilogue's ts is 8·(1 + N·2^k). */
  segments: number;
  k: number;
}

/** The register file's key (x0..x31). */
export const regKey = (r: number): number => KEY_BASE.reg + r;
const A0 = 10;
const SP = 2;

/** Timestamp of the epilogue's reads: after every access of every row. */
export function endTimestamp(segments: number, k: number): number {
  return TS_STRIDE * (1 + segments * 2 ** k);
}

/**
 * The prologue, all at ts = 0: every non-zero word of the image (the words of executable
 * segments twice, in code space for fetches and in ram for loads of read-only data), sp, and
 * every non-zero byte of the public input. Zero words, zero bytes and the other registers need
 * no entry: a first read returns 0.
 */
export function prologueEntries(
  image: ProgramImage,
  memoryTop: number,
  publicInput: Uint8Array,
): MemoryEntry[] {
  const out: MemoryEntry[] = [];
  for (const seg of image.segments) {
    if (seg.vaddr % 4 !== 0) throw new RangeError('image segments must be word-aligned');
    for (let i = 0; i < seg.data.length; i += 4) {
      let v = 0;
      for (let b = 0; b < 4 && i + b < seg.data.length; b++) v |= seg.data[i + b] << (8 * b);
      v >>>= 0;
      if (v === 0) continue;
      const addr = seg.vaddr + i;
      if (seg.executable) out.push({ key: KEY_BASE.code + addr, value: v, ts: 0, isWrite: 1 });
      out.push({ key: KEY_BASE.ram + addr, value: v, ts: 0, isWrite: 1 });
    }
  }
  out.push({ key: regKey(SP), value: memoryTop >>> 0, ts: 0, isWrite: 1 });
  publicInput.forEach((b, i) => {
    if (b !== 0) out.push({ key: KEY_BASE.pubin + i, value: b, ts: 0, isWrite: 1 });
  });
  return out;
}

/**
 * The epilogue, at the end timestamp: a read of a0 (the exit code: the exit ecall reads a0 and
 * nothing runs after it) and a read of every byte of the public output, zeros included (the
 * output cursor, checked against the length, says no byte past them was written).
 */
export function epilogueEntries(
  exitCode: number,
  publicOutput: Uint8Array,
  segments: number,
  k: number,
): MemoryEntry[] {
  const ts = endTimestamp(segments, k);
  const out: MemoryEntry[] = [{ key: regKey(A0), value: exitCode >>> 0, ts, isWrite: 0 }];
  publicOutput.forEach((b, i) => out.push({ key: KEY_BASE.pubout + i, value: b, ts, isWrite: 0 }));
  return out;
}

/** Π (γ − φ(e)) over the prologue and the epilogue: the verifier's factor on the exec side. */
export function boundaryFactor(stmt: MemoryStatement, alpha: Fr, gamma: Fr): Fr {
  let acc = 1n;
  const entries = [
    ...prologueEntries(stmt.image, stmt.memoryTop, stmt.publicInput),
    ...epilogueEntries(stmt.exitCode, stmt.publicOutput, stmt.segments, stmt.k),
  ];
  for (const e of entries) {
    acc = (acc * factor(e.key, e.value, e.ts, e.isWrite, alpha, gamma)) % FR_MODULUS;
  }
  return acc;
}

/** A segment's public inputs by name (field elements). */
export type SegmentPublics = Readonly<Record<VmPublicName, Fr>>;

/** The memory argument's outcome: its challenges and the two grand products over all rows. */
export interface MemoryProducts {
  readonly alpha: Fr;
  readonly gamma: Fr;
  /** Π of the exec side's factors over every row of every segment. */
  readonly exec: Fr;
  /** Π of the sorted side's factors. */
  readonly sorted: Fr;
}

/**
 * The verifier's checks across segments (docs/vm-circuit.md §4, §5): the first segment starts
 * at the entry, not halted, at global row 1 and after the sentinel (0, 0, 0); each segment
 * continues the previous one (pc, halted flag, rows, last sorted entry); the last has halted;
 * and Π exec · prologue·epilogue = Π sorted for the memory argument's products.
 * Returns null, or the first failed check.
 */
export function checkSegments(
  stmt: MemoryStatement,
  publics: readonly SegmentPublics[],
  products: MemoryProducts,
): string | null {
  return checkChaining(stmt, publics) ?? checkProducts(stmt, products);
}

/** The memory identity: Π exec · Π (γ − φ) over prologue and epilogue = Π sorted. */
export function checkProducts(stmt: MemoryStatement, products: MemoryProducts): string | null {
  const { alpha, gamma } = products;
  if ((boundaryFactor(stmt, alpha, gamma) * products.exec) % FR_MODULUS !== products.sorted)
    return 'memory products differ';
  return null;
}

/** checkSegments without the products: how the segments start, chain and end. */
export function checkChaining(
  stmt: MemoryStatement,
  publics: readonly SegmentPublics[],
): string | null {
  const T = 2 ** stmt.k;
  if (publics.length !== stmt.segments) return `expected ${stmt.segments} segments`;
  if (stmt.segments * T * TS_STRIDE + 2 * TS_STRIDE >= 2 ** 34)
    return 'too many rows for 34-bit timestamps';
  if (stmt.publicInput.length >= MAX_TAPE_BYTES || stmt.publicOutput.length >= MAX_TAPE_BYTES)
    return 'public input or output too long';
  const first = publics[0];
  if (first.pcIn !== BigInt(stmt.image.entry)) return 'segment 0: pcIn is not the entry point';
  if (
    first.pubCurIn !== 0n ||
    first.privCurIn !== 0n ||
    first.outCurIn !== 0n ||
    first.ioLeftIn !== 0n ||
    first.pubLenIn !== BigInt(stmt.publicInput.length)
  )
    return 'segment 0: I/O state does not start empty with the public input length';
  if (first.haltedIn !== 0n) return 'segment 0: starts halted';
  if (first.cyclesIn !== 0n) return 'segment 0: cycle count does not start at 0';
  if (first.sortedKeyIn !== 0n || first.sortedValueIn !== 0n || first.sortedTsIn !== 0n)
    return 'segment 0: sorted lane does not start at the sentinel';
  for (let i = 0; i < publics.length; i++) {
    const p = publics[i];
    if (p.rowIn !== BigInt(1 + i * T)) return `segment ${i}: rowIn is not ${1 + i * T}`;
    if (p.memTop !== BigInt(stmt.memoryTop) || p.writeFloor !== BigInt(writeFloor(stmt.image)))
      return `segment ${i}: memory map differs from the statement`;
    if (i + 1 < publics.length) {
      const q = publics[i + 1];
      if (p.pcOut !== q.pcIn) return `segments ${i}/${i + 1}: pc does not continue`;
      if (p.haltedOut !== q.haltedIn)
        return `segments ${i}/${i + 1}: halted flag does not continue`;
      if (
        p.sortedKeyOut !== q.sortedKeyIn ||
        p.sortedValueOut !== q.sortedValueIn ||
        p.sortedTsOut !== q.sortedTsIn
      )
        return `segments ${i}/${i + 1}: sorted lane does not continue`;
      if (p.cyclesOut !== q.cyclesIn)
        return `segments ${i}/${i + 1}: cycle count does not continue`;
      for (const n of IO_STATE) {
        if (p[`${n}Out`] !== q[`${n}In`]) return `segments ${i}/${i + 1}: ${n} does not continue`;
      }
    }
  }
  const last = publics[publics.length - 1];
  if (last.haltedOut !== 1n) return 'the last segment has not halted';
  // Keys only grow along the sorted lane: bounding the last one bounds them all, which makes
  // key + 2^34·isWrite in φ injective (docs/vm-circuit.md §4).
  if (last.sortedKeyOut >= BigInt(WRITE_TAG)) return 'the sorted lane ends beyond the key range';
  if (last.cyclesOut !== BigInt(stmt.cycles)) return 'the cycle count differs from the statement';
  if (last.outCurOut !== BigInt(stmt.publicOutput.length))
    return 'the output cursor does not end at the output length';
  return null;
}

/** Sorted-lane capacity of N segments of 2^k rows. */
export const sortedCapacity = (segments: number, k: number): number => SLOTS * segments * 2 ** k;
