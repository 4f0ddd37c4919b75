/**
 * BN254 G1 (EIP-196: y² = x³ + 3 over Fp, prime order r, cofactor 1), wrapping
 * the point type of @noble/curves, our reference implementation.
 *
 * Encoding: 32 bytes, the x coordinate little-endian, with the two spare top
 * bits of the last byte as flags, as arkworks' compressed `SWFlags` do for
 * BN254 (bit 7: y is the larger of ±y, i.e. y > (p-1)/2; bit 6: point at
 * infinity, all other bits zero). Matching arkworks lets proofs be checked by
 * Rust tooling later. Every point has exactly one encoding: the decoder rejects
 * non-canonical x (≥ p), x off the curve, stray flag bits, and an infinity with
 * a non-zero body. Because the cofactor is 1, a point on the curve is in the
 * group; no subgroup check is needed.
 *
 * Decoding never throws (the verifier is total, DESIGN.md §Proof encoding).
 */
import { bn254 } from '@noble/curves/bn254';
import type { ProjPointType } from '@noble/curves/abstract/weierstrass';
import { FP_MODULUS, fpAdd, fpIsCanonical, fpMul, fpNeg, fpSqr, fpSqrt } from './fp';

export type G1 = ProjPointType<bigint>;
export const G1Point = bn254.G1.ProjectivePoint;
export const G1_GENERATOR: G1 = G1Point.BASE;
export const G1_ZERO: G1 = G1Point.ZERO;
export const G1_BYTES = 32;
export const G1_B = 3n;

const FLAG_NEGATIVE = 0x80;
const FLAG_INFINITY = 0x40;
const HALF_P = (FP_MODULUS - 1n) / 2n;

export type G1DecodeResult = { ok: true; point: G1 } | { ok: false; error: string };

export function isOnCurveAffine(x: bigint, y: bigint): boolean {
  return fpSqr(y) === fpAdd(fpMul(fpSqr(x), x), G1_B);
}

/** Builds a point from affine coordinates after checking them; never throws. */
export function g1FromAffine(x: bigint, y: bigint): G1DecodeResult {
  if (!fpIsCanonical(x) || !fpIsCanonical(y)) {
    return { ok: false, error: 'G1: coordinate not canonical (not below p)' };
  }
  if (!isOnCurveAffine(x, y)) return { ok: false, error: 'G1: point not on the curve' };
  return { ok: true, point: G1Point.fromAffine({ x, y }) };
}

export function g1ToBytes(p: G1): Uint8Array {
  const out = new Uint8Array(G1_BYTES);
  if (p.is0()) {
    out[31] = FLAG_INFINITY;
    return out;
  }
  const { x, y } = p.toAffine();
  let v = x;
  for (let i = 0; i < G1_BYTES; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (y > HALF_P) out[31] |= FLAG_NEGATIVE;
  return out;
}

export function g1Decode(bytes: Uint8Array): G1DecodeResult {
  if (!(bytes instanceof Uint8Array) || bytes.length !== G1_BYTES) {
    return { ok: false, error: `G1: encoding must be ${G1_BYTES} bytes` };
  }
  const flags = bytes[31] & (FLAG_NEGATIVE | FLAG_INFINITY);
  if (flags === (FLAG_NEGATIVE | FLAG_INFINITY)) {
    return { ok: false, error: 'G1: both flag bits set' };
  }
  if (flags === FLAG_INFINITY) {
    for (let i = 0; i < 31; i++) {
      if (bytes[i] !== 0) return { ok: false, error: 'G1: infinity with non-zero body' };
    }
    if (bytes[31] !== FLAG_INFINITY) return { ok: false, error: 'G1: infinity with non-zero body' };
    return { ok: true, point: G1_ZERO };
  }
  let x = BigInt(bytes[31] & 0x3f);
  for (let i = 30; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  if (x >= FP_MODULUS) return { ok: false, error: 'G1: x not canonical (not below p)' };
  const rhs = fpAdd(fpMul(fpSqr(x), x), G1_B);
  let y = fpSqrt(rhs);
  if (y === null) return { ok: false, error: 'G1: x is not on the curve' };
  // y = 0 would need x³ = -3, a point of order 2, which a prime-order group has not.
  if (y > HALF_P !== (flags === FLAG_NEGATIVE)) y = fpNeg(y);
  return { ok: true, point: G1Point.fromAffine({ x, y }) };
}

/** The total decoder: null on any malformed input. */
export function g1FromBytes(bytes: Uint8Array): G1 | null {
  const r = g1Decode(bytes);
  return r.ok ? r.point : null;
}

export function g1Equals(a: G1, b: G1): boolean {
  return a.equals(b);
}
