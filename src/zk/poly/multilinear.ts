/**
 * Multilinear polynomial utilities (docs/protocol.md, notation).
 *
 * A multilinear polynomial in n variables is its 2^n evaluations over the Boolean
 * hypercube, index i ↔ (x_0, …, x_{n-1}) with x_0 the least significant bit of i:
 * the convention of src/zk/pcs/types.ts. Binding therefore proceeds from x_0
 * (adjacent pairs 2i, 2i+1) upward, as in the sumcheck (Thaler, PAZK §4.1 and
 * Lemma 3.8 for the O(2^n) evaluation by successive binding).
 *
 * Hot loops use raw bigint arithmetic on canonical values rather than the fr.ts
 * helpers: a call per multiply costs more than the multiply at these sizes.
 */
import { FR_MODULUS, Fr } from '../field/fr';

const R = FR_MODULUS;

export function log2Exact(n: number): number {
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
    throw new RangeError(`length ${n} is not a power of two`);
  }
  return 31 - Math.clz32(n);
}

/** eq(r, ·) over the hypercube: out[i] = Π_b (bit_b(i) ? r_b : 1 − r_b); 2^n multiplies. */
export function eqTable(r: readonly Fr[]): Fr[] {
  const n = r.length;
  const out = new Array<Fr>(1 << n);
  out[0] = 1n;
  // Extending by variable b doubles the table; index bit b is the new variable, so
  // entries [0, 2^b) stay in place (bit b = 0) and their copies land at +2^b.
  for (let b = 0; b < n; b++) {
    const half = 1 << b;
    const rb = r[b];
    for (let i = 0; i < half; i++) {
      const v = out[i];
      const hi = (v * rb) % R;
      let lo = v - hi;
      if (lo < 0n) lo += R;
      out[i] = lo;
      out[i + half] = hi;
    }
  }
  return out;
}

/** eq(a, b) for two points of the same length. */
export function eqEval(a: readonly Fr[], b: readonly Fr[]): Fr {
  if (a.length !== b.length) throw new RangeError('eqEval: length mismatch');
  let acc = 1n;
  for (let i = 0; i < a.length; i++) {
    const ab = (a[i] * b[i]) % R;
    // a b + (1 − a)(1 − b) = 1 − a − b + 2ab
    let t = (1n - a[i] - b[i] + 2n * ab) % R;
    if (t < 0n) t += R;
    acc = (acc * t) % R;
  }
  return acc;
}

/** eq(r, bits(index)) in O(n): the MLE of the indicator of one hypercube point. */
export function eqAtIndex(r: readonly Fr[], index: number): Fr {
  let acc = 1n;
  for (let b = 0; b < r.length; b++) {
    const bit = Math.floor(index / 2 ** b) % 2;
    const f = bit ? r[b] : r[b] === 0n ? 1n : R + 1n - r[b];
    acc = (acc * f) % R;
  }
  // An index that does not fit in n bits is outside the cube: its indicator is 0.
  return index >= 2 ** r.length ? 0n : acc;
}

/**
 * next(a, b) = Σ_{t=0}^{2^k−2} eq(a, t)·eq(b, t+1): the MLE of "b = a + 1" without
 * wrap-around (the shift used for cross-step constraints). An increment flips a
 * run of low ones to zeros and the next zero to one; summing over the run length
 * l gives Σ_l Π_{s<l} a_s(1−b_s) · (1−a_l) b_l · Π_{s>l} eq(a_s, b_s), O(k) with
 * suffix products.
 */
export function nextEval(a: readonly Fr[], b: readonly Fr[]): Fr {
  const k = a.length;
  if (b.length !== k) throw new RangeError('nextEval: length mismatch');
  const suffix = new Array<Fr>(k + 1);
  suffix[k] = 1n;
  for (let s = k - 1; s >= 0; s--) {
    let e = (1n - a[s] - b[s] + 2n * ((a[s] * b[s]) % R)) % R;
    if (e < 0n) e += R;
    suffix[s] = (suffix[s + 1] * e) % R;
  }
  let prefix = 1n;
  let sum = 0n;
  for (let l = 0; l < k; l++) {
    const oneMinusA = a[l] === 0n ? 1n : R + 1n - a[l];
    const term = (((prefix * oneMinusA) % R) * ((b[l] * suffix[l + 1]) % R)) % R;
    sum = (sum + term) % R;
    const oneMinusB = b[l] === 0n ? 1n : R + 1n - b[l];
    prefix = (prefix * ((a[l] * oneMinusB) % R)) % R;
  }
  return sum;
}

