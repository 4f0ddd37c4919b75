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
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { eqEval, eqTable, evaluateMLE } from '../poly/multilinear';
import { SumcheckError, SumcheckProof, proveSumcheck, verifySumcheck } from '../sumcheck';
import { Transcript } from '../transcript';
import type { Commitment, MultilinearPCS } from '../pcs/types';
import {
  UniformShape,
  assembleZ,
  combinedRowVector,
  dimensions,
  evaluateIO,
  evaluateMatrices,
} from '../r1cs/uniform';
import type { AccInstance, AccWitness } from '../folding/mova';
import { DOMAIN_COMPRESS, PROTOCOL_VERSION } from '../folding/statement';

const R = FR_MODULUS;

export interface CompressionProof<P> {
  readonly sc1: SumcheckProof;
  /** Ãz(r_x), B̃z(r_x), C̃z(r_x). */
  readonly evals: readonly [Fr, Fr, Fr];
  readonly sc2: SumcheckProof;
  /** W̃ at the witness part of r_y. */
  readonly w: Fr;
  readonly pcsProof: P;
}

export type CompressionError =
  | { kind: 'compress-sumcheck1'; detail: SumcheckError }
  | { kind: 'compress-sumcheck1-final'; expected: Fr; actual: Fr }
  | { kind: 'compress-sumcheck2'; detail: SumcheckError }
  | { kind: 'compress-sumcheck2-final'; expected: Fr; actual: Fr }
  | { kind: 'compress-pcs-opening' };

export interface CompressionContext {
  readonly shape: UniformShape;
  readonly k: number;
  readonly hd: Uint8Array;
}

function start<C extends Commitment>(ctx: CompressionContext, inst: AccInstance<C>): Transcript {
  const t = new Transcript(DOMAIN_COMPRESS, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  t.absorbBytes('digest', inst.digest);
  t.absorbBytes('comm', inst.comm.toBytes());
  t.absorbScalars('x', inst.x);
  t.absorbScalar('u', inst.u);
  t.absorbScalars('r', inst.r);
  t.absorbScalar('v', inst.v);
  return t;
}

export function proveCompression<C extends Commitment, P>(
  ctx: CompressionContext,
  pcs: MultilinearPCS<C, P>,
  inst: AccInstance<C>,
  wit: AccWitness,
): CompressionProof<P> {
  const d = dimensions(ctx.shape, ctx.k);
  const t = start(ctx, inst);
  const u = inst.u;
  const s1 = proveSumcheck(
    inst.v,
    [eqTable(inst.r), wit.Az, wit.Bz, wit.Cz],
    3,
    (v) => {
      let inner = (v[1] * v[2] - u * v[3]) % R;
      if (inner < 0n) inner += R;
      return (v[0] * inner) % R;
    },
    t,
  );
  const rx = s1.point;
  const evals: [Fr, Fr, Fr] = [s1.finals[1], s1.finals[2], s1.finals[3]];
  t.absorbScalars('evals', evals);
  const gamma = t.challengeScalar('gamma');
  const g2 = (gamma * gamma) % R;
  const claim2 = (evals[0] + gamma * evals[1] + g2 * evals[2]) % R;
  const left = combinedRowVector(ctx.shape, ctx.k, rx, [1n, gamma, g2]);
  const z = assembleZ(wit.W, u, inst.x);
  const s2 = proveSumcheck(claim2, [left, z], 2, (v) => (v[0] * v[1]) % R, t);
  const ry = s2.point;
  const wPoint = ry.slice(0, d.witnessVars);
  const w = evaluateMLE(wit.W, wPoint);
  t.absorbScalar('w', w);
  const pcsProof = pcs.open(wit.W, wPoint, w, inst.comm, t);
  return { sc1: s1.proof, evals, sc2: s2.proof, w, pcsProof };
}

export function verifyCompression<C extends Commitment, P>(
  ctx: CompressionContext,
  pcs: MultilinearPCS<C, P>,
  inst: AccInstance<C>,
  proof: CompressionProof<P>,
): { ok: true } | { ok: false; error: CompressionError } {
  const d = dimensions(ctx.shape, ctx.k);
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
  const claim2 = (vA + gamma * vB + g2 * vC) % R;
  const v2 = verifySumcheck(claim2, d.colVars, 2, proof.sc2, t);
  if (!v2.ok) return { ok: false, error: { kind: 'compress-sumcheck2', detail: v2.error } };
  const ry = v2.point;
  const [a, b, c] = evaluateMatrices(ctx.shape, ctx.k, rx, ry);
  const m = (a + gamma * b + g2 * c) % R;
  const wPoint = ry.slice(0, d.witnessVars);
  const top = ry[d.witnessVars];
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
