/**
 * WebAssembly MSM backend: the bucket method (Pippenger; signed digits,
 * batch-affine bucket sums with one batched inversion per round) running on
 * Montgomery-form BN254 limbs inside the kernels' linear memory
 * (src/zk/wasm/assembly/msm.ts). This file only moves data:
 *
 *  - bases are converted to Montgomery limbs once per `AffinePoints` (cached
 *    in a WeakMap keyed by the `xs` array and checked against the `ys` array,
 *    extended when a longer prefix is needed): SRS bases are reused by every
 *    commitment. Base arrays must therefore not be mutated after use (none
 *    are: SRS powers and normalised points are built once);
 *  - scalars are written per call as one u32 limb (≤ 32 bits) or whole u64
 *    words;
 *  - the window width comes from the same cost model as the bigint backend.
 *
 * Like every `MsmBackend` it trusts its inputs (index.ts checks them). The
 * optional `msmSubset` lets index.ts run one MSM per scalar size class over
 * index lists instead of copying the bases of each class.
 */
import { Jac, jacToG1 } from '../curve/g1-fast';
import type { AffinePoints } from '../curve/g1-fast';
import type { G1 } from '../curve/g1';
import {
  Bn254Kernels,
  align16,
  ensureBytes,
  loadKernels,
  readFp,
  tryLoadKernels,
  writeFp,
} from '../wasm/kernels';
import { chooseWindow } from './pippenger';

interface MontBases {
  /** The y array these limbs were made from (the cache is keyed by the x array). */
  ys: readonly bigint[];
  /** 16 u32 per point: x then y, Montgomery form; (0, 0) = infinity. */
  limbs: Uint32Array;
  count: number;
}

const montCache = new WeakMap<readonly bigint[], MontBases>();

/** Which cached base array currently sits at the start of linear memory, and how much of it. */
let resident: { key: readonly bigint[]; limbs: Uint32Array; count: number } | null = null;

/** Montgomery limbs of bases[0..need), converting (in WebAssembly) only what the cache lacks. */
function montBases(k: Bn254Kernels, bases: AffinePoints, need: number): MontBases {
  let entry = montCache.get(bases.xs);
  if (entry && entry.ys !== bases.ys) entry = undefined; // same xs, other ys (e.g. negated points)
  if (entry && entry.count >= need) return entry;
  const from = entry?.count ?? 0;
  // Grow geometrically (bounded by the array) so a slowly growing prefix converts each point once.
  const to = Math.min(bases.xs.length, Math.max(need, from * 2));
  const limbs = new Uint32Array(to * 16);
  if (entry) limbs.set(entry.limbs.subarray(0, from * 16));
  const fresh = to - from;
  // The conversion area sits above any resident bases (which stay valid).
  const at = align16(k.heapBase) + (resident ? resident.count * 64 : 0);
  ensureBytes(k, at + fresh * 64);
  const b64 = new BigUint64Array(k.memory.buffer, at, fresh * 8);
  for (let i = 0; i < fresh; i++) {
    writeFp(b64, i * 8, bases.xs[from + i]);
    writeFp(b64, i * 8 + 4, bases.ys[from + i]);
  }
  k.fpToMontBatch(at, fresh * 2);
  limbs.set(new Uint32Array(k.memory.buffer, at, fresh * 16), from * 16);
  entry = { ys: bases.ys, limbs, count: to };
  montCache.set(bases.xs, entry);
  return entry;
}

/**
 * Σ scalars[j]·bases[idx ? idx[j] : j] for scalars < 2^bits, in WebAssembly.
 * Returns the Jacobian sum as bigints (canonical, not Montgomery).
 */
