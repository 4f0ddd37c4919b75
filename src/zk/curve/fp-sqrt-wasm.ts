/**
 * The BN254 Fp square root a^((p+1)/4) (p ≡ 3 mod 4) in WebAssembly, for G1 decompression: a
 * proof carries two compressed points per segment and decoding each needs one root, which in
 * BigInt arithmetic was the verifier's largest remaining cost (docs/performance.md §8.2).
 *
 * Montgomery multiplication (Montgomery, "Modular multiplication without trial division",
 * Math. Comp. 44, 1985) in the CIOS form of Koç, Acar, Kaliski, "Analyzing and comparing
 * Montgomery multiplication algorithms", IEEE Micro 16(3), 1996, §4: 8 limbs of 32 bits held in
 * i64 locals (a limb product plus two limbs fits in 64 bits unsigned), R = 2^256, one final
 * conditional subtraction (2p < R). The exponentiation is the fixed 4-bit window schedule of
 * fp.ts's `fpSqrt`, unrolled at generation time into calls of `mul`: 14 products for the table,
 * 252 squarings and the non-zero digits' products. The module is written out instruction by
 * instruction at load time (../wasm-asm.ts). The caller (fp.ts) checks r² = a in BigInt, so a
 * result is always a root or rejected, whatever this code returns.
 */
import { Code, I32, I64, WasmMemory, instantiate, moduleBytes, op } from '../wasm-asm';

const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const LIMBS = 8;
const MASK = 0xffffffffn;

/** Memory layout (bytes): the operand, the window table, the accumulator, constants. */
const A_AT = 0;
const T_AT = 64; // 16 × 32 bytes: x^0 … x^15 in Montgomery form
const ACC_AT = T_AT + 16 * 32;
const R2_AT = ACC_AT + 32; // R² mod p
const ONE_AT = R2_AT + 32; // 1 (plain), to leave Montgomery form

const limbsOf = (x: bigint): bigint[] =>
  Array.from({ length: LIMBS }, (_, i) => (x >> BigInt(32 * i)) & MASK);

/** −p⁻¹ mod 2^32. */
function nPrime(): bigint {
  // Newton iteration for the inverse of p modulo 2^32 (p is odd).
  let inv = 1n;
  for (let i = 0; i < 6; i++) inv = (inv * (2n - (P & MASK) * inv)) & MASK;
  return (1n << 32n) - inv;
}

/** mul(r, a, b): r ← a·b·R⁻¹ mod p for a, b < p (addresses of 8 little-endian u32 limbs). */
function mulCode(): Code {
  // 0 r, 1 a, 2 b (i32); i64 locals: a0..a7, b0..b7, t0..t9, C, m, s.
  const A = 3;
  const B = A + LIMBS;
  const T = B + LIMBS;
  const C = T + 10;
  const M = C + 1;
  const S = M + 1;
  const p = limbsOf(P);
  const n0 = nPrime();
  const c = new Code();
  // s ← value on the stack; low 32 bits to `lo`, carry (high 32 bits) to C.
  const split = (lo: number): void => {
    c.tee(S).i64(32).emit(op.i64ShrU).set(C);
    c.get(S).i64(MASK).emit(op.i64And).set(lo);
  };
  for (let j = 0; j < LIMBS; j++) {
    c.get(1)
      .emit(op.i64Load32U, 2, 4 * j)
      .set(A + j);
    c.get(2)
      .emit(op.i64Load32U, 2, 4 * j)
      .set(B + j);
  }
  for (let i = 0; i < LIMBS; i++) {
    c.i64(0).set(C);
    for (let j = 0; j < LIMBS; j++) {
      // (C, t_j) ← t_j + a_j·b_i + C
      c.get(T + j)
        .get(A + j)
        .get(B + i)
        .emit(op.i64Mul, op.i64Add)
        .get(C)
        .emit(op.i64Add);
      split(T + j);
    }
    // (t_9, t_8) ← t_8 + C
    c.get(T + 8)
      .get(C)
      .emit(op.i64Add);
    c.tee(S)
      .i64(32)
      .emit(op.i64ShrU)
      .set(T + 9);
    c.get(S)
      .i64(MASK)
      .emit(op.i64And)
      .set(T + 8);
    // m ← t_0·n' mod 2^32; C ← (t_0 + m·p_0) >> 32
    c.get(T).i64(n0).emit(op.i64Mul).i64(MASK).emit(op.i64And).set(M);
    c.get(T).get(M).i64(p[0]).emit(op.i64Mul, op.i64Add).i64(32).emit(op.i64ShrU).set(C);
    for (let j = 1; j < LIMBS; j++) {
      // (C, t_{j−1}) ← t_j + m·p_j + C
      c.get(T + j)
        .get(M)
        .i64(p[j])
        .emit(op.i64Mul, op.i64Add)
        .get(C)
        .emit(op.i64Add);
      split(T + j - 1);
    }
    // (C, t_7) ← t_8 + C; t_8 ← t_9 + C
    c.get(T + 8)
      .get(C)
      .emit(op.i64Add);
    split(T + 7);
    c.get(T + 9)
      .get(C)
      .emit(op.i64Add)
      .set(T + 8);
  }
  // t < 2p: d ← t − p (into the a locals); keep d unless it borrowed (and t_8 = 0).
  c.i64(0).set(C); // borrow
  for (let j = 0; j < LIMBS; j++) {
    c.get(T + j)
      .i64(p[j])
      .emit(op.i64Sub)
      .get(C)
      .emit(op.i64Sub);
    c.tee(S).i64(63).emit(op.i64ShrU).set(C);
    c.get(S)
      .i64(MASK)
      .emit(op.i64And)
      .set(A + j);
  }
  // use d ⇔ borrow = 0 or t_8 ≠ 0
  c.get(C)
    .emit(op.i64Eqz)
    .get(T + 8)
    .i64(0)
    .emit(op.i64Ne, op.i32Or)
    .set(1); // reuse local 1 (a) as the flag
  for (let j = 0; j < LIMBS; j++) {
    c.get(0)
      .get(A + j)
      .get(T + j)
      .get(1)
      .emit(op.select, op.i64Store32, 2, 4 * j);
  }
  return c;
}

