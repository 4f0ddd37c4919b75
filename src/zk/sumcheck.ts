/**
 * The sumcheck protocol (Lund, Fortnow, Karloff, Nisan 1992), as presented in
 * Thaler, "Proofs, Arguments, and Zero-Knowledge", §4.1; docs/protocol.md §4.
 *
 * Proves Σ_{x ∈ {0,1}^n} g(x) = claim for g = combine(p_1(x), …, p_m(x)), the p_k
 * multilinear (given as tables) and combine a polynomial of total degree ≤ d, so
 * every round polynomial has degree ≤ d. Variables are bound from x_0 (the least
 * significant index bit) upward, so the final point is in evaluation order.
 *
 * Where ours differs from the textbook: each round polynomial travels as its
 * d+1 evaluations at 0..d (not coefficients), and the prover computes s(1) as
 * claim − s(0) rather than evaluating it, saving one combine per pair.
 */
import { FR_MODULUS, Fr } from './field/fr';
import { evalFromPoints } from './poly/univariate';
import type { Transcript } from './transcript';

const R = FR_MODULUS;

export interface SumcheckProof {
  /** rounds[j] = evaluations of s_j at 0, 1, …, d. */
  readonly rounds: Fr[][];
}

export type SumcheckError =
  | { kind: 'sumcheck-shape'; round: number; expected: number; actual: number }
  | { kind: 'sumcheck-round'; round: number; expected: Fr; actual: Fr };

export type SumcheckVerdict =
  { ok: true; point: Fr[]; claim: Fr } | { ok: false; error: SumcheckError };

export interface SumcheckProverOutput {
  proof: SumcheckProof;
  point: Fr[];
  /** p_k(point) for every input table, in input order. */
  finals: Fr[];
}

/**
 * Prover. `tables` are consumed (replaced by their bound halves, never mutated);
 * `combine` receives p_1(x)…p_m(x) at one point and returns g there.
 */
export function proveSumcheck(
  claim: Fr,
  tables: readonly (readonly Fr[])[],
  degree: number,
  combine: (vals: readonly Fr[]) => Fr,
  t: Transcript,
): SumcheckProverOutput {
  const m = tables.length;
  let cur: Fr[][] = tables.map((tb) => tb as Fr[]);
  let size = cur[0].length;
  for (const tb of cur)
    if (tb.length !== size) throw new RangeError('sumcheck: table sizes differ');
  const rounds: Fr[][] = [];
  const point: Fr[] = [];
  const vals = new Array<Fr>(m);
  const diffs = new Array<Fr>(m);
  let current = claim;
  while (size > 1) {
    const half = size >> 1;
    const sums = new Array<Fr>(degree + 1).fill(0n);
    for (let i = 0; i < half; i++) {
      for (let k = 0; k < m; k++) {
        const lo = cur[k][2 * i];
        let d = cur[k][2 * i + 1] - lo;
        if (d < 0n) d += R;
        vals[k] = lo;
        diffs[k] = d;
      }
      sums[0] += combine(vals);
      // X = 1 is implied by the claim; step the tables to X = 2 directly.
      // Additions of canonical values need one conditional subtraction, not a `%`.
      for (let k = 0; k < m; k++) {
        let v = vals[k] + diffs[k];
        if (v >= R) v -= R;
        v += diffs[k];
        vals[k] = v >= R ? v - R : v;
      }
      for (let x = 2; x <= degree; x++) {
        sums[x] += combine(vals);
        if (x < degree) {
          for (let k = 0; k < m; k++) {
            const v = vals[k] + diffs[k];
            vals[k] = v >= R ? v - R : v;
          }
        }
      }
    }
    const evals = sums.map((s) => s % R);
    evals[1] = (current - evals[0] + R) % R;
    t.absorbScalars('sc-round', evals);
    const r = t.challengeScalar('sc-challenge');
    rounds.push(evals);
    point.push(r);
    current = evalFromPoints(evals, r);
    cur = cur.map((tb) => {
      const out = new Array<Fr>(half);
      for (let i = 0; i < half; i++) {
        const lo = tb[2 * i];
        let d = tb[2 * i + 1] - lo;
        if (d < 0n) d += R;
        out[i] = d === 0n ? lo : (lo + d * r) % R;
      }
      return out;
    });
    size = half;
  }
  return { proof: { rounds }, point, finals: cur.map((tb) => tb[0]) };
}

/**
 * Verifier: checks the round structure and consistency, returning the random
 * point and the reduced claim g(point) that the caller must check by other
 * means. Never throws on malformed proofs.
 */
export function verifySumcheck(
  claim: Fr,
  nVars: number,
  degree: number,
  proof: SumcheckProof,
  t: Transcript,
): SumcheckVerdict {
  if (proof.rounds.length !== nVars) {
    return {
      ok: false,
      error: { kind: 'sumcheck-shape', round: -1, expected: nVars, actual: proof.rounds.length },
    };
  }
  let current = claim;
  const point: Fr[] = [];
  for (let j = 0; j < nVars; j++) {
    const evals = proof.rounds[j];
    if (evals.length !== degree + 1) {
      return {
        ok: false,
        error: { kind: 'sumcheck-shape', round: j, expected: degree + 1, actual: evals.length },
      };
    }
    const sum = (evals[0] + evals[1]) % R;
    if (sum !== current) {
      return {
        ok: false,
        error: { kind: 'sumcheck-round', round: j, expected: current, actual: sum },
      };
    }
    t.absorbScalars('sc-round', evals);
    const r = t.challengeScalar('sc-challenge');
    point.push(r);
    current = evalFromPoints(evals, r);
  }
  return { ok: true, point, claim: current };
}
