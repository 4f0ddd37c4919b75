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
 * one KZG opening of B = Σ q^i f_i at the three points r, −r, r².
 *
 * Differences from Nova: that opening is KZG's own batch opening of one
 * polynomial at several points (KZG10 §3.4: one quotient by the vanishing
 * polynomial Z_T of T = {r, −r, r²}, checked against [Z_T(τ)]G2 from the
 * powers [τ^0..3]G2), where Nova commits to three quotients by (X − u) and
 * combines three checks with a further challenge: one prover MSM instead of
 * three, one G1 element instead of three, three pairings instead of two.
 * Variables are folded lowest-first (Nova folds the highest first, matching
 * its big-endian index convention); the commitment, point, value and SRS id
 * are absorbed by `open`/`verify` themselves; n = 0 is allowed (the proof is
 * empty and the verifier checks C = v·G); r ∈ {0, 1, −1} (where the three
 * points are not distinct) is rejected.
 */
import { bn254 } from '@noble/curves/bn254';
import {
  FR_MODULUS,
  Fr,
  add as frAdd,
  mul as frMul,
  neg as frNeg,
  sub as frSub,
  inv as frInv,
} from '../field/fr';
import { G1, G1_GENERATOR, G1_ZERO, g1ToBytes } from '../curve/g1';
import { affineFromG1 } from '../curve/g1-fast';
import { msm, msmIntegers, msmSmall } from '../msm';
import { G2, Srs, SrsVerifierKey, verifierKey } from '../srs/types';
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
  /** Commitment to the quotient h = (B − I) / Z_T (KZG10 batch opening); null when n = 0. */
  readonly w: G1 | null;
}

/** A multilinear polynomial's evaluations as univariate coefficients: f(u) by Horner. */
function evalUnivariate(coeffs: readonly Fr[], u: Fr): Fr {
  let acc = 0n;
  for (let j = coeffs.length - 1; j >= 0; j--) acc = (acc * u + coeffs[j]) % R;
  return acc;
}

/**
 * (f(X) − I(X)) / Z(X) for the monic cubic Z(X) = X³ + z2·X² + z1·X + z0, by
 * long division; throws if the remainder is not I (a prover bug, never data).
 */
function divideByCubic(f: readonly Fr[], z: readonly Fr[], interp: readonly Fr[]): Fr[] {
  const rem = f.map((c, j) => (j < 3 ? (c - interp[j] + R) % R : c));
  while (rem.length < 3) rem.push(0n);
  const n = rem.length;
  if (n <= 3) {
    if (rem.some((c) => c !== 0n)) throw new Error('hyperkzg: claimed values are not B(u)');
    return [];
  }
  const qt = new Array<Fr>(n - 3).fill(0n);
  for (let j = n - 1; j >= 3; j--) {
    const c = rem[j];
    if (c === 0n) continue;
    qt[j - 3] = c;
    // rem −= c·X^(j−3)·Z; the X^j term cancels by construction.
    rem[j - 1] = (rem[j - 1] - c * z[2]) % R;
    rem[j - 2] = (rem[j - 2] - c * z[1]) % R;
    rem[j - 3] = (rem[j - 3] - c * z[0]) % R;
    if (rem[j - 1] < 0n) rem[j - 1] += R;
    if (rem[j - 2] < 0n) rem[j - 2] += R;
    if (rem[j - 3] < 0n) rem[j - 3] += R;
  }
  if (rem[0] !== 0n || rem[1] !== 0n || rem[2] !== 0n) {
    throw new Error('hyperkzg: claimed values are not B(u)');
  }
  return qt;
}

/** The three opening points and Z_T = (X − r)(X + r)(X − r²) = X³ − r²X² − r²X + r⁴, low to high. */
function pointsAndVanishing(r: Fr): { us: Fr[]; z: Fr[] } {
  const r2 = frMul(r, r);
  return { us: [r, frNeg(r), r2], z: [frMul(r2, r2), frNeg(r2), frNeg(r2)] };
}

/** Coefficients (low to high) of the degree-≤2 polynomial through (u_k, b_k); the u_k must be distinct. */
function interpolate3(us: readonly Fr[], bs: readonly Fr[]): Fr[] {
  const out = [0n, 0n, 0n];
  for (let k = 0; k < 3; k++) {
    const [a, b] = [0, 1, 2].filter((j) => j !== k).map((j) => us[j]);
    const scale = frMul(bs[k], frInv(frMul(frSub(us[k], a), frSub(us[k], b))));
    // (X − a)(X − b) = X² − (a + b)X + ab
    out[0] = frAdd(out[0], frMul(scale, frMul(a, b)));
    out[1] = frSub(out[1], frMul(scale, frAdd(a, b)));
    out[2] = frAdd(out[2], scale);
  }
  return out;
}