/** The (p+1)/4 exponent in base-16 digits, most significant first (as fp.ts). */
const DIGITS: readonly number[] = ((P + 1n) / 4n)
  .toString(16)
  .split('')
  .map((h) => parseInt(h, 16));

/** sqrt(): A ← A^((p+1)/4) for A < p, all steps unrolled into calls of mul (function 0). */
function sqrtCode(): Code {
  const c = new Code();
  const mul = (r: number, a: number, b: number): void =>
    void c.i32(r).i32(a).i32(b).emit(op.call, 0);
  const t = (i: number): number => T_AT + 32 * i;
  mul(t(1), A_AT, R2_AT); // x·R
  mul(t(0), ONE_AT, R2_AT); // R mod p, Montgomery's 1
  for (let i = 2; i < 16; i++) mul(t(i), t(i - 1), t(1));
  mul(ACC_AT, t(DIGITS[0]), t(0));
  for (let i = 1; i < DIGITS.length; i++) {
    for (let s = 0; s < 4; s++) mul(ACC_AT, ACC_AT, ACC_AT);
    if (DIGITS[i] !== 0) mul(ACC_AT, ACC_AT, t(DIGITS[i]));
  }
  mul(A_AT, ACC_AT, ONE_AT); // leave Montgomery form
  return c;
}

export function fpSqrtModuleBytes(): Uint8Array {
  return moduleBytes([
    {
      params: [I32, I32, I32],
      locals: [[2 * LIMBS + 10 + 3, I64]],
      code: mulCode(),
      exportAs: 'mul',
    },
    { params: [], locals: [], code: sqrtCode(), exportAs: 'sqrt' },
  ]);
}

export interface FpWasm {
  /** a^((p+1)/4) mod p for 0 ≤ a < p (a root exactly when a is a square; the caller checks). */
  pow(a: bigint): bigint;
  /** a·b·2^−256 mod p for a, b < p (Montgomery's product; for the tests). */
  montMul(a: bigint, b: bigint): bigint;
}

let loaded: FpWasm | null | undefined;

/** The WebAssembly square root, or null where WebAssembly is unavailable or fails to load. */
export function fpWasm(): FpWasm | null {
  if (loaded !== undefined) return loaded;
  const ex = instantiate(fpSqrtModuleBytes());
  if (ex === null) return (loaded = null);
  const memory = ex.memory as WasmMemory;
  const mul = ex.mul as (r: number, a: number, b: number) => void;
  const sqrt = ex.sqrt as () => void;
  const view = new DataView(memory.buffer);
  const write = (at: number, x: bigint): void => {
    for (let i = 0; i < 4; i++)
      view.setBigUint64(at + 8 * i, (x >> BigInt(64 * i)) & 0xffffffffffffffffn, true);
  };
  const read = (at: number): bigint =>
    view.getBigUint64(at, true) |
    (view.getBigUint64(at + 8, true) << 64n) |
    (view.getBigUint64(at + 16, true) << 128n) |
    (view.getBigUint64(at + 24, true) << 192n);
  write(R2_AT, (1n << 512n) % P);
  write(ONE_AT, 1n);
  loaded = {
    pow(a) {
      write(A_AT, a);
      sqrt();
      return read(A_AT);
    },
    montMul(a, b) {
      write(ACC_AT, a);
      write(A_AT, b);
      mul(A_AT, ACC_AT, A_AT);
      return read(A_AT);
    },
  };
  return loaded;
}
