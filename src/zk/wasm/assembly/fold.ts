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
import { frAt, frAdd, frIsZero, frMul, frSetZero, frSub, frToMontBatch } from './fr';
import { ONE_LIMBS } from './fr-limbs.generated';

const ONE: usize = changetype<usize>(ONE_LIMBS);
const P: usize = memory.data(32, 16);
const TMP: usize = memory.data(32, 16);
const ACC: usize = memory.data(32, 16);

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
    const rj = frAt(point, <usize>j);
    for (let i: usize = size; i-- > 0; ) {
      const lo = frAt(out, i);
      const hi = frAt(out, i + size);
      frMul(hi, lo, rj);
      frSub(lo, lo, hi);
    }
    size <<= 1;
  }
}

/** Whether a canonical element is the integer 1 (a bit of a segment witness, mostly). */
// @ts-ignore: decorator
@inline
function isOne(a: usize): bool {
  return ((load<u64>(a, 0) ^ 1) | load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)) == 0;
}

const ACC1: usize = memory.data(32, 16);

/**
 * Σ_{i<n} eq_i·(a1_i·b2_i + a2_i·b1_i), left canonical at `out` (eq Montgomery,
 * vectors canonical). Side 2 is tested first: in a chain it is the leaf, mostly
 * zeros and ones, and a row where both its entries are zero is skipped without
 * reading side 1. Zero operands skip their multiply; a product with b2 = 1 alone
 * costs one multiply (its term eq·a1 goes to a second, canonical, sum).
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
  frSetZero(ACC1);
  for (let i: usize = 0; i < <usize>n; i++) {
    const y2 = frAt(b2, i);
    const x2 = frAt(a2, i);
    const y2z = frIsZero(y2);
    const x2z = frIsZero(x2);
    if (y2z && x2z) continue;
    const x1 = frAt(a1, i);
    const y1 = frAt(b1, i);
    const first = !y2z && !frIsZero(x1);
    const second = !x2z && !frIsZero(y1);
    if (!first && !second) continue;
    if (first && !second && isOne(y2)) {
      // eq·R times a canonical a1 is the canonical eq·a1.
      frMul(P, frAt(eq, i), x1);
      frAdd(ACC1, ACC1, P);
      continue;
    }
    if (first) {
      frMul(P, x1, y2);
      if (second) {
        frMul(TMP, x2, y1);
        frAdd(P, P, TMP);
      }
    } else frMul(P, x2, y1);
    frMul(P, frAt(eq, i), P);
    frAdd(ACC, ACC, P);
  }
  // ACC = Σ … ·R⁻¹; one multiply by R² (to Montgomery form) restores the scale.
  frToMontBatch(ACC, 1);
  frAdd(ACC, ACC, ACC1);
  copy(out, ACC);
}

/** Σ_{i<n} eq_i·v_i, left canonical at `out` (eq Montgomery, v canonical). */
export function dotEq(eq: usize, v: usize, n: i32, out: usize): void {
  frSetZero(ACC);
  for (let i: usize = 0; i < <usize>n; i++) {
    const vi = frAt(v, i);
    if (frIsZero(vi)) continue;
    frMul(P, frAt(eq, i), vi);
    frAdd(ACC, ACC, P);
  }
  copy(out, ACC);
}

const RHO: usize = memory.data(32, 16);
const RAW_ONE: usize = memory.data<u32>([1, 0, 0, 0, 0, 0, 0, 0]);

/**
 * a[i] ← a[i] + ρ·b[i] for i < n (ρ Montgomery, vectors canonical); zero b[i] are skipped
 * (a[i] is then not read), and b[i] = 1 adds ρ without a multiply.
 */
export function foldVecs(a: usize, b: usize, n: i32, rho: usize): void {
  frMul(RHO, rho, RAW_ONE);
  for (let i: usize = 0; i < <usize>n; i++) {
    const bi = frAt(b, i);
    if (frIsZero(bi)) continue;
    if (isOne(bi)) {
      frAdd(frAt(a, i), frAt(a, i), RHO);
      continue;
    }
    frMul(TMP, rho, bi);
    frAdd(frAt(a, i), frAt(a, i), TMP);
  }
}
