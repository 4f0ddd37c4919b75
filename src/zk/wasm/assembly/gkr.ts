/**
 * Kernels of the GKR grand-product prover (src/zk/gkr; Thaler, "Time-optimal
 * interactive proofs for circuit evaluation", CRYPTO 2013; Thaler, "Proofs,
 * Arguments, and Zero-Knowledge" §4.6) on tables held in linear memory:
 *
 *  - gkrLayer: one layer of the product tree, dst[x] = src[2x]·src[2x+1];
 *  - gkrEqRound: the sums one round of the eq-product sumcheck needs, with the
 *    eq factor of the current variable split off (Gruen, ePrint 2024/108 §3);
 *  - gkrBind: binds a table's lowest variable in place;
 *  - gkrEqHalve: sums out the lowest variable of an eq table, which is how the
 *    next round's eq table follows from this round's without multiplies
 *    (eq(z, 0) + eq(z, 1) = 1).
 *
 * Scales: frMul is the Montgomery product a·b·R⁻¹ (R = 2^261). The eq table
 * and the challenges are in Montgomery form (x·R), so binding keeps a table's
 * scale; a table may hold x·R^e for any fixed e (canonical input vectors are
 * used as they are, e = 0, and a layer of products of a table with scale R^e
 * has scale R^(2e−1)), and the caller multiplies the few outputs by the
 * matching power of R. That saves a conversion multiply per input element.
 * A table may be strided (`stride` elements between consecutive entries), so
 * the even and odd halves of one product-tree layer are two tables that share
 * its memory, with no de-interleaving copy.
 */
import { FR_BYTES, frAt, frAdd, frMul, frSub } from './fr';

const P: usize = memory.data(32, 16);
const DA: usize = memory.data(32, 16);
const DB: usize = memory.data(32, 16);

/** dst[x] = src[2x]·src[2x+1] for x < n; dst must not overlap src[0, 2n). */
export function gkrLayer(src: usize, n: i32, dst: usize): void {
  for (let x: usize = 0; x < <usize>n; x++) frMul(frAt(dst, x), frAt(src, 2 * x), frAt(src, 2 * x + 1));
}

/**
 * t[i] ← t[2i] + r·(t[2i+1] − t[2i]) for i < half, where t[i] is the element at
 * t + i·stride·32 (r Montgomery, so the table keeps its scale). In place: entry i is written after entries 2i
 * and 2i + 1 are read, and i ≤ 2i.
 */
export function gkrBind(t: usize, half: i32, stride: i32, r: usize): void {
  const s: usize = <usize>stride * FR_BYTES;
  for (let i: usize = 0; i < <usize>half; i++) {
    const lo = t + 2 * i * s;
    const hi = lo + s;
    frSub(P, hi, lo);
    frMul(P, P, r);
    frAdd(t + i * s, lo, P);
  }
}

/** t[i] ← t[2i] + t[2i+1] for i < half (contiguous). */
export function gkrEqHalve(t: usize, half: i32): void {
  for (let i: usize = 0; i < <usize>half; i++) frAdd(frAt(t, i), frAt(t, 2 * i), frAt(t, 2 * i + 1));
}

/**
 * One round of the eq-product sumcheck for m pairs of tables (A_j, B_j), each
 * with 2·half entries of stride `stride`; their addresses are the u32 table
 * `tabs` = [A_0, B_0, A_1, B_1, …], all with one scale R^s. With e = the eq
 * table over the variables after the current one (half entries, Montgomery),
 * sums for every j
 *
 *   q0_j   = Σ_i e_i·A_j[2i]·B_j[2i]                              (X = 0)
 *   qInf_j = Σ_i e_i·(A_j[2i+1] − A_j[2i])·(B_j[2i+1] − B_j[2i])  (leading coefficient)
 *   q1_j   = Σ_i e_i·A_j[2i+1]·B_j[2i+1]                          (X = 1, only if withOne)
 *
 * each term as frMul(frMul(a, b), e), i.e. with scale R^(2s−1). The sums
 * are left unreduced, as 8 u64 words per sum (word w = Σ of the terms' 32-bit
 * limb w, no carries; exact while half < 2^32), at out + 192j + 64·(0, 1, 2):
 * a modular add per term costs as much as half a multiply, a limb add almost
 * nothing, and the caller reduces 3m sums once. The λ_j combination, the
 * linear eq factor and the Montgomery scale are applied by the caller too, so
 * the loop costs 4 multiplies per pair and table pair.
 */