export function wasmMsmJac(
  bases: AffinePoints,
  scalars: readonly bigint[] | PackedScalars,
  bits: number,
  idx: Uint32Array | null = null,
): Jac {
  const k = loadKernels();
  const packed = 'limbs' in scalars ? scalars : null;
  const n = packed ? packed.count : (scalars as readonly bigint[]).length;
  if (n === 0) return { x: 1n, y: 1n, z: 0n };
  let need = n;
  if (idx) {
    need = 0;
    for (let j = 0; j < n; j++) if (idx[j] >= need) need = idx[j] + 1;
  }
  const mont = montBases(k, bases, need);
  // Layout above heapBase: bases | idx | scalars | out | scratch.
  const basePtr = align16(k.heapBase);
  if (
    !resident ||
    resident.key !== bases.xs ||
    resident.limbs !== mont.limbs ||
    resident.count < need
  ) {
    resident = null;
    ensureBytes(k, basePtr + mont.count * 64);
    new Uint32Array(k.memory.buffer, basePtr, mont.count * 16).set(mont.limbs);
    resident = { key: bases.xs, limbs: mont.limbs, count: mont.count };
  }
  // u32 limbs per scalar: one, or an even number so that scalars are whole u64 words.
  const L = bits <= 32 ? 1 : 2 * Math.ceil(bits / 64);
  const plan = chooseWindow(n, bits);
  const idxPtr = align16(basePtr + resident.count * 64);
  const scalPtr = align16(idxPtr + (idx ? n * 4 : 0));
  const outPtr = align16(scalPtr + n * L * 4);
  const scratchPtr = align16(outPtr + 96);
  ensureBytes(k, scratchPtr + k.msmScratchBytes(n, plan.windows, plan.buckets));
  const buf = k.memory.buffer;
  if (idx) new Uint32Array(buf, idxPtr, n).set(idx.subarray(0, n));
  if (packed) {
    if (packed.perScalar !== L) throw new RangeError('msm: packed scalars of another width');
    new Uint32Array(buf, scalPtr, n * L).set(packed.limbs.subarray(0, n * L));
  } else if (L === 1) {
    const sc = new Uint32Array(buf, scalPtr, n);
    const big = scalars as readonly bigint[];
    for (let j = 0; j < n; j++) sc[j] = Number(big[j]);
  } else {
    const scalars_ = scalars as readonly bigint[];
    // BigUint64Array stores keep each value mod 2^64: one store per 64-bit word.
    const q = L / 2;
    const sc = new BigUint64Array(buf, scalPtr, n * q);
    for (let j = 0; j < n; j++) {
      const s = scalars_[j];
      sc[j * q] = s;
      for (let w = 1; w < q; w++) sc[j * q + w] = s >> BigInt(64 * w);
    }
  }
  k.msm(
    basePtr,
    idx ? idxPtr : 0,
    scalPtr,
    n,
    L,
    plan.c,
    plan.signed ? 1 : 0,
    plan.windows,
    plan.buckets,
    scratchPtr,
    outPtr,
  );
  k.fpFromMontBatch(outPtr, 3);
  const out = new BigUint64Array(k.memory.buffer, outPtr, 12);
  return { x: readFp(out, 0), y: readFp(out, 4), z: readFp(out, 8) };
}

/**
 * Scalars already laid out as the kernel reads them: `perScalar` little-endian u32 limbs each
 * (1 for values below 2^32, else an even count), `count` scalars.
 */
export interface PackedScalars {
  readonly limbs: Uint32Array;
  readonly perScalar: number;
  readonly count: number;
}

/** u32 limbs per scalar the kernel expects for `bits`-bit scalars. */
export function limbsPerScalar(bits: number): number {
  return bits <= 32 ? 1 : 2 * Math.ceil(bits / 64);
}

/** True when the kernels load in this runtime (WebAssembly present and the module valid). */
export function wasmMsmAvailable(): boolean {
  return tryLoadKernels() !== null;
}

/** Full Fr scalars are < r < 2^254. */
const FR_BITS = 254;

export const wasmMsmBackend = {
  name: 'wasm-pippenger',
  msm: (bases: AffinePoints, scalars: readonly bigint[]): G1 =>
    jacToG1(wasmMsmJac(bases, scalars, FR_BITS)),
  msmSmall: (bases: AffinePoints, scalars: readonly bigint[], bits: number): G1 =>
    jacToG1(wasmMsmJac(bases, scalars, bits)),
  /** Σ scalars[j]·bases[idx[j]]: one size class of a partitioned MSM, without copying bases. */
  msmSubset: (
    bases: AffinePoints,
    idx: Uint32Array,
    scalars: readonly bigint[],
    bits: number,
  ): G1 => jacToG1(wasmMsmJac(bases, scalars, bits, idx)),
  /** msmSubset with the scalars packed as the kernel reads them (no bigint per scalar). */
  msmSubsetPacked: (
    bases: AffinePoints,
    idx: Uint32Array,
    scalars: PackedScalars,
    bits: number,
  ): G1 => jacToG1(wasmMsmJac(bases, scalars, bits, idx)),
};
