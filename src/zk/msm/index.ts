/**
 * Multi-scalar multiplication API for commitments (Σ sᵢ·Pᵢ in BN254 G1).
 *
 * Protocol code calls `msm` (canonical Fr scalars) or `msmSmall` / `msmU1` …
 * `msmU64` when it knows the scalars fit in a few bits (bits, bytes, words:
 * the values the folding scheme commits to), named as arkworks names its
 * `msm_u1 … msm_u64` fast paths. These entry points check their inputs and
 * then call the current `MsmBackend`, which trusts them; a faster backend
 * (WebAssembly, a later issue) is installed with `setMsmBackend` and must
 * agree with `msmNaive` on every input.
 */
import { FR_MODULUS } from '../field/fr';
import { AffinePoints, jacToG1 } from '../curve/g1-fast';
import { G1, G1_ZERO } from '../curve/g1';
import { pippengerJac } from './pippenger';

export type { AffinePoints } from '../curve/g1-fast';

export interface MsmBackend {
  readonly name: string;
  /** Σ sᵢ·basesᵢ over i < scalars.length; trusts 0 ≤ sᵢ < r and enough bases. */
  msm(bases: AffinePoints, scalars: readonly bigint[]): G1;
  /** As `msm`, trusting 0 ≤ sᵢ < 2^bits (1 ≤ bits ≤ 254). */
  msmSmall(bases: AffinePoints, scalars: readonly bigint[], bits: number): G1;
}

export const FR_BITS = 254;

export const bigintMsmBackend: MsmBackend = {
  name: 'bigint-pippenger',
  msm: (bases, scalars) => jacToG1(pippengerJac(bases, scalars, FR_BITS)),
  msmSmall: (bases, scalars, bits) => jacToG1(pippengerJac(bases, scalars, bits)),
};

let backend: MsmBackend = bigintMsmBackend;

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

/** Σ sᵢ·Pᵢ for canonical scalars 0 ≤ sᵢ < r. */
export function msm(bases: AffinePoints, scalars: readonly bigint[]): G1 {
  checkLengths(bases, scalars.length);
  for (let i = 0; i < scalars.length; i++) {
    const s = scalars[i];
    if (typeof s !== 'bigint' || s < 0n || s >= FR_MODULUS) {
      throw new RangeError(`msm: scalar ${i} is not a canonical Fr element`);
    }
  }
  if (scalars.length === 0) return G1_ZERO;
  return backend.msm(bases, scalars);
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
  return backend.msmSmall(bases, scalars, bits);
}

export const msmU1 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 1);
export const msmU8 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 8);
export const msmU16 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 16);
export const msmU32 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 32);
export const msmU64 = (b: AffinePoints, s: readonly bigint[]): G1 => msmSmall(b, s, 64);

/** Reference: Σ sᵢ·Pᵢ one product at a time with @noble/curves. Slow; for tests and benchmarks. */
export function msmNaive(points: readonly G1[], scalars: readonly bigint[]): G1 {
  let acc = G1_ZERO;
  for (let i = 0; i < scalars.length; i++) {
    const s = scalars[i] % FR_MODULUS;
    if (s !== 0n && !points[i].is0()) acc = acc.add(points[i].multiply(s));
  }
  return acc;
}
