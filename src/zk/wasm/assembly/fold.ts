/**
 * The field work of one Mova fold (src/zk/folding/mova.ts; Dimitriou, Garreta,
 * Manzur, Vlasov, ePrint 2024/1220, and docs/protocol.md §2) on vectors held in
 * linear memory, so that each witness element crosses from JavaScript once:
 *
 *  - errorLine: the error vector E = Az∘Bz − u·Cz restricted to the line
 *    a + X·(b − a), as nv + 1 coefficients (Thaler, PAZK §4.5.2; the same
 *    binding order as restrictToLine in src/zk/poly/multilinear.ts: x_0 first,
 *    X kept symbolic), with E computed pair by pair inside the first round
 *    instead of being stored;
 *  - crossEval: T̃(point) for the cross term T = Az₁∘Bz₂ + Az₂∘Bz₁ − u₁·Cz₂ − u₂·Cz₁,
 *    T again computed inside the first binding round (Thaler, PAZK Lemma 3.8);
 *  - foldVecs: a ← a + ρ·b, the witness fold.
 *
 * Vectors are canonical (see fr.ts): a product of two of them is off by R⁻¹
 * (E and T are computed as E·R⁻¹ and T·R⁻¹), the line and point coordinates
 * and ρ are passed in Montgomery form so that multiplying by them keeps that
 * scale, and the few outputs are multiplied by R² at the end. Every result is
 * an exact field element, equal to the bigint reference's.
 */
import { FR_BYTES, frAdd, frIsZero, frMul, frSetZero, frSub, frToMontBatch } from './fr';

const LO: usize = memory.data(32, 16);
const HI: usize = memory.data(32, 16);
const Q: usize = memory.data(32, 16);
const PREVQ: usize = memory.data(32, 16);
const TMP: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline
function at(base: usize, i: usize): usize {
  return base + i * FR_BYTES;
}

/**
 * r = a·b·R⁻¹, skipping the multiply when an operand is zero: segment witnesses
 * and their products are mostly zeros (bits, unused columns), and the test is
 * a few loads against a multiply's ≈ 50 ns.
 */
// @ts-ignore: decorator
@inline
function mulSparse(r: usize, a: usize, b: usize): void {
  if (frIsZero(a) || frIsZero(b)) frSetZero(r);
  else frMul(r, a, b);
}

/** r = (Az·Bz − u·Cz)·R⁻¹ at entry i (u canonical). */
// @ts-ignore: decorator
@inline
function errorAt(r: usize, az: usize, bz: usize, cz: usize, u: usize, i: usize): void {
  mulSparse(r, at(az, i), at(bz, i));
  mulSparse(TMP, u, at(cz, i));
  frSub(r, r, TMP);
}

/**
 * Coefficients of Ẽ(a + X·d) for E = Az∘Bz − u·Cz of 2^nv entries (nv ≥ 1),
 * left canonical in s[0..nv]. `u` canonical; `a`, `d` nv Montgomery elements
 * each; `s` scratch of 2^nv elements (the polynomials of a round overwrite
 * those of the previous one in place: output i starts at i·(w+1) ≤ 2i·w, so it
 * never passes an input not yet read).
 */
export function errorLine(
  az: usize,
  bz: usize,
  cz: usize,
  nv: i32,
  u: usize,
  a: usize,
  d: usize,
  s: usize,
): void {
  // Round 0: binding x_0 to a_0 + X·d_0 turns each pair (E[2i], E[2i+1]) into
  // E[2i] + a_0·q + X·d_0·q with q = E[2i+1] − E[2i].
  const half0: usize = (<usize>1) << (nv - 1);
  for (let i: usize = 0; i < half0; i++) {
    errorAt(LO, az, bz, cz, u, 2 * i);
    errorAt(HI, az, bz, cz, u, 2 * i + 1);
    frSub(Q, HI, LO);
    mulSparse(TMP, a, Q);
    frAdd(at(s, 2 * i), LO, TMP);
    mulSparse(at(s, 2 * i + 1), d, Q);
  }
  // Round j: `size` polynomials of width w = j + 1 become size/2 of width w + 1;
  // coefficient c of the output is lo_c + a_j·q_c + d_j·q_{c−1}, q = hi − lo.
  let size: usize = half0;
  for (let j = 1; j < nv; j++) {
    const aj = at(a, <usize>j);
    const dj = at(d, <usize>j);
    const w = <usize>j + 1;
    const nw = w + 1;
    const half = size >> 1;
    for (let i: usize = 0; i < half; i++) {
      const lo = at(s, 2 * i * w);
      const hi = lo + w * FR_BYTES;
      const o = at(s, i * nw);
      frSetZero(PREVQ);
      for (let c: usize = 0; c < w; c++) {
        frSub(Q, hi + c * FR_BYTES, lo + c * FR_BYTES);
        mulSparse(TMP, aj, Q);
        frAdd(TMP, TMP, lo + c * FR_BYTES);
        if (c > 0) {
          mulSparse(LO, dj, PREVQ);
          frAdd(TMP, TMP, LO);
        }
        // Written after its inputs lo_c, hi_c are read; o + c ≤ lo + c.
        store<u64>(o + c * FR_BYTES, load<u64>(TMP, 0), 0);
        store<u64>(o + c * FR_BYTES, load<u64>(TMP, 8), 8);
        store<u64>(o + c * FR_BYTES, load<u64>(TMP, 16), 16);
        store<u64>(o + c * FR_BYTES, load<u64>(TMP, 24), 24);
        store<u64>(PREVQ, load<u64>(Q, 0), 0);
        store<u64>(PREVQ, load<u64>(Q, 8), 8);
        store<u64>(PREVQ, load<u64>(Q, 16), 16);
        store<u64>(PREVQ, load<u64>(Q, 24), 24);
      }
      mulSparse(o + w * FR_BYTES, dj, PREVQ);
    }
    size = half;
  }
  // Undo the R⁻¹ of the Az·Bz and u·Cz products.
  frToMontBatch(s, nv + 1);
}

