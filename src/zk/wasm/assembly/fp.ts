/**
 * BN254 Fp helpers around the generated Montgomery kernels (fp-limbs.generated.ts:
 * Montgomery multiplication, CIOS order — Koç, Acar, Kaliski 1996; modular add/sub).
 * An element is 8 little-endian u32 limbs (32 bytes) in linear memory, in
 * Montgomery form (a·R mod p; R = 2^261, set by the multiply's limb width) and
 * fully reduced, so zero and equality tests compare limbs. Inversion is
 * Fermat's a^(p−2): ≈ 254 squarings + 127 multiplications; the MSM needs one
 * per batch-affine round, so its speed matters little.
 */
import { fpMul, fpSub, ONE_LIMBS, PM2_LIMBS, R2_LIMBS } from './fp-limbs.generated';

export { fpAdd, fpMul, fpSub } from './fp-limbs.generated';

export const FP_BYTES: usize = 32;

/** Pointers to the constants in static memory. */
export const FP_ONE: usize = changetype<usize>(ONE_LIMBS);
const R2: usize = changetype<usize>(R2_LIMBS);
const PM2: usize = changetype<usize>(PM2_LIMBS);
/** The integer 1 (not Montgomery): multiplying by it leaves Montgomery form. */
const RAW_ONE: usize = memory.data<u32>([1, 0, 0, 0, 0, 0, 0, 0]);
const INV_T: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline
export function fpSqr(r: usize, a: usize): void {
  fpMul(r, a, a);
}

export function fpCopy(r: usize, a: usize): void {
  store<u64>(r, load<u64>(a, 0), 0);
  store<u64>(r, load<u64>(a, 8), 8);
  store<u64>(r, load<u64>(a, 16), 16);
  store<u64>(r, load<u64>(a, 24), 24);
}

export function fpSetZero(r: usize): void {
  store<u64>(r, 0, 0);
  store<u64>(r, 0, 8);
  store<u64>(r, 0, 16);
  store<u64>(r, 0, 24);
}

export function fpIsZero(a: usize): bool {
  return (load<u64>(a, 0) | load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)) == 0;
}

export function fpEq(a: usize, b: usize): bool {
  return (
    ((load<u64>(a, 0) ^ load<u64>(b, 0)) |
      (load<u64>(a, 8) ^ load<u64>(b, 8)) |
      (load<u64>(a, 16) ^ load<u64>(b, 16)) |
      (load<u64>(a, 24) ^ load<u64>(b, 24))) ==
    0
  );
}

/** r = −a mod p. */
export function fpNeg(r: usize, a: usize): void {
  const z = INV_T;
  fpSetZero(z);
  // fpSub reads both operands before writing, so r may alias a.
  fpSub(r, z, a);
}

/** r = a⁻¹ (Montgomery in, Montgomery out); 0 maps to 0. Fermat: a^(p−2). */
export function fpInv(r: usize, a: usize): void {
  const t = INV_T;
  fpCopy(t, FP_ONE);
  for (let i: i32 = 253; i >= 0; i--) {
    fpSqr(t, t);
    const limb = load<u32>(PM2 + (<usize>(i >>> 5) << 2));
    if ((limb >>> (<u32>i & 31)) & 1) fpMul(t, t, a);
  }
  fpCopy(r, t);
}

/** Converts n consecutive canonical elements at ptr to Montgomery form in place. */
export function fpToMontBatch(ptr: usize, n: i32): void {
  for (let i = 0; i < n; i++) fpMul(ptr + <usize>i * FP_BYTES, ptr + <usize>i * FP_BYTES, R2);
}

/** Converts n consecutive Montgomery elements at ptr to canonical form in place. */
export function fpFromMontBatch(ptr: usize, n: i32): void {
  for (let i = 0; i < n; i++) fpMul(ptr + <usize>i * FP_BYTES, ptr + <usize>i * FP_BYTES, RAW_ONE);
}
