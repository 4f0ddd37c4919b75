/**
 * HyperKZG: a multilinear polynomial commitment from univariate KZG.
 *
 * Follows the multilinear-to-univariate reduction of Gemini (Bootle, Chiesa,
 * Hu, Orrù, "Gemini: elastic SNARKs for diverse environments", EUROCRYPT 2022,
 * ePrint 2022/420, §2.4.2) as instantiated in Microsoft Nova's
 * `src/provider/hyperkzg.rs`, with KZG (Kate, Zaverucha, Goldberg, ASIACRYPT
 * 2010) for the univariate openings. Full specification and soundness
 * argument: docs/commitments.md.
 *
 * The 2^n evaluations e_j of a multilinear p are the coefficients of the
 * univariate f_0(X) = Σ e_j X^j, so Commit(p) = Σ e_j·[τ^j]G1 and the .ptau G1
 * powers are the commitment key as they are. To show p(x) = v the prover folds
 * the lowest variable first (our index convention, types.ts):
 *   f_{i+1}[j] = (1 − x_i)·f_i[2j] + x_i·f_i[2j+1],   f_n = v,
 * which as polynomials reads f_{i+1}(X²) = (1−x_i)·(f_i(X) + f_i(−X))/2 +
 * x_i·(f_i(X) − f_i(−X))/(2X). It commits to f_1 … f_{n−1}, receives r, sends
 * f_i(r), f_i(−r), f_i(r²) for every i, and proves all 3n evaluations with
 * one batched KZG opening: B = Σ q^i f_i opened at r, −r, r² (three
 * quotient commitments W), the three pairing checks combined with powers of d
 * into one two-pairing product.
 *
 * Differences from Nova: variables are folded lowest-first (Nova folds the
 * highest first, matching its big-endian index convention); the commitment,
 * point, value and SRS id are absorbed by `open`/`verify` themselves; n = 0 is
 * allowed (the proof is empty and the verifier checks C = v·G); the verifier
 * rejects r = 0 instead of dividing by it.
 */
import { bn254 } from '@noble/curves/bn254';
import {
  FR_MODULUS,
  Fr,
  add as frAdd,
  mul as frMul,
  neg as frNeg,
  sub as frSub,
} from '../field/fr';
import { G1, G1_GENERATOR, G1_ZERO, g1ToBytes } from '../curve/g1';
import { affineFromG1 } from '../curve/g1-fast';
import { msm, msmSmall } from '../msm';
import type { Srs, SrsVerifierKey } from '../srs/types';
import type { Transcript } from '../transcript';
import type { Commitment, MultilinearPCS } from './types';

const R = FR_MODULUS;

export class HyperKzgCommitment implements Commitment {
  constructor(readonly point: G1) {}
  toBytes(): Uint8Array {
    return g1ToBytes(this.point);
  }
}

export interface HyperKzgProof {
  /** Commitments to f_1 … f_{n−1}. */
  readonly comms: readonly G1[];
  /** evals[i] = [f_i(r), f_i(−r), f_i(r²)] for i < n. */
  readonly evals: readonly (readonly Fr[])[];
  /** KZG quotient commitments for B at r, −r, r². */
  readonly w: readonly G1[];
}

/** A multilinear polynomial's evaluations as univariate coefficients: f(u) by Horner. */
function evalUnivariate(coeffs: readonly Fr[], u: Fr): Fr {
  let acc = 0n;
  for (let j = coeffs.length - 1; j >= 0; j--) acc = (acc * u + coeffs[j]) % R;
  return acc;
}

/** (f(X) − f(u)) / (X − u) by synthetic division; the remainder f(u) is dropped. */
function divideByLinear(coeffs: readonly Fr[], u: Fr): Fr[] {
  const n = coeffs.length;
  if (n <= 1) return [];
  const q = new Array<Fr>(n - 1);
  let acc = 0n;
  for (let j = n - 1; j >= 1; j--) {
    acc = (acc * u + coeffs[j]) % R;
    q[j - 1] = acc;
  }
  return q;
}

function fold(f: readonly Fr[], x: Fr): Fr[] {
  const half = f.length >> 1;
  const out = new Array<Fr>(half);
  for (let j = 0; j < half; j++) {
    const lo = f[2 * j];
    let d = f[2 * j + 1] - lo;
    if (d < 0n) d += R;
    out[j] = (lo + d * x) % R;
  }
  return out;
}

function isFr(x: unknown): x is Fr {
  return typeof x === 'bigint' && x >= 0n && x < R;
}

/** A G1 point object that is really on the curve (objects can be built without validation). */
function isG1(p: unknown): p is G1 {
  if (!(p instanceof bn254.G1.ProjectivePoint)) return false;
  try {
    p.assertValidity();
    return true;
  } catch {
    return false;
  }
}

function log2Exact(n: number): number {
  const k = Math.log2(n);
  if (!Number.isInteger(k)) throw new RangeError(`hyperkzg: length ${n} is not a power of two`);
  return k;
}