/** r = (Az₁·Bz₂ + Az₂·Bz₁ − u₁·Cz₂ − u₂·Cz₁)·R⁻¹ at entry i (u₁, u₂ canonical). */
// @ts-ignore: decorator
@inline
function crossAt(
  r: usize,
  az1: usize,
  bz1: usize,
  cz1: usize,
  az2: usize,
  bz2: usize,
  cz2: usize,
  u1: usize,
  u2: usize,
  i: usize,
): void {
  mulSparse(r, at(az1, i), at(bz2, i));
  mulSparse(TMP, at(az2, i), at(bz1, i));
  frAdd(r, r, TMP);
  mulSparse(TMP, u1, at(cz2, i));
  frSub(r, r, TMP);
  mulSparse(TMP, u2, at(cz1, i));
  frSub(r, r, TMP);
}

/**
 * T̃(point) for the cross term of 2^nv entries (nv ≥ 1), left canonical in s[0].
 * `u1`, `u2` canonical; `point` nv Montgomery elements; `s` scratch of 2^(nv−1)
 * elements. Binds x_0 first, as evaluateMLE does.
 */
export function crossEval(
  az1: usize,
  bz1: usize,
  cz1: usize,
  az2: usize,
  bz2: usize,
  cz2: usize,
  nv: i32,
  u1: usize,
  u2: usize,
  point: usize,
  s: usize,
): void {
  let size: usize = (<usize>1) << (nv - 1);
  for (let i: usize = 0; i < size; i++) {
    crossAt(LO, az1, bz1, cz1, az2, bz2, cz2, u1, u2, 2 * i);
    crossAt(HI, az1, bz1, cz1, az2, bz2, cz2, u1, u2, 2 * i + 1);
    frSub(Q, HI, LO);
    mulSparse(Q, point, Q);
    frAdd(at(s, i), LO, Q);
  }
  for (let j = 1; j < nv; j++) {
    const pj = at(point, <usize>j);
    size >>= 1;
    // Output i is written at i ≤ 2i, after entries 2i and 2i + 1 are read.
    for (let i: usize = 0; i < size; i++) {
      const lo = at(s, 2 * i);
      frSub(Q, lo + FR_BYTES, lo);
      frMul(Q, pj, Q);
      frAdd(at(s, i), lo, Q);
    }
  }
  frToMontBatch(s, 1);
}

/**
 * p̃(point) for a canonical vector v of 2^nv entries (nv ≥ 1), left canonical in
 * s[0]; `point` nv Montgomery elements, so each binding keeps the canonical
 * scale and needs no correction. `s` scratch of 2^(nv−1) elements.
 */
export function mleEval(v: usize, nv: i32, point: usize, s: usize): void {
  let size: usize = (<usize>1) << (nv - 1);
  for (let i: usize = 0; i < size; i++) {
    const lo = at(v, 2 * i);
    frSub(Q, lo + FR_BYTES, lo);
    mulSparse(Q, point, Q);
    frAdd(at(s, i), lo, Q);
  }
  for (let j = 1; j < nv; j++) {
    const pj = at(point, <usize>j);
    size >>= 1;
    for (let i: usize = 0; i < size; i++) {
      const lo = at(s, 2 * i);
      frSub(Q, lo + FR_BYTES, lo);
      mulSparse(Q, pj, Q);
      frAdd(at(s, i), lo, Q);
    }
  }
}

/** a[i] ← a[i] + ρ·b[i] for i < n (ρ Montgomery, vectors canonical); zero b[i] are skipped. */
export function foldVecs(a: usize, b: usize, n: i32, rho: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) {
    const bi = at(b, i);
    if (frIsZero(bi)) continue;
    frMul(TMP, rho, bi);
    frAdd(at(a, i), at(a, i), TMP);
  }
}
