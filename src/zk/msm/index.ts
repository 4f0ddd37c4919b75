/**
 * Multi-scalar multiplication API for commitments (Σ sᵢ·Pᵢ in BN254 G1).
 *
 * Protocol code calls `msm` (canonical Fr scalars) or `msmSmall` / `msmU1` …
 * `msmU64` when it knows the scalars fit in a few bits (bits, bytes, words:
 * the values the folding scheme commits to), named as arkworks names its
 * `msm_u1 … msm_u64` fast paths. These entry points check their inputs and
 * split them by actual size (one MSM per class, so small values are cheap
 * even through `msm`), then call the current `MsmBackend`, which trusts
 * them. Two backends exist: the bigint Pippenger (pippenger.ts) and the
 * WebAssembly one (wasm-backend.ts, ≈ 4–9× faster), the default wherever
 * WebAssembly loads. `ZKVM_MSM_BACKEND=bigint|wasm` forces one (read here, not
 * in src/config, because src/zk does not depend on the service; worker
 * threads import this module and pick the same one). `setMsmBackend` installs
 * another; every backend must agree with `msmNaive` on every input.
 */
import { FR_MODULUS } from '../field/fr';
import { AffinePoints, jacToG1 } from '../curve/g1-fast';
import { G1, G1_ZERO } from '../curve/g1';
import { pippengerJac } from './pippenger';
import { PackedScalars, limbsPerScalar, wasmMsmAvailable, wasmMsmBackend } from './wasm-backend';

export type { AffinePoints } from '../curve/g1-fast';

export interface MsmBackend {
  readonly name: string;
  /** Σ sᵢ·basesᵢ over i < scalars.length; trusts 0 ≤ sᵢ < r and enough bases. */
  msm(bases: AffinePoints, scalars: readonly bigint[]): G1;
  /** As `msm`, trusting 0 ≤ sᵢ < 2^bits (1 ≤ bits ≤ 254). */
  msmSmall(bases: AffinePoints, scalars: readonly bigint[], bits: number): G1;
  /**
   * Optional: Σ scalarsⱼ·bases[idxⱼ], trusting 0 ≤ scalarsⱼ < 2^bits. Lets the
   * size classes below index one base array instead of copying each class's bases.
   */
  msmSubset?(bases: AffinePoints, idx: Uint32Array, scalars: readonly bigint[], bits: number): G1;
  /** Optional: msmSubset with scalars packed as u32 limbs (wasm-backend.ts, PackedScalars). */
  msmSubsetPacked?(bases: AffinePoints, idx: Uint32Array, scalars: PackedScalars, bits: number): G1;
}

export const FR_BITS = 254;

export const bigintMsmBackend: MsmBackend = {
  name: 'bigint-pippenger',
  msm: (bases, scalars) => jacToG1(pippengerJac(bases, scalars, FR_BITS)),
  msmSmall: (bases, scalars, bits) => jacToG1(pippengerJac(bases, scalars, bits)),
};

export const MSM_BACKEND_ENV = 'ZKVM_MSM_BACKEND';

/** The backend `ZKVM_MSM_BACKEND` asks for (unset or empty: WebAssembly where it loads, else bigint). */
export function backendFromEnv(
  value: string | undefined = process.env[MSM_BACKEND_ENV],
): MsmBackend {
  const v = (value ?? '').trim();
  if (v === 'bigint') return bigintMsmBackend;
  if (v === 'wasm') {
    if (!wasmMsmAvailable()) {
      throw new Error(`${MSM_BACKEND_ENV}=wasm but WebAssembly kernels do not load here`);
    }
    return wasmMsmBackend;
  }
  if (v !== '') throw new Error(`${MSM_BACKEND_ENV} must be "bigint" or "wasm", got "${v}"`);
  return wasmMsmAvailable() ? wasmMsmBackend : bigintMsmBackend;
}

let backend: MsmBackend = backendFromEnv();

export function getMsmBackend(): MsmBackend {
  return backend;
}

