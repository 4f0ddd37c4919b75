/**
 * The canonical fold tree (docs/protocol.md §2, Trees) and the accumulation
 * verifier that replays it from instance data alone.
 *
 * Leaves are ids 0..N−1; fold j produces id N + j. Chains of consecutive leaves
 * are folded one leaf at a time, then the chain roots in a balanced tree. Chains,
 * and folds on one balanced level, are independent, so the jobs layer runs them
 * in parallel workers.
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
  TreeClaims,
  commitLeaf,
  drawPoint,
  foldCore,
  leafWitness,
  liftCore,
  proveFold,
} from './mova';

const R = FR_MODULUS;

export interface FoldStep {
  /** Id of the left input (accumulator). */
  readonly left: number;
  readonly right: number;
  /** Id of the output: N + index in the plan. */
  readonly out: number;
  /** 0: a fold inside a chain; 1, 2, …: the balanced levels above the chains. */
  readonly level: number;
}

/**
 * Leaves per chain of the canonical tree. Part of the protocol (the verifier replays the same
 * plan): a chain folds its leaves one after the other into one accumulator, which the prover
 * keeps in one thread's memory while the leaves stream through (a fold of an accumulator and a
 * leaf only touches the leaf's non-zero entries, and nothing crosses threads); chains are
 * independent, so they are the unit of parallel work.
 */
export const FOLD_CHAIN = 16;

/**
 * The canonical fold tree of N leaves (docs/protocol.md §2, Trees): chains of FOLD_CHAIN
 * consecutive leaves, each folded left to right ((l₀, l₁), then (that, l₂), …), then the chain
 * roots in a balanced tree: at each level adjacent pairs are folded left to right and an odd
 * last node is carried up. Folds are numbered in this order: the chains' folds chain by chain,
 * then the balanced levels.
 */
export function foldPlan(N: number): FoldStep[] {
  if (!Number.isInteger(N) || N < 1) throw new RangeError('at least one segment');
  const steps: FoldStep[] = [];
  const fold = (left: number, right: number, level: number): number => {
    const out = N + steps.length;
    steps.push({ left, right, out, level });
    return out;
  };
  let layer: number[] = [];
  for (let c = 0; c < N; c += FOLD_CHAIN) {
    let acc = c;
    for (let i = c + 1; i < Math.min(N, c + FOLD_CHAIN); i++) acc = fold(acc, i, 0);
    layer.push(acc);
  }
  for (let level = 1; layer.length > 1; level++) {
    const next: number[] = [];
    for (let i = 0; i < layer.length; i += 2)
      next.push(i + 1 < layer.length ? fold(layer[i], layer[i + 1], level) : layer[i]);
    layer = next;
  }
  return steps;
}

/** The chains of the canonical tree: leaf ranges [from, from + count) and their plan steps. */
export function foldChains(N: number): { from: number; count: number; steps: number[] }[] {
  const plan = foldPlan(N);
  const chains: { from: number; count: number; steps: number[] }[] = [];
  let j = 0;
  for (let c = 0; c < N; c += FOLD_CHAIN) {
    const count = Math.min(FOLD_CHAIN, N - c);
    const steps: number[] = [];
    for (let i = 1; i < count; i++) steps.push(j++);
    chains.push({ from: c, count, steps });
  }
  if (plan.slice(0, j).some((st) => st.level !== 0)) throw new Error('fold plan: chain order');
  return chains;
}

export interface SegmentWitness {
  readonly W: Fr[];
  readonly x: readonly Fr[];
}

export interface FoldTreeProof<C extends Commitment> {
  /** Leaf commitments C_i (single phase) or phase-1 commitments C1_i (two-phase). */
  readonly leafComms: C[];
  /** Two-phase only: the phase-2 commitments C2_i. */
  readonly leafComms2?: C[];
  readonly msgs: FoldMessage[];
}

/**
 * Sequential prover for the whole tree (the jobs layer parallelises per level): commits every
 * segment, draws the shared point over all of them, lifts and folds.
 */
export function proveFoldTree<C extends Commitment>(
  ctx: ProverContext<C>,
  segments: readonly SegmentWitness[],
  witnessBits: number,
): { proof: FoldTreeProof<C>; root: AccInstance<C>; rootWitness: AccWitness } {
  return proveFoldTreeFromLeaves(ctx, proveLeaves(ctx, segments, witnessBits));
}