/** Labels of the opening transcript (docs/commitments.md §Transcript). */
const L = {
  srs: 'hyperkzg/srs',
  comm: 'hyperkzg/commitment',
  point: 'hyperkzg/point',
  value: 'hyperkzg/value',
  folds: 'hyperkzg/fold-commitments',
  r: 'hyperkzg/r',
  evals: 'hyperkzg/evals',
  q: 'hyperkzg/q',
  w: 'hyperkzg/quotients',
  d: 'hyperkzg/d',
} as const;

function absorbPoints(t: Transcript, label: string, pts: readonly G1[]): void {
  const buf = new Uint8Array(32 * pts.length);
  pts.forEach((p, i) => buf.set(g1ToBytes(p), 32 * i));
  t.absorbBytes(label, buf);
}

function absorbStatement(
  t: Transcript,
  vk: SrsVerifierKey,
  c: G1,
  point: readonly Fr[],
  value: Fr,
): void {
  t.absorbBytes(L.srs, vk.id);
  t.absorbBytes(L.comm, g1ToBytes(c));
  t.absorbScalars(L.point, point);
  t.absorbScalar(L.value, value);
}

/** Σ k_i·P_i for a handful of points (verifier side), through the checked MSM. */
function combine(points: readonly G1[], scalars: readonly Fr[]): G1 {
  return msm(affineFromG1(points), scalars);
}

export class HyperKZG implements MultilinearPCS<HyperKzgCommitment, HyperKzgProof> {
  readonly maxVars: number;
  private readonly vk: SrsVerifierKey;

  /** `srs` may be a full SRS (prover and verifier) or only its verifier key (verifier only). */
  constructor(private readonly srs: Srs | SrsVerifierKey) {
    this.maxVars = srs.maxVars;
    const { g1, g2, tauG2, maxVars, insecure, id } = srs;
    this.vk = { g1, g2, tauG2, maxVars, insecure, id };
  }

  get verifierKey(): SrsVerifierKey {
    return this.vk;
  }

  private key(n: number): Srs {
    const srs = this.srs as Srs;
    if (!srs.g1Powers) throw new Error('hyperkzg: a verifier key cannot commit or open');
    if (n > srs.g1Powers.xs.length) {
      throw new RangeError(
        `hyperkzg: ${n} coefficients but the SRS has ${srs.g1Powers.xs.length} powers`,
      );
    }
    return srs;
  }

  commit(evals: readonly Fr[]): HyperKzgCommitment {
    return new HyperKzgCommitment(msm(this.key(evals.length).g1Powers, evals));
  }

  commitSmall(evals: readonly Fr[], bits: number): HyperKzgCommitment {
    return new HyperKzgCommitment(msmSmall(this.key(evals.length).g1Powers, evals, bits));
  }

  add(a: HyperKzgCommitment, b: HyperKzgCommitment): HyperKzgCommitment {
    return new HyperKzgCommitment(a.point.add(b.point));
  }

  scale(a: HyperKzgCommitment, k: Fr): HyperKzgCommitment {
    const s = ((k % R) + R) % R;
    return new HyperKzgCommitment(s === 0n ? G1_ZERO : a.point.multiply(s));
  }

  zero(): HyperKzgCommitment {
    return new HyperKzgCommitment(G1_ZERO);
  }

  /** Σ scalars_i·comms_i as one MSM (used by `combineCommitments` in src/zk/encoding). */
  msm(comms: readonly HyperKzgCommitment[], scalars: readonly Fr[]): HyperKzgCommitment {
    return new HyperKzgCommitment(
      combine(
        comms.map((c) => c.point),
        scalars,
      ),
    );
  }

  open(
    evals: readonly Fr[],
    point: readonly Fr[],
    value: Fr,
    commitment: HyperKzgCommitment,
    t: Transcript,
  ): HyperKzgProof {
    const n = log2Exact(evals.length);
    if (point.length !== n)
      throw new RangeError(`hyperkzg: ${n} variables but the point has ${point.length}`);
    if (n > this.maxVars)
      throw new RangeError(`hyperkzg: ${n} variables exceed the SRS (${this.maxVars})`);
    const key = this.key(evals.length).g1Powers;
    absorbStatement(t, this.vk, commitment.point, point, value);
    if (n === 0) return { comms: [], evals: [], w: [] };

    const polys: Fr[][] = [Array.from(evals)];
    for (let i = 0; i < n - 1; i++) polys.push(fold(polys[i], point[i]));
    const comms = polys.slice(1).map((f) => msm(key, f));
    absorbPoints(t, L.folds, comms);

    const r = t.challengeScalar(L.r);
    if (r === 0n) throw new Error('hyperkzg: challenge r = 0 (probability 1/|F|)');
    const us = [r, frNeg(r), frMul(r, r)];
    const ys = polys.map((f) => us.map((u) => evalUnivariate(f, u)));
    t.absorbScalars(L.evals, ys.flat());

    const q = t.challengeScalar(L.q);
    const b = new Array<Fr>(evals.length).fill(0n);
    let qi = 1n;
    for (const f of polys) {
      for (let j = 0; j < f.length; j++) b[j] = (b[j] + qi * f[j]) % R;
      qi = frMul(qi, q);
    }
    const w = us.map((u) => msm(key, divideByLinear(b, u)));
    absorbPoints(t, L.w, w);
    t.challengeScalar(L.d); // keeps prover and verifier transcripts in step
    return { comms, evals: ys, w };
  }