export function setMsmBackend(b: MsmBackend): void {
  backend = b;
}

function checkLengths(bases: AffinePoints, n: number): void {
  if (bases.xs.length < n || bases.ys.length < n) {
    throw new RangeError(`msm: ${n} scalars but only ${bases.xs.length} bases`);
  }
}

/** Size classes for `partitioned`: the named fast paths, then full size. */
const CLASS_BITS = [1, 8, 16, 32, 64, 128, FR_BITS];
const CLASS_BOUNDS = CLASS_BITS.map((b) => 1n << BigInt(b));

/**
 * Splits the scalars by actual size and runs one MSM per size class, so a
 * witness that is mostly bits with a few words, or a "full" vector whose
 * values happen to be small, costs what its values need rather than what the
 * largest (or the declared) size would; each class is planned for the bit
 * length of its largest value. Zeros are dropped here.
 */
function partitioned(bases: AffinePoints, scalars: readonly bigint[], maxBits: number): G1 {
  const n = scalars.length;
  const cls = new Int8Array(n);
  const counts = new Array<number>(CLASS_BITS.length).fill(0);
  const largest = new Array<bigint>(CLASS_BITS.length).fill(0n);
  for (let i = 0; i < n; i++) {
    const s = scalars[i];
    if (s === 0n) {
      cls[i] = -1;
      continue;
    }
    let c = 0;
    while (s >= CLASS_BOUNDS[c]) c++;
    cls[i] = c;
    counts[c]++;
    if (s > largest[c]) largest[c] = s;
  }
  const used = counts.map((k, c) => (k > 0 ? c : -1)).filter((c) => c >= 0);
  if (used.length === 0) return G1_ZERO;
  // Window plans follow the largest value actually present (e.g. 20-bit values in the 32-bit class).
  const bitsOf = (c: number): number =>
    Math.min(CLASS_BITS[c], maxBits, largest[c].toString(2).length);
  const run = (b: AffinePoints, sc: readonly bigint[], bits: number): G1 =>
    bits >= FR_BITS ? backend.msm(b, sc) : backend.msmSmall(b, sc, bits);
  if (used.length === 1) return run(bases, scalars, bitsOf(used[0]));
  let acc = G1_ZERO;
  const subset = backend.msmSubset;
  if (subset) {
    for (const c of used) {
      const idx = new Uint32Array(counts[c]);
      const sc = new Array<bigint>(counts[c]);
      for (let i = 0, j = 0; i < n; i++) {
        if (cls[i] !== c) continue;
        idx[j] = i;
        sc[j++] = scalars[i];
      }
      acc = acc.add(subset.call(backend, bases, idx, sc, bitsOf(c)));
    }
    return acc;
  }
  for (const c of used) {
    const xs: bigint[] = [];
    const ys: bigint[] = [];
    const sc: bigint[] = [];
    for (let i = 0; i < n; i++) {
      if (cls[i] !== c) continue;
      xs.push(bases.xs[i]);
      ys.push(bases.ys[i]);
      sc.push(scalars[i]);
    }
    acc = acc.add(run({ xs, ys }, sc, bitsOf(c)));
  }
  return acc;
}

/** Σ sᵢ·Pᵢ for canonical scalars 0 ≤ sᵢ < r (cost set by the sizes actually present). */
export function msm(bases: AffinePoints, scalars: readonly bigint[]): G1 {
  checkLengths(bases, scalars.length);
  for (let i = 0; i < scalars.length; i++) {
    const s = scalars[i];
    if (typeof s !== 'bigint' || s < 0n || s >= FR_MODULUS) {
      throw new RangeError(`msm: scalar ${i} is not a canonical Fr element`);
    }
  }
  if (scalars.length === 0) return G1_ZERO;
  return partitioned(bases, scalars, FR_BITS);
}

