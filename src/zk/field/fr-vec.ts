/**
 * Vectors of Fr elements in flat memory: 8 little-endian 32-bit limbs per element,
 * canonical (in [0, r)), the layout of the WebAssembly Fr kernels (src/zk/wasm).
 *
 * The folding prover holds its witnesses (2^(k+10) elements per segment) this way
 * instead of as bigint arrays: a vector crosses into WebAssembly memory and between
 * worker threads as one copy of its bytes (transferable, no per-element objects),
 * and the garbage collector sees one object instead of a million. Conversions to
 * and from bigints are exact and checked (tests: fr-vec.spec.ts).
 */
import { FR_MODULUS, Fr } from './fr';

/** n elements, element i at limbs [8i, 8i + 8). */
export type FrVec = Uint32Array;

export const LIMBS = 8;

export function frVecZeros(n: number): FrVec {
  return new Uint32Array(n * LIMBS);
}

export function frVecLength(v: FrVec): number {
  return v.length / LIMBS;
}

const TWO32 = 2 ** 32;

/** Element i as a bigint. */
export function frVecGet(v: FrVec, i: number): Fr {
  const o = i * LIMBS;
  const lo = v[o] + v[o + 1] * TWO32;
  if ((v[o + 2] | v[o + 3] | v[o + 4] | v[o + 5] | v[o + 6] | v[o + 7]) === 0) {
    // Below 2^64: exact in two doubles' worth of arithmetic only below 2^53.
    return lo < Number.MAX_SAFE_INTEGER ? BigInt(lo) : BigInt(v[o]) | (BigInt(v[o + 1]) << 32n);
  }
  let x = 0n;
  for (let j = LIMBS - 1; j >= 0; j--) x = (x << 32n) | BigInt(v[o + j]);
  return x;
}

/** Sets element i to the canonical x (throws on a non-canonical value). */
export function frVecSet(v: FrVec, i: number, x: Fr): void {
  const o = i * LIMBS;
  if (x >= 0n && x < 4294967296n) {
    v[o] = Number(x);
    v[o + 1] = v[o + 2] = v[o + 3] = v[o + 4] = v[o + 5] = v[o + 6] = v[o + 7] = 0;
    return;
  }
  if (x < 0n || x >= FR_MODULUS) throw new RangeError(`not a canonical Fr element: ${x}`);
  let y = x;
  for (let j = 0; j < LIMBS; j++) {
    v[o + j] = Number(y & 0xffffffffn);
    y >>= 32n;
  }
}

export function frVecFromBigints(xs: readonly Fr[]): FrVec {
  const v = frVecZeros(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x === 0n) continue;
    frVecSet(v, i, x);
  }
  return v;
}

/**
 * Whether every entry of v is an integer x with lo ≤ x < hi. A plain loop: TypedArray `every`
 * with a closure is ≈ 14× slower, ≈ 14 ms on a segment's 2^18 values.
 */
export function allIntegersIn(v: Float64Array, lo: number, hi: number): boolean {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!(x >= lo && x < hi && Number.isInteger(x))) return false;
  }
  return true;
}

/**
 * Integers held in doubles (a segment's values) as field elements: non-negative integers up to
 * 2^53 go in as two limbs without a bigint; anything else is reduced mod r through a bigint
 * (negative or fractional values are not expected and are truncated toward zero first).
 */
export function frVecFromIntegers(v: Float64Array): FrVec {
  const W = frVecZeros(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === 0) continue;
    if (x > 0 && x <= Number.MAX_SAFE_INTEGER && Number.isInteger(x)) {
      W[LIMBS * i] = x % 4294967296;
      W[LIMBS * i + 1] = Math.floor(x / 4294967296);
    } else {
      const b = BigInt(Math.trunc(x)) % FR_MODULUS;
      frVecSet(W, i, b < 0n ? b + FR_MODULUS : b);
    }
  }
  return W;
}

export function frVecToBigints(v: FrVec): Fr[] {
  const n = frVecLength(v);
  const out = new Array<Fr>(n);
  for (let i = 0; i < n; i++) out[i] = frVecGet(v, i);
  return out;
}

/** Whether every element is canonical (a vector from elsewhere, e.g. a checkpoint). */
export function frVecIsCanonical(v: FrVec): boolean {
  if (v.length % LIMBS !== 0) return false;
  const n = v.length / LIMBS;
  for (let i = 0; i < n; i++) {
    // Only elements with a top limb near r's (0x30644e72) need the full comparison.
    if (v[i * LIMBS + 7] >= 0x30644e72 && frVecGet(v, i) >= FR_MODULUS) return false;
  }
  return true;
}

export function frVecEquals(a: FrVec, b: FrVec): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The vector's bytes (a view, no copy): little-endian limbs, 32 bytes per element. */
export function frVecBytes(v: FrVec): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** A vector from its bytes (a copy), or null if the length or an element is not canonical. */
export function frVecFromBytes(b: Uint8Array): FrVec | null {
  if (b.length % (LIMBS * 4) !== 0) return null;
  const v = new Uint32Array(b.length / 4);
  new Uint8Array(v.buffer).set(b);
  return frVecIsCanonical(v) ? v : null;
}

// The byte views above, and the WebAssembly kernels, assume little-endian limbs: every
// platform Node.js runs on is little-endian, and a big-endian one fails here, not silently.
if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1)
  throw new Error('fr-vec: a big-endian platform is not supported');