export function gkrEqRound(
  eq: usize,
  tabs: usize,
  m: i32,
  stride: i32,
  half: i32,
  withOne: i32,
  out: usize,
): void {
  const s: usize = <usize>stride * FR_BYTES;
  const pair: usize = 2 * s;
  for (let j: usize = 0; j < <usize>m; j++) {
    let z0: u64 = 0;
    let z1: u64 = 0;
    let z2: u64 = 0;
    let z3: u64 = 0;
    let z4: u64 = 0;
    let z5: u64 = 0;
    let z6: u64 = 0;
    let z7: u64 = 0;
    let f0: u64 = 0;
    let f1: u64 = 0;
    let f2: u64 = 0;
    let f3: u64 = 0;
    let f4: u64 = 0;
    let f5: u64 = 0;
    let f6: u64 = 0;
    let f7: u64 = 0;
    let u0: u64 = 0;
    let u1: u64 = 0;
    let u2: u64 = 0;
    let u3: u64 = 0;
    let u4: u64 = 0;
    let u5: u64 = 0;
    let u6: u64 = 0;
    let u7: u64 = 0;
    let a0 = <usize>load<u32>(tabs + 8 * j);
    let b0 = <usize>load<u32>(tabs + 8 * j + 4);
    for (let i: usize = 0; i < <usize>half; i++) {
      const e = frAt(eq, i);
      const a1 = a0 + s;
      const b1 = b0 + s;
      frMul(P, a0, b0);
      frMul(P, P, e);
      z0 += <u64>load<u32>(P, 0);
      z1 += <u64>load<u32>(P, 4);
      z2 += <u64>load<u32>(P, 8);
      z3 += <u64>load<u32>(P, 12);
      z4 += <u64>load<u32>(P, 16);
      z5 += <u64>load<u32>(P, 20);
      z6 += <u64>load<u32>(P, 24);
      z7 += <u64>load<u32>(P, 28);
      frSub(DA, a1, a0);
      frSub(DB, b1, b0);
      frMul(P, DA, DB);
      frMul(P, P, e);
      f0 += <u64>load<u32>(P, 0);
      f1 += <u64>load<u32>(P, 4);
      f2 += <u64>load<u32>(P, 8);
      f3 += <u64>load<u32>(P, 12);
      f4 += <u64>load<u32>(P, 16);
      f5 += <u64>load<u32>(P, 20);
      f6 += <u64>load<u32>(P, 24);
      f7 += <u64>load<u32>(P, 28);
      if (withOne) {
        frMul(P, a1, b1);
        frMul(P, P, e);
        u0 += <u64>load<u32>(P, 0);
        u1 += <u64>load<u32>(P, 4);
        u2 += <u64>load<u32>(P, 8);
        u3 += <u64>load<u32>(P, 12);
        u4 += <u64>load<u32>(P, 16);
        u5 += <u64>load<u32>(P, 20);
        u6 += <u64>load<u32>(P, 24);
        u7 += <u64>load<u32>(P, 28);
      }
      a0 += pair;
      b0 += pair;
    }
    const o = out + 192 * j;
    store<u64>(o, z0, 0);
    store<u64>(o, z1, 8);
    store<u64>(o, z2, 16);
    store<u64>(o, z3, 24);
    store<u64>(o, z4, 32);
    store<u64>(o, z5, 40);
    store<u64>(o, z6, 48);
    store<u64>(o, z7, 56);
    store<u64>(o, f0, 64);
    store<u64>(o, f1, 72);
    store<u64>(o, f2, 80);
    store<u64>(o, f3, 88);
    store<u64>(o, f4, 96);
    store<u64>(o, f5, 104);
    store<u64>(o, f6, 112);
    store<u64>(o, f7, 120);
    store<u64>(o, u0, 128);
    store<u64>(o, u1, 136);
    store<u64>(o, u2, 144);
    store<u64>(o, u3, 152);
    store<u64>(o, u4, 160);
    store<u64>(o, u5, 168);
    store<u64>(o, u6, 176);
    store<u64>(o, u7, 184);
  }
}