  verify(
    commitment: HyperKzgCommitment,
    point: readonly Fr[],
    value: Fr,
    proof: HyperKzgProof,
    t: Transcript,
  ): boolean {
    try {
      return this.verifyUnsafe(commitment, point, value, proof, t);
    } catch {
      return false;
    }
  }

  private verifyUnsafe(
    commitment: HyperKzgCommitment,
    point: readonly Fr[],
    value: Fr,
    proof: HyperKzgProof,
    t: Transcript,
  ): boolean {
    if (!(commitment instanceof HyperKzgCommitment) || !isG1(commitment.point)) return false;
    if (!Array.isArray(point) || !point.every(isFr) || !isFr(value)) return false;
    const n = point.length;
    if (n > this.maxVars) return false;
    if (proof === null || typeof proof !== 'object') return false;
    const { comms, evals, w } = proof;
    if (!Array.isArray(comms) || !Array.isArray(evals) || !Array.isArray(w)) return false;
    const c = commitment.point;
    absorbStatement(t, this.vk, c, point, value);
    if (n === 0) {
      if (comms.length !== 0 || evals.length !== 0 || w.length !== 0) return false;
      return c.equals(value === 0n ? G1_ZERO : G1_GENERATOR.multiply(value));
    }
    if (comms.length !== n - 1 || evals.length !== n || w.length !== 3) return false;
    if (!comms.every(isG1) || !w.every(isG1)) return false;
    for (const row of evals) {
      if (!Array.isArray(row) || row.length !== 3 || !row.every(isFr)) return false;
    }
    absorbPoints(t, L.folds, comms);
    const r = t.challengeScalar(L.r);
    if (r === 0n) return false;
    t.absorbScalars(L.evals, evals.flat());

    // Folding consistency: 2r·f_{i+1}(r²) = r(1−x_i)(y⁺+y⁻) + x_i(y⁺−y⁻), with f_n(r²) = v.
    const twoR = frAdd(r, r);
    for (let i = 0; i < n; i++) {
      const [yp, ym] = evals[i];
      const next = i + 1 < n ? evals[i + 1][2] : value;
      const x = point[i];
      const rhs = frAdd(frMul(frMul(r, frSub(1n, x)), frAdd(yp, ym)), frMul(x, frSub(yp, ym)));
      if (frMul(twoR, next) !== rhs) return false;
    }

    const q = t.challengeScalar(L.q);
    absorbPoints(t, L.w, w);
    const d = t.challengeScalar(L.d);

    // Batched KZG check for B = Σ q^i f_i at u_j ∈ {r, −r, r²}:
    //   e(Σ d^j W_j, [τ]G2) = e(Σ d^j (C_B − B(u_j)·G + u_j·W_j), G2).
    const us = [r, frNeg(r), frMul(r, r)];
    const dj = [1n, d, frMul(d, d)];
    const qi: Fr[] = [];
    let acc = 1n;
    for (let i = 0; i < n; i++) {
      qi.push(acc);
      acc = frMul(acc, q);
    }
    const bu = us.map((_, j) => {
      let s = 0n;
      for (let i = 0; i < n; i++) s = (s + qi[i] * evals[i][j]) % R;
      return s;
    });
    const dSum = frAdd(frAdd(dj[0], dj[1]), dj[2]);
    const gScalar = frNeg(
      frAdd(frAdd(frMul(dj[0], bu[0]), frMul(dj[1], bu[1])), frMul(dj[2], bu[2])),
    );
    const rhsPoint = combine(
      [c, ...comms, G1_GENERATOR, ...w],
      [...qi.map((x) => frMul(x, dSum)), gScalar, ...us.map((u, j) => frMul(u, dj[j]))],
    );
    const lhsPoint = combine(w, dj);
    // e(O, ·) = 1, and noble refuses the point at infinity: drop such pairs.
    const pairs = [
      { g1: lhsPoint, g2: this.vk.tauG2 },
      { g1: rhsPoint.negate(), g2: this.vk.g2 },
    ].filter((p) => !p.g1.is0());
    if (pairs.length === 0) return true;
    const gt = bn254.pairingBatch(pairs);
    return bn254.fields.Fp12.eql(gt, bn254.fields.Fp12.ONE);
  }
}

/** Exposed for tests of the quotient arithmetic. */
export const _internal = { evalUnivariate, divideByLinear, fold };
