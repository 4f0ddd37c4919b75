/**
 * The field work of one fold at the tree's shared point (src/zk/folding/mova.ts;
 * Mova, Dimitriou, Garreta, Manzur, Vlasov, ePrint 2024/1220, with every
 * instance of a tree evaluated at one point r: docs/protocol.md §2) on vectors
 * held in linear memory:
 *
 *  - eqTable: eq(r, ·) over {0,1}^nv (Thaler, PAZK Lemma 3.8's doubling, x_0
 *    the least significant bit of the index, as src/zk/poly/multilinear.ts);
 *  - crossDot: Σ_i eq_i·(Az₁ᵢ·Bz₂ᵢ + Az₂ᵢ·Bz₁ᵢ), the bilinear part of the cross
 *    term T̃(r) (its Cz part is linear and carried as scalars);
 *  - dotEq: Σ_i eq_i·vᵢ, a vector's multilinear extension at r;
 *  - foldVecs: a ← a + ρ·b, the witness fold.
 *
 * Vectors are canonical (see fr.ts); eq is kept in Montgomery form (eq·R), so
 * eq times a canonical value is canonical; a product of two canonical values is
 * off by R⁻¹, which crossDot fixes once at the end. Every result is an exact
 * field element, equal to the bigint reference's.
 */
import { FR_BYTES, frAdd, frIsZero, frMul, frSetZero, frSub, frToMontBatch } from './fr';
import { ONE_LIMBS } from './fr-limbs.generated';

const ONE: usize = changetype<usize>(ONE_LIMBS);
const P: usize = memory.data(32, 16);
const TMP: usize = memory.data(32, 16);
const ACC: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline
function at(base: usize, i: usize): usize {
  return base + i * FR_BYTES;
}

// @ts-ignore: decorator
@inline
function copy(dst: usize, src: usize): void {
  store<u64>(dst, load<u64>(src, 0), 0);
  store<u64>(dst, load<u64>(src, 8), 8);
  store<u64>(dst, load<u64>(src, 16), 16);
  store<u64>(dst, load<u64>(src, 24), 24);
}

/**
 * out[i] = eq(r, i)·R for i < 2^nv, with `point` nv Montgomery elements (r_j·R).
 * Each variable doubles the table: entry i splits into i (factor 1 − r_j) and
 * i + 2^j (factor r_j), one multiply per new entry.
 */
export function eqTable(point: usize, nv: i32, out: usize): void {
  copy(out, ONE);
  let size: usize = 1;
  for (let j = 0; j < nv; j++) {
    const rj = at(point, <usize>j);
    for (let i: usize = size; i-- > 0; ) {
      const lo = at(out, i);
      const hi = at(out, i + size);
      frMul(hi, lo, rj);
      frSub(lo, lo, hi);
    }
    size <<= 1;
  }
}

/**
 * Σ_{i<n} eq_i·(a1_i·b2_i + a2_i·b1_i), left canonical at `out` (eq Montgomery,
 * vectors canonical). Zero operands skip their multiply: segment witnesses and
 * their products are mostly zeros.
 */
export function crossDot(
  eq: usize,
  a1: usize,
  b1: usize,
  a2: usize,
  b2: usize,
  n: i32,
  out: usize,
): void {
  frSetZero(ACC);
  for (let i: usize = 0; i < <usize>n; i++) {
    const x1 = at(a1, i);
    const y2 = at(b2, i);
    const x2 = at(a2, i);
    const y1 = at(b1, i);
    const first = !(frIsZero(x1) || frIsZero(y2));
    const second = !(frIsZero(x2) || frIsZero(y1));
    if (!first && !second) continue;
    if (first) {
      frMul(P, x1, y2);
      if (second) {
        frMul(TMP, x2, y1);
        frAdd(P, P, TMP);
      }
    } else frMul(P, x2, y1);
    frMul(P, at(eq, i), P);
    frAdd(ACC, ACC, P);
  }
  // ACC = Σ … ·R⁻¹; one multiply by R² (to Montgomery form) restores the scale.
  frToMontBatch(ACC, 1);
  copy(out, ACC);
}

/** Σ_{i<n} eq_i·v_i, left canonical at `out` (eq Montgomery, v canonical). */
export function dotEq(eq: usize, v: usize, n: i32, out: usize): void {
  frSetZero(ACC);
  for (let i: usize = 0; i < <usize>n; i++) {
    const vi = at(v, i);
    if (frIsZero(vi)) continue;
    frMul(P, at(eq, i), vi);
    frAdd(ACC, ACC, P);
  }
  copy(out, ACC);
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
