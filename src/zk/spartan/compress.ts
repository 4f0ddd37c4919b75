/**
 * Compression: a Spartan SNARK for the accumulated relation (Setty, "Spartan",
 * ePrint 2019/550, §4–5; docs/protocol.md §3).
 *
 * Where ours differs from Spartan: the instance is an accumulated (Mova)
 * instance (C, x, u, r, v), so the first sumcheck proves Σ_x eq(r, x)·(Az·Bz −
 * u·Cz)(x) = v with the accumulator's own random point r in the role of Spartan's
 * τ and v in place of 0; the matrices are uniform, so the verifier evaluates
 * their MLEs from the block (src/zk/r1cs/uniform.ts) instead of using Spartan's
 * SPARK computation commitments; z = W ‖ io with io = (u, x, 0, …).
 *
 * Two-phase shapes (docs/protocol.md §10.4): the witness is committed as two
 * vectors W1, W2 (phase-1 and phase-2 parts) and the relation reads column j
 * of a step from W1 or W2 by the column's phase. Sumcheck 2 then proves
 * Σ_y M̃₁(r_x,y)·W̃1(y) + M̃₂(r_x,y)·W̃2(y) + M̃_io(r_x,y)·ĩo(y) over the μ+k
 * witness variables (M̃₁, M̃₂ the matrices restricted to the columns of each
 * phase), and W̃1, W̃2 at the same point are opened together as C1 + δ·C2 with
 * one PCS proof (the standard same-point batching by a random δ).
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { eqEval, eqTable, evaluateMLE } from '../poly/multilinear';
import { SumcheckError, SumcheckProof, proveSumcheck, verifySumcheck } from '../sumcheck';
import { Transcript } from '../transcript';
import type { Commitment, MultilinearPCS } from '../pcs/types';
import {
  MatrixParts,
  UniformShape,
  assembleZ,
  columnPhase2Mask,
  combinedRowVector,
  dimensions,
  evaluateIO,
  evaluateMatrices,
  isTwoPhase,
  matrixParts,
  witnessPart,
} from '../r1cs/uniform';
import { frVecToBigints, frVecZeros } from '../field/fr-vec';
import { multiplyVec } from '../folding/products';
import { proveEqSumcheck } from '../gkr/eq-sumcheck';
import type { AccInstance, AccWitness } from '../folding/mova';
import { DOMAIN_COMPRESS, PROTOCOL_VERSION } from '../folding/statement';

const R = FR_MODULUS;

export interface CompressionProof<P> {
  readonly sc1: SumcheckProof;
  /** Ãz(r_x), B̃z(r_x), C̃z(r_x). */
  readonly evals: readonly [Fr, Fr, Fr];
  readonly sc2: SumcheckProof;
  /** W̃ at the witness part of r_y (two-phase: W̃1 at r_y). */
  readonly w: Fr;
  /** Two-phase only: W̃2 at r_y. */
  readonly w2?: Fr;
  readonly pcsProof: P;
}

export type CompressionError =
  | { kind: 'compress-sumcheck1'; detail: SumcheckError }
  | { kind: 'compress-sumcheck1-final'; expected: Fr; actual: Fr }
  | { kind: 'compress-sumcheck2'; detail: SumcheckError }
  | { kind: 'compress-sumcheck2-final'; expected: Fr; actual: Fr }
  | { kind: 'compress-pcs-opening' }
  | { kind: 'compress-shape'; reason: string };

export interface CompressionContext {
  readonly shape: UniformShape;
  readonly k: number;
  readonly hd: Uint8Array;
}

