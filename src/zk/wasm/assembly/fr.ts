/**
 * BN254 Fr helpers around the generated Montgomery kernels (fr-limbs.generated.ts:
 * Montgomery multiplication in CIOS order — Koç, Acar, Kaliski, "Analyzing and
 * comparing Montgomery multiplication algorithms", IEEE Micro 1996 — on 9×29-bit
 * limbs with deferred carries; modular add/sub). Same layout as fp.ts: an element
 * is 8 little-endian u32 limbs (32 bytes), fully reduced.
 *
 * The folding kernels (fold.ts) keep vectors in canonical form, not Montgomery
 * form: the multiply of a canonical x by a Montgomery c·R gives the canonical
 * c·x, and the product of two canonical vectors is off by R⁻¹, which a linear
 * computation carries to its few outputs, fixed there by one multiply by R².
 * So vectors cross the JS boundary without conversion multiplies.
 */
import { frMul, R2_LIMBS } from './fr-limbs.generated';

export { frAdd, frMul, frSub } from './fr-limbs.generated';

export const FR_BYTES: usize = 32;

/** Address of element i of a table of field elements at base. */
// @ts-ignore: decorator
@inline
export function frAt(base: usize, i: usize): usize {
  return base + i * FR_BYTES;
}

const R2: usize = changetype<usize>(R2_LIMBS);
/** The integer 1 (not Montgomery): multiplying by it leaves Montgomery form. */
const RAW_ONE: usize = memory.data<u32>([1, 0, 0, 0, 0, 0, 0, 0]);

export function frIsZero(a: usize): bool {
  return (load<u64>(a, 0) | load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)) == 0;
}

export function frSetZero(r: usize): void {
  store<u64>(r, 0, 0);
  store<u64>(r, 0, 8);
  store<u64>(r, 0, 16);
  store<u64>(r, 0, 24);
}

/** Converts n consecutive canonical elements at ptr to Montgomery form in place (x ↦ x·R). */
export function frToMontBatch(ptr: usize, n: i32): void {
  for (let i = 0; i < n; i++) frMul(ptr + <usize>i * FR_BYTES, ptr + <usize>i * FR_BYTES, R2);
}

/** Converts n consecutive Montgomery elements at ptr to canonical form in place (x ↦ x·R⁻¹). */
export function frFromMontBatch(ptr: usize, n: i32): void {
  for (let i = 0; i < n; i++) frMul(ptr + <usize>i * FR_BYTES, ptr + <usize>i * FR_BYTES, RAW_ONE);
}
