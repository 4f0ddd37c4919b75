/**
 * The BN254 scalar field Fr, the constraint field of every proof (docs/protocol.md §1).
 *
 * Elements are canonical bigints in [0, r). This is the reference implementation:
 * correct first; hot loops may use faster kernels that are tested against it.
 * The modulus is the group order of BN254's G1 (EIP-196/197), so values here are
 * the exponents of G1 commitments and the base field of Grumpkin.
 */

export type Fr = bigint;

export const FR_MODULUS =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const FR_BYTES = 32;

const R = FR_MODULUS;

export const ZERO: Fr = 0n;
export const ONE: Fr = 1n;

export function add(a: Fr, b: Fr): Fr {
  const s = a + b;
  return s >= R ? s - R : s;
}

export function sub(a: Fr, b: Fr): Fr {
  const d = a - b;
  return d < 0n ? d + R : d;
}

export function neg(a: Fr): Fr {
  return a === 0n ? 0n : R - a;
}

export function mul(a: Fr, b: Fr): Fr {
  return (a * b) % R;
}

export function square(a: Fr): Fr {
  return (a * a) % R;
}

/** Reduces any integer (possibly negative or larger than r) into the field. */
export function reduce(a: bigint): Fr {
  const m = a % R;
  return m < 0n ? m + R : m;
}

export function pow(base: Fr, exponent: bigint): Fr {
  let result = 1n;
  let b = base % R;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % R;
    b = (b * b) % R;
    e >>= 1n;
  }
  return result;
}

/** Multiplicative inverse by the extended Euclidean algorithm; throws on zero. */
export function inv(a: Fr): Fr {
  if (a === 0n) throw new RangeError('Fr: inverse of zero');
  let [oldR, r] = [a, R];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return reduce(oldS);
}

/**
 * Montgomery's batch inversion: n inverses for one inversion and 3(n-1) products.
 * Zeros are left as zero (callers that must not see zero check before).
 */
export function batchInverse(values: readonly Fr[]): Fr[] {
  const n = values.length;
  const prefix = new Array<Fr>(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    if (values[i] !== 0n) acc = (acc * values[i]) % R;
  }
  let accInv = n === 0 ? 1n : inv(acc);
  const out = new Array<Fr>(n);
  for (let i = n - 1; i >= 0; i--) {
    const v = values[i];
    if (v === 0n) {
      out[i] = 0n;
      continue;
    }
    out[i] = (accInv * prefix[i]) % R;
    accInv = (accInv * v) % R;
  }
  return out;
}

export function isCanonical(a: bigint): boolean {
  return a >= 0n && a < R;
}

/** 32-byte little-endian encoding of a canonical element. */
export function toBytesLE(a: Fr): Uint8Array {
  // Four 64-bit limbs instead of 32 byte steps: a quarter of the BigInt shifts (the
  // transcript serialises every absorbed scalar through here).
  const out = new Uint8Array(FR_BYTES);
  const view = new DataView(out.buffer);
  let v = a;
  for (let i = 0; i < FR_BYTES; i += 8) {
    view.setBigUint64(i, BigInt.asUintN(64, v), true);
    v >>= 64n;
  }
  return out;
}

/** Parses 32 little-endian bytes; returns null when the value is not canonical (>= r). */
export function fromBytesLE(bytes: Uint8Array): Fr | null {
  if (bytes.length !== FR_BYTES) return null;
  const v = leToBigInt(bytes);
  return v < R ? v : null;
}

/** Interprets 64 uniformly random bytes as a field element with bias below 2^-250. */
export function fromWideBytesLE(bytes: Uint8Array): Fr {
  return leToBigInt(bytes) % R;
}

/** Unsigned little-endian bytes to a bigint, 64 bits at a time where the length allows. */
function leToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === FR_BYTES || bytes.length === 2 * FR_BYTES) {
    // The common cases (every decoded scalar, every challenge): through a reused view, no
    // allocation per call.
    SCRATCH.set(bytes);
    const lo =
      SCRATCH_VIEW.getBigUint64(0, true) |
      (SCRATCH_VIEW.getBigUint64(8, true) << 64n) |
      (SCRATCH_VIEW.getBigUint64(16, true) << 128n) |
      (SCRATCH_VIEW.getBigUint64(24, true) << 192n);
    if (bytes.length === FR_BYTES) return lo;
    const hi =
      SCRATCH_VIEW.getBigUint64(32, true) |
      (SCRATCH_VIEW.getBigUint64(40, true) << 64n) |
      (SCRATCH_VIEW.getBigUint64(48, true) << 128n) |
      (SCRATCH_VIEW.getBigUint64(56, true) << 192n);
    return lo | (hi << 256n);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let v = 0n;
  let i = bytes.length;
  for (; i % 8 !== 0; i--) v = (v << 8n) | BigInt(bytes[i - 1]);
  for (; i > 0; i -= 8) v = (v << 64n) | view.getBigUint64(i - 8, true);
  return v;
}

const SCRATCH = new Uint8Array(2 * FR_BYTES);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);