/** Single-phase leaves: every segment committed, the shared point drawn over all, each lifted. */
export function proveLeaves<C extends Commitment>(
  ctx: ProverContext<C>,
  segments: readonly SegmentWitness[],
  witnessBits: number,
): { inst: AccInstance<C>; wit: AccWitness }[] {
  const comms = segments.map((s) => commitLeaf(ctx, s.W, witnessBits));
  const point = drawPoint(
    ctx,
    segments.map((s, i) => ({ comm: comms[i].toBytes(), x: s.x })),
  );
  return segments.map((s, i) => ({
    inst: { ...liftCore(ctx, i, point, s.x), comm: comms[i] },
    wit: leafWitness(ctx, s.W, s.x, point.r),
  }));
}

/** Folds already lifted leaves (single- or two-phase, at one shared point) in the canonical tree. */
export function proveFoldTreeFromLeaves<C extends Commitment>(
  ctx: ProverContext<C>,
  leaves: readonly { inst: AccInstance<C>; wit: AccWitness }[],
): { proof: FoldTreeProof<C>; root: AccInstance<C>; rootWitness: AccWitness } {
  const N = leaves.length;
  const insts: AccInstance<C>[] = leaves.map((l) => l.inst);
  const wits: AccWitness[] = leaves.map((l) => l.wit);
  const leafComms = insts.map((i) => i.comm);
  const twoPhase = insts.every((i) => i.comm2 !== undefined);
  if (!twoPhase && insts.some((i) => i.comm2 !== undefined))
    throw new Error('leaves mix single- and two-phase instances');
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
  const proof: FoldTreeProof<C> = twoPhase
    ? { leafComms, leafComms2: insts.slice(0, N).map((i) => i.comm2 as C), msgs }
    : { leafComms, msgs };
  return { proof, root: insts[rootId], rootWitness: wits[rootId] };
}

export type TreeVerdict<C extends Commitment> =
  | { ok: true; root: AccInstance<C> }
  | {
      ok: false;
      error:
        | FoldError
        | { kind: 'fold-count'; expected: number; actual: number }
        | { kind: 'leaf-phases'; leaf: number }
        | { kind: 'leaf-claims'; leaf: number };
    };

/** A leaf as the verifier sees it: C_i (or C1_i and C2_i), all public inputs, its claim w. */
export interface LeafStatement<C extends Commitment> {
  readonly comm: C;
  readonly comm2?: C;
  readonly x: readonly Fr[];
  /** The leaf's evaluation claim W̃_i(p) = w (trees with evaluation claims only). */
  readonly w?: Fr;
}

/**
 * The accumulation verifier: draws the shared point over every leaf, lifts them, replays
 * every fold on instance data (a transcript and a few field operations per node), and
 * computes the root commitment as one combination Σ c_i·C_i (c_i = product of the ρ's where
 * leaf i's branch was the right input). For a two-phase statement (`globalDigest` given,
 * from drawChallenges) every leaf has C1_i and C2_i, and the root gets Σ c_i·C1_i and
 * Σ c_i·C2_i.
 */
export function verifyFoldTree<C extends Commitment, P>(
  ctx: FoldContext,
  pcs: MultilinearPCS<C, P>,
  leaves: readonly LeafStatement<C>[],
  msgs: readonly FoldMessage[],
  globalDigest?: Uint8Array,
  claims?: TreeClaims,
): TreeVerdict<C> {
  const N = leaves.length;
  const plan = foldPlan(N);
  if (msgs.length !== plan.length) {
    return { ok: false, error: { kind: 'fold-count', expected: plan.length, actual: msgs.length } };
  }
  const twoPhase = globalDigest !== undefined;
  const odd = leaves.findIndex((l) => (l.comm2 !== undefined) !== twoPhase);
  if (odd >= 0) return { ok: false, error: { kind: 'leaf-phases', leaf: odd } };
  const noClaim = leaves.findIndex((l) => (l.w !== undefined) !== (claims !== undefined));
  if (noClaim >= 0) return { ok: false, error: { kind: 'leaf-claims', leaf: noClaim } };
  const point = drawPoint(
    ctx,
    leaves.map((l) => ({
      comm: l.comm.toBytes(),
      ...(l.comm2 === undefined ? {} : { comm2: l.comm2.toBytes() }),
      x: l.x,
      ...(l.w === undefined ? {} : { w: l.w }),
    })),
    globalDigest,
    claims,
  );
  const cores: AccCore[] = leaves.map((l, i) =>
    liftCore(ctx, i, point, l.x, claims && l.w !== undefined ? { p: claims.p, w: l.w } : undefined),
  );
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
  const leafCoeff = coeff.slice(0, N);
  const comm = combineCommitments(
    pcs,
    leaves.map((l) => l.comm),
    leafCoeff,
  );
  if (!twoPhase) return { ok: true, root: { ...cores[rootId], comm } };
  const comm2 = combineCommitments(
    pcs,
    leaves.map((l) => l.comm2 as C),
    leafCoeff,
  );
  return { ok: true, root: { ...cores[rootId], comm, comm2 } };
}