function start<C extends Commitment>(ctx: CompressionContext, inst: AccInstance<C>): Transcript {
  const t = new Transcript(DOMAIN_COMPRESS, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  t.absorbBytes('digest', inst.digest);
  if (inst.comm2 === undefined) t.absorbBytes('comm', inst.comm.toBytes());
  else {
    t.absorbBytes('comm1', inst.comm.toBytes());
    t.absorbBytes('comm2', inst.comm2.toBytes());
  }
  t.absorbScalars('x', inst.x);
  t.absorbScalar('u', inst.u);
  t.absorbScalars('r', inst.r);
  t.absorbScalar('v', inst.v);
  if (inst.ev !== undefined) {
    t.absorbScalars('ev-p', inst.ev.p);
    t.absorbScalar('ev-w', inst.ev.w);
  }
  return t;
}

/**
 * An evaluation claim W̃(p) = w joins sumcheck 2 (docs/protocol.md §3): with δ drawn after
 * the first sumcheck's evaluations, the second proves
 *   Σ_y (M̃(r_x, y) + δ·(1 − y_top)·eq(p, y_w))·z̃(y) = v_A + γ·v_B + γ²·v_C + δ·w,
 * so the one opening of W at r_y serves both claims. Returns δ, or 0 without a claim.
 */
function evDelta(t: Transcript, inst: { readonly ev?: { readonly w: Fr } }): Fr {
  return inst.ev === undefined ? 0n : t.challengeScalar('ev-delta');
}

/**
 * `split` (two-phase only) gives the committed vectors W1, W2 explicitly; by
 * default they are the phase parts of wit.W, which is what an honest prover
 * committed to (the folds of the leaves' parts are the parts of the fold).
 */
export function proveCompression<C extends Commitment, P>(
  ctx: CompressionContext,
  pcs: MultilinearPCS<C, P>,
  inst: AccInstance<C>,
  wit: AccWitness,
  split?: { readonly W1: readonly Fr[]; readonly W2: readonly Fr[] },
): CompressionProof<P> {
  const d = dimensions(ctx.shape, ctx.k);
  if (isTwoPhase(ctx.shape) !== (inst.comm2 !== undefined))
    throw new Error('compression: instance and shape disagree on two phases');
  const t = start(ctx, inst);
  const u = inst.u;
  // The folds keep W, Az, Bz as flat vectors and only C̃z(r) of Cz; Cz = C·z is linear in
  // z = (W, u, x), so the root's is recomputed from its W, once.
  const W = frVecToBigints(wit.W);
  const Cz = multiplyVec(ctx.shape, ctx.k, wit.W, u, inst.x).Cz;
  // Σ_x eq(r, x)·(Az·Bz − u·Cz) as an eq-product sumcheck over the pairs (Az, Bz) and
  // (Cz, 1) with weights 1 and −u: the same round polynomials as the textbook sumcheck.
  const ones = frVecZeros(wit.Az.length / 8);
  for (let i = 0; i < ones.length; i += 8) ones[i] = 1;
  const eqs = proveEqSumcheck(inst.r, [1n, (R - u) % R], [wit.Az, Cz], [wit.Bz, ones], inst.v, t);
  const s1 = {
    proof: eqs.proof,
    point: eqs.point,
    finals: [0n, eqs.finalsA[0], eqs.finalsB[0], eqs.finalsA[1]],
  };
  const rx = s1.point;
  const evals: [Fr, Fr, Fr] = [s1.finals[1], s1.finals[2], s1.finals[3]];
  t.absorbScalars('evals', evals);
  const gamma = t.challengeScalar('gamma');
  const g2 = (gamma * gamma) % R;
  const delta = evDelta(t, inst);
  let claim2 = (evals[0] + gamma * evals[1] + g2 * evals[2]) % R;
  const left = combinedRowVector(ctx.shape, ctx.k, rx, [1n, gamma, g2]);
  if (inst.ev !== undefined) {
    if (inst.comm2 !== undefined)
      throw new Error('compression: evaluation claims are single-phase');
    if (inst.ev.p.length !== d.witnessVars) throw new Error('compression: claim point size');
    claim2 = (claim2 + delta * inst.ev.w) % R;
    const eq = eqTable(inst.ev.p);
    for (let i = 0; i < eq.length; i++) left[i] = (left[i] + delta * eq[i]) % R;
  }
  if (inst.comm2 !== undefined) {
    const first = { sc1: s1.proof, evals };
    return proveSecondTwoPhase(ctx, pcs, inst, W, t, left, first, claim2, split);
  }
  const z = assembleZ(W, u, inst.x);
  const s2 = proveSumcheck(claim2, [left, z], 2, (v) => (v[0] * v[1]) % R, t);
  const ry = s2.point;
  const wPoint = ry.slice(0, d.witnessVars);
  const w = evaluateMLE(W, wPoint);
  t.absorbScalar('w', w);
  const pcsProof = pcs.open(W, wPoint, w, inst.comm, t);
  return { sc1: s1.proof, evals, sc2: s2.proof, w, pcsProof };
}

export function verifyCompression<C extends Commitment, P>(
  ctx: CompressionContext,
  pcs: MultilinearPCS<C, P>,
  inst: AccInstance<C>,
  proof: CompressionProof<P>,
): { ok: true } | { ok: false; error: CompressionError } {
  const d = dimensions(ctx.shape, ctx.k);
  const twoPhase = isTwoPhase(ctx.shape);
  if (twoPhase !== (inst.comm2 !== undefined) || twoPhase !== (proof.w2 !== undefined)) {
    return {
      ok: false,
      error: { kind: 'compress-shape', reason: 'two-phase shape, instance and proof disagree' },
    };
  }
  const t = start(ctx, inst);
  const v1 = verifySumcheck(inst.v, d.rowVars, 3, proof.sc1, t);
  if (!v1.ok) return { ok: false, error: { kind: 'compress-sumcheck1', detail: v1.error } };
  const rx = v1.point;
  const [vA, vB, vC] = proof.evals;
  let inner = (vA * vB - inst.u * vC) % R;
  if (inner < 0n) inner += R;
  const expected1 = (eqEval(inst.r, rx) * inner) % R;
  if (expected1 !== v1.claim) {
    return {
      ok: false,
      error: { kind: 'compress-sumcheck1-final', expected: expected1, actual: v1.claim },
    };
  }
  t.absorbScalars('evals', proof.evals);
  const gamma = t.challengeScalar('gamma');
  const g2 = (gamma * gamma) % R;
  const delta = evDelta(t, inst);
  let claim2 = (vA + gamma * vB + g2 * vC) % R;
  if (inst.ev !== undefined) {
    if (twoPhase || inst.ev.p.length !== d.witnessVars)
      return {
        ok: false,
        error: { kind: 'compress-shape', reason: 'an evaluation claim this circuit cannot have' },
      };
    claim2 = (claim2 + delta * inst.ev.w) % R;
  }
  if (twoPhase) return verifySecondTwoPhase(ctx, pcs, inst, proof, t, rx, claim2, gamma);
  const v2 = verifySumcheck(claim2, d.colVars, 2, proof.sc2, t);
  if (!v2.ok) return { ok: false, error: { kind: 'compress-sumcheck2', detail: v2.error } };
  const ry = v2.point;
  const [a, b, c] = evaluateMatrices(ctx.shape, ctx.k, rx, ry);
  const wPoint = ry.slice(0, d.witnessVars);
  const top = ry[d.witnessVars];
  const evTerm =
    inst.ev === undefined ? 0n : (((delta * (1n - top + R)) % R) * eqEval(inst.ev.p, wPoint)) % R;
  const m = (a + gamma * b + g2 * c + evTerm) % R;
  const io = evaluateIO(inst.u, inst.x, wPoint);
  const zr = (((1n - top + R) % R) * proof.w + top * io) % R;
  const expected2 = (m * zr) % R;
  if (expected2 !== v2.claim) {
    return {
      ok: false,
      error: { kind: 'compress-sumcheck2-final', expected: expected2, actual: v2.claim },
    };
  }
  t.absorbScalar('w', proof.w);
  let opened = false;
  try {
    opened = pcs.verify(inst.comm, wPoint, proof.w, proof.pcsProof, t);
  } catch {
    opened = false;
  }
  if (!opened) return { ok: false, error: { kind: 'compress-pcs-opening' } };
  return { ok: true };
}

// ---------------------------------------------------------------------------
// Two-phase second sumcheck and batched opening (docs/protocol.md §10.4)
// ---------------------------------------------------------------------------

function proveSecondTwoPhase<C extends Commitment, P>(
  ctx: CompressionContext,
  pcs: MultilinearPCS<C, P>,
  inst: AccInstance<C>,
  Wfull: readonly Fr[],
  t: Transcript,
  left: readonly Fr[],
  first: { sc1: SumcheckProof; evals: [Fr, Fr, Fr] },
  claim2: Fr,
  split?: { readonly W1: readonly Fr[]; readonly W2: readonly Fr[] },
): CompressionProof<P> {
  const n = Wfull.length;
  const m = ctx.shape.m;
  const phase2 = columnPhase2Mask(ctx.shape);
  const L1 = new Array<Fr>(n);
  const L2 = new Array<Fr>(n);
  for (let i = 0; i < n; i++) {
    const p2 = phase2[i % m];
    L1[i] = p2 ? 0n : left[i];
    L2[i] = p2 ? left[i] : 0n;
  }
  const Lio = left.slice(n);
  const io = assembleZ(new Array<Fr>(n).fill(0n), inst.u, inst.x).slice(n);
  const W1 = split ? [...split.W1] : witnessPart(ctx.shape, Wfull, 1);
  const W2 = split ? [...split.W2] : witnessPart(ctx.shape, Wfull, 2);
  const s2 = proveSumcheck(
    claim2,
    [L1, W1, L2, W2, Lio, io],
    2,
    (v) => (v[0] * v[1] + v[2] * v[3] + v[4] * v[5]) % R,
    t,
  );
  const ry = s2.point;
  const w1 = s2.finals[1];
  const w2 = s2.finals[3];
  t.absorbScalar('w1', w1);
  t.absorbScalar('w2', w2);
  const delta = t.challengeScalar('delta');
  const batched = W1.map((a, i) => (W2[i] === 0n ? a : (a + delta * W2[i]) % R));
  const comm = pcs.add(inst.comm, pcs.scale(inst.comm2 as C, delta));
  const pcsProof = pcs.open(batched, ry, (w1 + delta * w2) % R, comm, t);
  return { sc1: first.sc1, evals: first.evals, sc2: s2.proof, w: w1, w2, pcsProof };
}

function verifySecondTwoPhase<C extends Commitment, P>(
  ctx: CompressionContext,
  pcs: MultilinearPCS<C, P>,
  inst: AccInstance<C>,
  proof: CompressionProof<P>,
  t: Transcript,
  rx: readonly Fr[],
  claim2: Fr,
  gamma: Fr,
): { ok: true } | { ok: false; error: CompressionError } {
  const d = dimensions(ctx.shape, ctx.k);
  const v2 = verifySumcheck(claim2, d.witnessVars, 2, proof.sc2, t);
  if (!v2.ok) return { ok: false, error: { kind: 'compress-sumcheck2', detail: v2.error } };
  const ry = v2.point;
  const g2 = (gamma * gamma) % R;
  const [a, b, c] = matrixParts(ctx.shape, ctx.k, rx, ry);
  const mix = (f: (p: MatrixParts) => Fr): Fr => (f(a) + gamma * f(b) + g2 * f(c)) % R;
  const w1 = proof.w;
  const w2 = proof.w2 as Fr;
  const io = evaluateIO(inst.u, inst.x, ry);
  const expected = (mix((p) => p.w1) * w1 + mix((p) => p.w2) * w2 + mix((p) => p.io) * io) % R;
  if (expected !== v2.claim) {
    return {
      ok: false,
      error: { kind: 'compress-sumcheck2-final', expected, actual: v2.claim },
    };
  }
  t.absorbScalar('w1', w1);
  t.absorbScalar('w2', w2);
  const delta = t.challengeScalar('delta');
  let opened = false;
  try {
    const comm = pcs.add(inst.comm, pcs.scale(inst.comm2 as C, delta));
    opened = pcs.verify(comm, ry, (w1 + delta * w2) % R, proof.pcsProof, t);
  } catch {
    opened = false;
  }
  if (!opened) return { ok: false, error: { kind: 'compress-pcs-opening' } };
  return { ok: true };
}
