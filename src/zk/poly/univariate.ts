/**
 * Univariate polynomials given by their evaluations at 0, 1, …, d: the form in
 * which sumcheck round polynomials and the folding line polynomials travel
 * (docs/protocol.md §2, §4). Evaluation elsewhere is Lagrange interpolation over
 * the integer nodes, O(d) after the node weights, with one batch inversion.
 */
import { FR_MODULUS, Fr, batchInverse } from '../field/fr';

const R = FR_MODULUS;

const weightCache = new Map<number, Fr[]>();

/** Barycentric weights w_i = 1 / Π_{j≠i} (i − j) for nodes 0..d. */
function weights(d: number): Fr[] {
  const hit = weightCache.get(d);
  if (hit) return hit;
  const denoms: Fr[] = [];
  for (let i = 0; i <= d; i++) {
    let p = 1n;
    for (let j = 0; j <= d; j++) if (j !== i) p = (p * BigInt(i - j)) % R;
    denoms.push(p < 0n ? p + R : p);
  }
  const w = batchInverse(denoms);
  weightCache.set(d, w);
  return w;
}

/** s(x) where s has degree ≤ evals.length − 1 and s(i) = evals[i]. */
export function evalFromPoints(evals: readonly Fr[], x: Fr): Fr {
  const d = evals.length - 1;
  if (d < 0) return 0n;
  if (x <= BigInt(d)) return evals[Number(x)];
  const w = weights(d);
  // Lagrange: s(x) = Π_j (x − j) · Σ_i w_i s(i) / (x − i)
  const diffs: Fr[] = [];
  let full = 1n;
  for (let i = 0; i <= d; i++) {
    const di = (x - BigInt(i) + R) % R;
    diffs.push(di);
    full = (full * di) % R;
  }
  const invDiffs = batchInverse(diffs);
  let acc = 0n;
  for (let i = 0; i <= d; i++) acc = (acc + ((w[i] * evals[i]) % R) * invDiffs[i]) % R;
  return (acc * full) % R;
}

/**
 * evalFromPoints for many (evals, x) pairs with one batch inversion for all of them instead of
 * one per pair: s_k(x_k) = Π_j (x_k − j) · Σ_i w_i s_k(i) / (x_k − i). The fold-tree verifier
 * evaluates two line polynomials per fold, and the inversion dominated each evaluation.
 */
export function evalManyFromPoints(items: readonly { evals: readonly Fr[]; x: Fr }[]): Fr[] {
  const out = new Array<Fr>(items.length).fill(0n);
  const diffs: Fr[] = [];
  const pending: { k: number; start: number; full: Fr }[] = [];
  for (let k = 0; k < items.length; k++) {
    const { evals, x } = items[k];
    const d = evals.length - 1;
    if (d < 0) continue;
    if (x <= BigInt(d)) {
      out[k] = evals[Number(x)];
      continue;
    }
    // Consecutive items at the same point with as many nodes (h_1 and h_2 of one fold) share
    // their differences and inverses.
    const prev = pending.length > 0 ? pending[pending.length - 1] : undefined;
    if (prev !== undefined && items[prev.k].x === x && items[prev.k].evals.length === d + 1) {
      pending.push({ k, start: prev.start, full: prev.full });
      continue;
    }
    const start = diffs.length;
    let full = 1n;
    for (let i = 0; i <= d; i++) {
      const di = (x - BigInt(i) + R) % R;
      diffs.push(di);
      full = (full * di) % R;
    }
    pending.push({ k, start, full });
  }
  const inv = batchInverse(diffs);
  // c_i = w_i·full/(x − i), once per distinct point (shared by the items at it); then each
  // item is Σ c_i·s(i), summed unreduced and reduced once (the reduction is a BigInt
  // division, the dominant cost of a product).
  let coeffs: Fr[] = [];
  let coeffStart = -1;
  for (const { k, start, full } of pending) {
    const evals = items[k].evals;
    if (start !== coeffStart) {
      const w = weights(evals.length - 1);
      coeffs = w.map((wi, i) => (((wi * inv[start + i]) % R) * full) % R);
      coeffStart = start;
    }
    let acc = 0n;
    for (let i = 0; i < evals.length; i++) acc += coeffs[i] * evals[i];
    out[k] = acc % R;
  }
  return out;
}
