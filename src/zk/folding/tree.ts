/**
 * The canonical fold tree (docs/protocol.md §2, Trees) and the accumulation
 * verifier that replays it from instance data alone.
 *
 * Leaves are ids 0..N−1; fold j produces id N + j. At each level adjacent pairs
 * are folded left to right and an odd last node is carried up. Folds on one
 * level are independent, so the jobs layer can run them in parallel workers by
 * calling proveFold per node in plan order.
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { combineCommitments } from '../encoding/pcs-codec';
import type { Commitment, MultilinearPCS } from '../pcs/types';
import {
  AccCore,
  AccInstance,
  AccWitness,
  FoldContext,
  FoldError,
  FoldMessage,
  ProverContext,
  foldCore,
  liftCore,
  proveFold,
  proveLeaf,
} from './mova';

const R = FR_MODULUS;

export interface FoldStep {
  /** Id of the left input (accumulator). */
  readonly left: number;
  readonly right: number;
  /** Id of the output: N + index in the plan. */
  readonly out: number;
  /** Depth level (0 = folds of leaves), for scheduling. */
  readonly level: number;
}

export function foldPlan(N: number): FoldStep[] {
  if (!Number.isInteger(N) || N < 1) throw new RangeError('at least one segment');
  const steps: FoldStep[] = [];
  let layer = Array.from({ length: N }, (_, i) => i);
  let level = 0;
  while (layer.length > 1) {
    const next: number[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      if (i + 1 < layer.length) {
        const out = N + steps.length;
        steps.push({ left: layer[i], right: layer[i + 1], out, level });
        next.push(out);
      } else next.push(layer[i]);
    }
    layer = next;
    level++;
  }
  return steps;
}

export interface SegmentWitness {
  readonly W: Fr[];
  readonly x: readonly Fr[];
}

export interface FoldTreeProof<C extends Commitment> {
  readonly leafComms: C[];
  readonly msgs: FoldMessage[];
}

/** Sequential prover for the whole tree (the jobs layer parallelises per level). */
export function proveFoldTree<C extends Commitment>(
  ctx: ProverContext<C>,
  segments: readonly SegmentWitness[],
  witnessBits: number,
): { proof: FoldTreeProof<C>; root: AccInstance<C>; rootWitness: AccWitness } {
  const N = segments.length;
  const insts: AccInstance<C>[] = [];
  const wits: AccWitness[] = [];
  segments.forEach((s, i) => {
    const { inst, wit } = proveLeaf(ctx, i, s.W, s.x, witnessBits);
    insts[i] = inst;
    wits[i] = wit;
  });
  const leafComms = insts.slice(0, N).map((i) => i.comm);
  const msgs: FoldMessage[] = [];
  foldPlan(N).forEach((st, j) => {
    const res = proveFold(ctx, j, insts[st.left], wits[st.left], insts[st.right], wits[st.right]);
    msgs.push(res.msg);
    insts[st.out] = res.inst;
    wits[st.out] = res.wit;
    // Inputs are consumed: free them so a big tree keeps O(level width) witnesses.
    delete wits[st.left];
    delete wits[st.right];
  });
  const rootId = N === 1 ? 0 : 2 * N - 2;
  return { proof: { leafComms, msgs }, root: insts[rootId], rootWitness: wits[rootId] };
}

export type TreeVerdict<C extends Commitment> =
  | { ok: true; root: AccInstance<C> }
  | { ok: false; error: FoldError | { kind: 'fold-count'; expected: number; actual: number } };

/**
 * The accumulation verifier: lifts every leaf from (C_i, x_i), replays every fold
 * on instance data, and computes the root commitment as one combination
 * Σ c_i·C_i (c_i = product of the ρ's where leaf i's branch was the right input).
 */
export function verifyFoldTree<C extends Commitment, P>(
  ctx: FoldContext,
  pcs: MultilinearPCS<C, P>,
  leaves: readonly { comm: C; x: readonly Fr[] }[],
  msgs: readonly FoldMessage[],
): TreeVerdict<C> {
  const N = leaves.length;
  const plan = foldPlan(N);
  if (msgs.length !== plan.length) {
    return { ok: false, error: { kind: 'fold-count', expected: plan.length, actual: msgs.length } };
  }
  const cores: AccCore[] = leaves.map((l, i) => liftCore(ctx, i, l.comm.toBytes(), l.x));
  const rhos: Fr[] = [];
  for (let j = 0; j < plan.length; j++) {
    const st = plan[j];
    const res = foldCore(ctx, j, cores[st.left], cores[st.right], msgs[j]);
    if (!res.ok) return res;
    cores[st.out] = res.core;
    rhos.push(res.rho);
  }
  const rootId = N === 1 ? 0 : 2 * N - 2;
  const coeff = new Array<Fr>(2 * N).fill(0n);
  coeff[rootId] = 1n;
  for (let j = plan.length - 1; j >= 0; j--) {
    const st = plan[j];
    coeff[st.left] = coeff[st.out];
    coeff[st.right] = (coeff[st.out] * rhos[j]) % R;
  }
  const comm = combineCommitments(
    pcs,
    leaves.map((l) => l.comm),
    coeff.slice(0, N),
  );
  return { ok: true, root: { ...cores[rootId], comm } };
}
