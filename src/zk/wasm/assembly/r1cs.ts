/**
 * Az, Bz, Cz of a uniform R1CS segment (docs/protocol.md §1, src/zk/r1cs/uniform.ts) in
 * linear memory: the block's sparse entries applied step by step to z, so a segment costs
 * O(T·nnz(block)) additions and a multiply only where the coefficient is not ±1.
 *
 * An entry is four u32: row, column (m + j for column j of the next step), kind (0: +1,
 * 1: −1, 2: multiply by coeffs[index]), and 1 for a transition row (absent at the last step,
 * as its next-step entries are), the coefficient index in the high bits of the kind word.
 * Vectors are canonical; coefficients Montgomery (c·R), so c·R times a canonical z is the
 * canonical c·z. The per-row constants (the u column, challenge inputs) arrive pre-summed as
 * `konst` (every step but the last) and `konstLast`; boundary entries are the caller's.
 */
import { FR_BYTES, frAdd, frIsZero, frMul, frSub } from './fr';

const TMP: usize = memory.data(32, 16);

/** out (T·q elements, zeroed by the caller) += M·z for the entries at `ent`. */
export function matVec(
  z: usize,
  T: i32,
  m: i32,
  q: i32,
  ent: usize,
  nEnt: i32,
  coeffs: usize,
  konst: usize,
  konstLast: usize,
  out: usize,
): void {
  for (let t: i32 = 0; t < T; t++) {
    const last = t + 1 == T;
    const zb = z + <usize>t * <usize>m * FR_BYTES;
    const ob = out + <usize>t * <usize>q * FR_BYTES;
    for (let e: i32 = 0; e < nEnt; e++) {
      const p = ent + (<usize>e << 4);
      if (last && load<u32>(p, 12) != 0) continue;
      const zv = zb + <usize>load<u32>(p, 4) * FR_BYTES;
      if (frIsZero(zv)) continue;
      const o = ob + <usize>load<u32>(p) * FR_BYTES;
      const kind = load<u32>(p, 8);
      const k = kind & 3;
      if (k == 0) frAdd(o, o, zv);
      else if (k == 1) frSub(o, o, zv);
      else {
        frMul(TMP, coeffs + <usize>(kind >> 2) * FR_BYTES, zv);
        frAdd(o, o, TMP);
      }
    }
    const kb = last ? konstLast : konst;
    for (let i: i32 = 0; i < q; i++) {
      const kv = kb + <usize>i * FR_BYTES;
      if (frIsZero(kv)) continue;
      const o = ob + <usize>i * FR_BYTES;
      frAdd(o, o, kv);
    }
  }
}
