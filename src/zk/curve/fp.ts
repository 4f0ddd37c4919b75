/**
 * The BN254 base field Fp (the coordinate field of G1), as plain bigints.
 *
 * Only what the curve code needs: the hot loops of the MSM call `fpMul` and
 * friends millions of times, so these are bare functions on canonical bigints
 * in [0, p) rather than the object-based field of @noble/curves (which the
 * tests use as the reference). Field modulus from EIP-196.
 */

import { fpWasm } from './fp-sqrt-wasm';

export const FP_MODULUS =
  21888242871839275222246405745257275088696311157297823662689037894645226208583n;

const P = FP_MODULUS;

export function fpAdd(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s >= P ? s - P : s;
}

export function fpSub(a: bigint, b: bigint): bigint {
  const d = a - b;
  return d < 0n ? d + P : d;
}

export function fpNeg(a: bigint): bigint {
  return a === 0n ? 0n : P - a;
}

export function fpMul(a: bigint, b: bigint): bigint {
  return (a * b) % P;
}

export function fpSqr(a: bigint): bigint {
  return (a * a) % P;
}

/** Inverse by the extended Euclidean algorithm (faster than Fermat on bigints); throws on zero. */
export function fpInv(a: bigint): bigint {
  if (a === 0n) throw new RangeError('Fp: inverse of zero');
  let oldR = a;
  let r = P;
  let oldS = 1n;
  let s = 0n;
  while (r !== 0n) {
    const q = oldR / r;
    const tr = oldR - q * r;
    oldR = r;
    r = tr;
    const ts = oldS - q * s;
    oldS = s;
    s = ts;
  }
  oldS %= P;
  return oldS < 0n ? oldS + P : oldS;
}

/**
 * Montgomery's trick in place: replaces every entry of `a[0..n)` by its inverse
 * with one inversion and 3(n-1) products. `scratch` must hold n entries. All
 * inputs must be non-zero (callers guarantee it; a zero would poison the batch).
 */
export function fpBatchInvertInPlace(a: bigint[], n: number, scratch: bigint[]): void {
  if (n === 0) return;
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    scratch[i] = acc;
    acc = (acc * a[i]) % P;
  }
  let inv = fpInv(acc);
  for (let i = n - 1; i >= 0; i--) {
    const ai = a[i];
    a[i] = (inv * scratch[i]) % P;
    inv = (inv * ai) % P;
  }
}

export function fpIsCanonical(a: bigint): boolean {
  return a >= 0n && a < P;
}

/** (p + 1)/4 in base-16 digits, most significant first (the exponent of fpSqrt). */
const SQRT_DIGITS: readonly number[] = ((P + 1n) / 4n)
  .toString(16)
  .split('')
  .map((h) => parseInt(h, 16));

/**
 * Square root for p ≡ 3 (mod 4): a^((p+1)/4); null when a is not a square.
 *
 * Every compressed G1 point a proof carries costs one of these when decoded, so the verifier's
 * decoding time is mostly this function. Where WebAssembly loads the power is computed there
 * (fp-sqrt-wasm.ts, Montgomery arithmetic, ≈ 3× faster); otherwise by fixed 4-bit windows over
 * the constant exponent in BigInt (252 squarings and at most 77 products, no shifts of the
 * exponent). Either way the result is accepted only if it squares to a, here in BigInt.
 */
export function fpSqrt(a: bigint): bigint | null {
  const x = ((a % P) + P) % P;
  const w = fpWasm();
  const r = w !== null ? w.pow(x) : fpPowSqrtBigint(x);
  return (r * r) % P === x ? r : null;
}

/** x^((p+1)/4) by fixed 4-bit windows, in BigInt (the fallback, and the tests' reference). */
export function fpPowSqrtBigint(x: bigint): bigint {
  const pow: bigint[] = [1n, x];
  for (let i = 2; i < 16; i++) pow.push((pow[i - 1] * x) % P);
  let r = pow[SQRT_DIGITS[0]];
  for (let i = 1; i < SQRT_DIGITS.length; i++) {
    r = (r * r) % P;
    r = (r * r) % P;
    r = (r * r) % P;
    r = (r * r) % P;
    const d = SQRT_DIGITS[i];
    if (d !== 0) r = (r * pow[d]) % P;
  }
  return r;
}
