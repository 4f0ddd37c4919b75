/**
 * Univariate polynomials given by their evaluations at 0, 1, …, d: the form in
 * which sumcheck round polynomials and the folding line polynomials travel
 * (docs/protocol.md §2, §4). Evaluation elsewhere is Lagrange interpolation over
 * the integer nodes, O(d) after the node weights, with no inversion.
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

/**
 * s(x) where s has degree ≤ evals.length − 1 and s(i) = evals[i]:
 * s(x) = Σ_i w_i·s(i)·Π_{j≠i}(x − j), the products from prefix and suffix products of the
 * differences — no inversion per call (the weights are cached per degree). The verifiers'
 * sumchecks evaluate one round polynomial per round, and an inversion was most of its cost.
 */
export function evalFromPoints(evals: readonly Fr[], x: Fr): Fr {
  const d = evals.length - 1;
  if (d < 0) return 0n;
  if (x <= BigInt(d)) return evals[Number(x)];
  const w = weights(d);
  const diffs: Fr[] = [];
  for (let i = 0; i <= d; i++) diffs.push((x - BigInt(i) + R) % R);
  // suffix[i] = Π_{j>i} (x − j)
  const suffix = new Array<Fr>(d + 1);
  suffix[d] = 1n;
  for (let i = d; i > 0; i--) suffix[i - 1] = (suffix[i] * diffs[i]) % R;
  let prefix = 1n;
  let acc = 0n;
  for (let i = 0; i <= d; i++) {
    acc += (((w[i] * evals[i]) % R) * ((prefix * suffix[i]) % R)) % R;
    prefix = (prefix * diffs[i]) % R;
  }
  return acc % R;
}
