/**
 * Kernels of the zkVM memory argument's prover (src/zk/vm-circuit/memory-argument.ts): the
 * access factors f = 1 + a·ψ with ψ = γ − 1 − (key + 2^34·isWrite + α·value + α²·ts) from the
 * access tuples, and the rows of a segment's values combined with weights (a segment's
 * columns at a point in its row variables). Inputs are integers held in f64 (a segment's
 * values, exact below 2^53; the caller checks the bound), outputs canonical elements.
 */
import { FR_BYTES, frAt, frAdd, frIsZero, frMul, frSub } from './fr';
import { R2_LIMBS } from './fr-limbs.generated';

const R2: usize = changetype<usize>(R2_LIMBS);
const X: usize = memory.data(32, 16);
const Y: usize = memory.data(32, 16);
const PHI: usize = memory.data(32, 16);
const ZERO: usize = memory.data(32, 16);

/** r = x as a field element, for an integer |x| < 2^53 held in an f64. */
// @ts-ignore: decorator
@inline
function fromF64(r: usize, x: f64): void {
  const neg = x < 0;
  const m: u64 = <u64>(neg ? -x : x);
  store<u64>(r, m, 0);
  store<u64>(r, 0, 8);
  store<u64>(r, 0, 16);
  store<u64>(r, 0, 24);
  if (neg && m != 0) frSub(r, ZERO, r);
}

/**
 * For n tuples (5 f64 each: active, key, value, ts, isWrite) at `tup`: a, ψ and f = 1 + a·ψ at
 * outA, outPsi, outF (n elements each). `consts` holds four Montgomery elements: 2^34, α, α²,
 * and γ − 1 (canonical), then the canonical 1.
 */
export function memFactors(
  tup: usize,
  n: i32,
  consts: usize,
  outA: usize,
  outPsi: usize,
  outF: usize,
): void {
  const tag = consts;
  const alpha = consts + FR_BYTES;
  const alpha2 = consts + 2 * FR_BYTES;
  const gm1 = consts + 3 * FR_BYTES;
  const one = consts + 4 * FR_BYTES;
  for (let i: usize = 0; i < <usize>n; i++) {
    const p = tup + i * 40;
    // φ = key + tag·isWrite + α·value + α²·ts (a Montgomery constant times a canonical value
    // is the canonical product).
    fromF64(PHI, load<f64>(p, 8));
    fromF64(X, load<f64>(p, 32));
    if (!frIsZero(X)) {
      frMul(Y, tag, X);
      frAdd(PHI, PHI, Y);
    }
    fromF64(X, load<f64>(p, 16));
    if (!frIsZero(X)) {
      frMul(Y, alpha, X);
      frAdd(PHI, PHI, Y);
    }
    fromF64(X, load<f64>(p, 24));
    if (!frIsZero(X)) {
      frMul(Y, alpha2, X);
      frAdd(PHI, PHI, Y);
    }
    const psi = frAt(outPsi, i);
    frSub(psi, gm1, PHI);
    const a = frAt(outA, i);
    fromF64(a, load<f64>(p, 0));
    const f = frAt(outF, i);
    if (frIsZero(a)) {
      store<u64>(f, load<u64>(one, 0), 0);
      store<u64>(f, load<u64>(one, 8), 8);
      store<u64>(f, load<u64>(one, 16), 16);
      store<u64>(f, load<u64>(one, 24), 24);
    } else {
      // a·R (to Montgomery form) times ψ is the canonical a·ψ.
      frMul(X, a, R2);
      frMul(f, X, psi);
      frAdd(f, f, one);
    }
  }
}

/**
 * out[j] = Σ_{t < rows} w_t·v[t·cols + j] for j < cols (w Montgomery, out canonical), for a
 * row-major matrix of integers held in f64; zero entries cost nothing.
 */
export function rowCombine(v: usize, rows: i32, cols: i32, w: usize, out: usize): void {
  for (let j: usize = 0; j < <usize>cols; j++) {
    store<u64>(frAt(out, j), 0, 0);
    store<u64>(frAt(out, j), 0, 8);
    store<u64>(frAt(out, j), 0, 16);
    store<u64>(frAt(out, j), 0, 24);
  }
  for (let t: usize = 0; t < <usize>rows; t++) {
    const row = v + t * <usize>cols * 8;
    const wt = frAt(w, t);
    for (let j: usize = 0; j < <usize>cols; j++) {
      const x = load<f64>(row + j * 8);
      if (x == 0) continue;
      fromF64(X, x);
      frMul(Y, wt, X);
      frAdd(frAt(out, j), frAt(out, j), Y);
    }
  }
}