/** r must make r, −r, r² distinct. */
function goodR(r: Fr): boolean {
  return r !== 0n && r !== 1n && r !== R - 1n;
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
  w: 'hyperkzg/quotient',
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

/**
 * [τ]G2 + [τ²]G2 by the (τG2, τ²G2) point objects. Verifier keys are often fresh copies of one
 * SRS (`verifierKey(srs)` per request) that share its point objects; returning the same sum
 * object for them lets @noble/curves reuse its per-point memos (subgroup check, Miller-loop
 * line coefficients) instead of recomputing them for every verification.
 */
const g2Sums = new WeakMap<G2, { b: G2; sum: G2 }>();
function g2Sum(a: G2, b: G2): G2 {
  const hit = g2Sums.get(a);
  if (hit !== undefined && hit.b === b) return hit.sum;
  const sum = a.add(b);
  g2Sums.set(a, { b, sum });
  return sum;
}

export class HyperKZG implements MultilinearPCS<HyperKzgCommitment, HyperKzgProof> {
  readonly maxVars: number;
  private readonly vk: SrsVerifierKey;
  /** [τ + τ²]G2, the G2 side shared by the two middle terms of Z_T(τ). */
  private readonly tauPlusTau2G2: G2;

  /** `srs` may be a full SRS (prover and verifier) or only its verifier key (verifier only). */
  constructor(private readonly srs: Srs | SrsVerifierKey) {
    this.maxVars = srs.maxVars;
    this.vk = verifierKey(srs);
    this.tauPlusTau2G2 = g2Sum(srs.tauG2, srs.tau2G2);
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

  commitIntegers(values: Float64Array): HyperKzgCommitment {
    return new HyperKzgCommitment(msmIntegers(this.key(values.length).g1Powers, values));
  }

  add(a: HyperKzgCommitment, b: HyperKzgCommitment): HyperKzgCommitment {
    return new HyperKzgCommitment(a.point.add(b.point));
  }

  scale(a: HyperKzgCommitment, k: Fr): HyperKzgCommitment {
    const s = ((k % R) + R) % R;
    // Commitments and folding challenges are public: the variable-time multiply is safe and faster.
    return new HyperKzgCommitment(s === 0n ? G1_ZERO : a.point.multiplyUnsafe(s));
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
    if (n === 0) return { comms: [], evals: [], w: null };

    const polys: Fr[][] = [Array.from(evals)];
    for (let i = 0; i < n - 1; i++) polys.push(fold(polys[i], point[i]));
    const comms = polys.slice(1).map((f) => msm(key, f));
    absorbPoints(t, L.folds, comms);

    const r = t.challengeScalar(L.r);
    if (!goodR(r)) throw new Error('hyperkzg: challenge r ∈ {0, ±1} (probability 3/|F|)');
    const { us, z } = pointsAndVanishing(r);
    const ys = polys.map((f) => us.map((u) => evalUnivariate(f, u)));
    t.absorbScalars(L.evals, ys.flat());

    const q = t.challengeScalar(L.q);
    const b = new Array<Fr>(evals.length).fill(0n);
    let qi = 1n;
    for (const f of polys) {
      for (let j = 0; j < f.length; j++) b[j] = (b[j] + qi * f[j]) % R;
      qi = frMul(qi, q);
    }
    const bu = us.map((u) => evalUnivariate(b, u));
    const w = msm(key, divideByCubic(b, z, interpolate3(us, bu)));
    absorbPoints(t, L.w, [w]);
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
    if (!Array.isArray(comms) || !Array.isArray(evals)) return false;
    const c = commitment.point;
    absorbStatement(t, this.vk, c, point, value);
    if (n === 0) {
      if (comms.length !== 0 || evals.length !== 0 || w !== null) return false;
      return c.equals(value === 0n ? G1_ZERO : G1_GENERATOR.multiply(value));
    }
    if (comms.length !== n - 1 || evals.length !== n || !isG1(w)) return false;
    if (!comms.every(isG1)) return false;
    for (const row of evals) {
      if (!Array.isArray(row) || row.length !== 3 || !row.every(isFr)) return false;
    }
    absorbPoints(t, L.folds, comms);
    const r = t.challengeScalar(L.r);
    if (!goodR(r)) return false;
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
    absorbPoints(t, L.w, [w]);

    // KZG10 batch opening of B = Σ q^i f_i at T = {r, −r, r²} with claimed values
    // b_k = Σ q^i y_{i,k}: e(C_B − [I(τ)]1, [1]2) = e(W, [Z_T(τ)]2). With
    // Z_T = X³ − r²X² − r²X + r⁴ this is the three-pairing product
    //   e(C_B − [I(τ)]1 − r⁴·W, [1]2) · e(r²·W, [τ² + τ]2) · e(−W, [τ³]2) = 1.
    const { us, z } = pointsAndVanishing(r);
    const qi: Fr[] = [];
    let acc = 1n;
    for (let i = 0; i < n; i++) {
      qi.push(acc);
      acc = frMul(acc, q);
    }
    const bu = us.map((_, k) => {
      let s = 0n;
      for (let i = 0; i < n; i++) s = (s + qi[i] * evals[i][k]) % R;
      return s;
    });
    const interp = interpolate3(us, bu);
    const r2 = frNeg(z[1]);
    const a = combine(
      [c, ...comms, this.vk.g1, this.vk.tauG1, this.vk.tau2G1, w],
      [...qi, frNeg(interp[0]), frNeg(interp[1]), frNeg(interp[2]), frNeg(z[0])],
    );
    const pairs = [
      { g1: a, g2: this.vk.g2 },
      // Variable-time multiply: w and r² are public.
      { g1: w.multiplyUnsafe(r2), g2: this.tauPlusTau2G2 },
      { g1: w.negate(), g2: this.vk.tau3G2 },
    ].filter((p) => !p.g1.is0());
    // e(O, ·) = 1, and noble refuses the point at infinity: such pairs were dropped.
    if (pairs.length === 0) return true;
    const gt = bn254.pairingBatch(pairs);
    return bn254.fields.Fp12.eql(gt, bn254.fields.Fp12.ONE);
  }
}

/** Exposed for tests of the quotient arithmetic. */
export const _internal = { evalUnivariate, divideByCubic, interpolate3, pointsAndVanishing, fold };