/** Binds x_0 := r: out[i] = e[2i] + r·(e[2i+1] − e[2i]). Halves the table. */
export function bindLowest(evals: readonly Fr[], r: Fr): Fr[] {
  const half = evals.length >> 1;
  const out = new Array<Fr>(half);
  for (let i = 0; i < half; i++) {
    const lo = evals[2 * i];
    let d = evals[2 * i + 1] - lo;
    if (d < 0n) d += R;
    out[i] = (lo + d * r) % R;
  }
  return out;
}

/** p(r) for the multilinear p with evaluations `evals`; 2^n multiplies, no eq table. */
export function evaluateMLE(evals: readonly Fr[], r: readonly Fr[]): Fr {
  const n = log2Exact(evals.length);
  if (r.length !== n) throw new RangeError(`evaluateMLE: ${n} variables, point has ${r.length}`);
  if (n === 0) return evals[0];
  let cur = bindLowest(evals, r[0]);
  for (let b = 1; b < n; b++) cur = bindLowest(cur, r[b]);
  return cur[0];
}

/** Σ_i a[i]·b[i] over the shorter length. */
export function dot(a: readonly Fr[], b: readonly Fr[]): Fr {
  const n = Math.min(a.length, b.length);
  let acc = 0n;
  for (let i = 0; i < n; i++) {
    if (a[i] !== 0n && b[i] !== 0n) acc += a[i] * b[i];
  }
  return acc % R;
}

/**
 * p(r) for a sparse vector given as (index, value) pairs inside a 2^n cube:
 * Σ value·eq(r, index), O(#pairs · n). Used for the public-input MLE.
 */
export function evaluateSparseMLE(
  entries: readonly (readonly [number, Fr])[],
  r: readonly Fr[],
): Fr {
  let acc = 0n;
  for (const [i, v] of entries) {
    if (v !== 0n) acc = (acc + v * eqAtIndex(r, i)) % R;
  }
  return acc;
}

/**
 * The univariate restriction h(X) = p(a + X·(b − a)) of a multilinear p to the
 * line through a and b, as coefficients (degree ≤ n). Binding x_0, x_1, … with X
 * kept symbolic costs Σ_j 2(j+1)·2^{n−j−1} ≈ 4·2^n multiplies, against (n+1)·2^n
 * for evaluating p at n+1 points of the line (the folding prover's h_1, h_2).
 */
export function restrictToLine(evals: readonly Fr[], a: readonly Fr[], b: readonly Fr[]): Fr[] {
  const n = log2Exact(evals.length);
  if (a.length !== n || b.length !== n) throw new RangeError('restrictToLine: point sizes');
  // cur holds `size` polynomials of `deg + 1` coefficients each, flattened.
  let cur: Fr[] = evals.slice();
  let size = evals.length;
  let deg = 0;
  for (let j = 0; j < n; j++) {
    const aj = a[j];
    let dj = b[j] - aj;
    if (dj < 0n) dj += R;
    const half = size >> 1;
    const w = deg + 1;
    const nw = deg + 2;
    const next = new Array<Fr>(half * nw);
    for (let i = 0; i < half; i++) {
      const lo = 2 * i * w;
      const hi = lo + w;
      const o = i * nw;
      // P_lo + (a_j + X·d_j)·(P_hi − P_lo): coefficient c gets a_j·q_c + d_j·q_{c−1}.
      let prevQ = 0n;
      for (let c = 0; c <= deg; c++) {
        let q = cur[hi + c] - cur[lo + c];
        if (q < 0n) q += R;
        let v = cur[lo + c];
        if (q !== 0n) v += aj * q;
        if (prevQ !== 0n) v += dj * prevQ;
        next[o + c] = v % R;
        prevQ = q;
      }
      next[o + deg + 1] = prevQ === 0n ? 0n : (dj * prevQ) % R;
    }
    cur = next;
    size = half;
    deg++;
  }
  return cur;
}

/** Evaluations of a polynomial given by coefficients at X = 0, 1, …, count − 1 (Horner). */
export function evaluationsAtIntegers(coeffs: readonly Fr[], count: number): Fr[] {
  const out: Fr[] = [];
  for (let x = 0; x < count; x++) {
    const bx = BigInt(x);
    let acc = 0n;
    for (let c = coeffs.length - 1; c >= 0; c--) acc = (acc * bx + coeffs[c]) % R;
    out.push(acc);
  }
  return out;
}