/** Σ sᵢ·Pᵢ for scalars 0 ≤ sᵢ < 2^bits; cost grows with `bits`, not with 254. */
export function msmSmall(bases: AffinePoints, scalars: readonly bigint[], bits: number): G1 {
  if (!Number.isInteger(bits) || bits < 1 || bits > FR_BITS) {
    throw new RangeError(`msmSmall: bits must be an integer in [1, ${FR_BITS}], got ${bits}`);
  }
  checkLengths(bases, scalars.length);
  const bound = 1n << BigInt(bits);
  for (let i = 0; i < scalars.length; i++) {
    const s = scalars[i];
    if (typeof s !== 'bigint' || s < 0n || s >= bound || s >= FR_MODULUS) {
      throw new RangeError(`msmSmall: scalar ${i} does not fit in ${bits} bits`);
    }
  }
  if (scalars.length === 0) return G1_ZERO;
  return partitioned(bases, scalars, bits);
}

/** Size classes of `msmIntegers`: ones, then values below 2^8, 2^16, 2^32, 2^53. */
const INT_CLASS_BITS = [1, 8, 16, 32, 53];

/**
 * Σ values_i·bases_i for non-negative integers below 2^53 held in doubles (a segment's values):
 * the same sum as msmSmall on their bigints, classified by size and handed to the backend as
 * packed limbs, without a bigint per entry. Throws on a value that is not such an integer.
 */
export function msmIntegers(bases: AffinePoints, values: Float64Array): G1 {
  checkLengths(bases, values.length);
  const n = values.length;
  const cls = new Int8Array(n);
  const counts = new Array<number>(INT_CLASS_BITS.length).fill(0);
  const largest = new Array<number>(INT_CLASS_BITS.length).fill(0);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === 0) {
      cls[i] = -1;
      continue;
    }
    if (!(v > 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v)))
      throw new RangeError(`msmIntegers: value ${i} is not an integer in [0, 2^53)`);
    const c = v === 1 ? 0 : v < 256 ? 1 : v < 65536 ? 2 : v < 4294967296 ? 3 : 4;
    cls[i] = c;
    counts[c]++;
    if (v > largest[c]) largest[c] = v;
  }
  const packed = backend.msmSubsetPacked;
  let acc = G1_ZERO;
  for (let c = 0; c < INT_CLASS_BITS.length; c++) {
    if (counts[c] === 0) continue;
    const bits = Math.max(1, Math.ceil(Math.log2(largest[c] + 1)));
    const idx = new Uint32Array(counts[c]);
    for (let i = 0, j = 0; i < n; i++) if (cls[i] === c) idx[j++] = i;
    if (packed) {
      const L = limbsPerScalar(bits);
      const limbs = new Uint32Array(counts[c] * L);
      for (let j = 0; j < idx.length; j++) {
        const v = values[idx[j]];
        limbs[j * L] = v % 4294967296;
        if (L > 1) limbs[j * L + 1] = Math.floor(v / 4294967296);
      }
      const sc: PackedScalars = { limbs, perScalar: L, count: idx.length };
      acc = acc.add(packed.call(backend, bases, idx, sc, bits));
      continue;
    }
    const sc = Array.from(idx, (i) => BigInt(values[i]));
    const sub = {
      xs: Array.from(idx, (i) => bases.xs[i]),
      ys: Array.from(idx, (i) => bases.ys[i]),
    };
    acc = acc.add(backend.msmSmall(sub, sc, bits));
  }
  return acc;
}

export const msmU1 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 1);
export const msmU8 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 8);
export const msmU16 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 16);
export const msmU32 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 32);
export const msmU64 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 64);

/** Reference: Σ sᵢ·Pᵢ one product at a time with @noble/curves (variable-time; public data only). Slow; for tests. */
export function msmNaive(points: readonly G1[], scalars: readonly bigint[]): G1 {
  let acc = G1_ZERO;
  for (let i = 0; i < scalars.length; i++) {
    const s = scalars[i] % FR_MODULUS;
    if (s !== 0n && !points[i].is0()) acc = acc.add(points[i].multiplyUnsafe(s));
  }
  return acc;
}
