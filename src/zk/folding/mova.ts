/**
 * Folding of accumulated uniform-R1CS instances without committing to error
 * terms, after Mova (Dimitriou, Garreta, Manzur, Vlasov, "Mova: Nova folding
 * without committing to error terms", ePrint 2024/1220): the accumulator holds a
 * claimed evaluation v = Ẽ(r) of the error vector E = Az∘Bz − u·Cz instead of
 * Nova's commitment to E (Kothapalli, Setty, Tzialla, ePrint 2021/370, §4).
 * docs/protocol.md §2 specifies the steps and the soundness argument.
 *
 * Where ours differs from the paper: (1) a fresh instance is first *lifted* to an
 * accumulated one (u = 1, v = 0 at a transcript point r), so one fold handles
 * both fold(acc, fresh) and fold(acc, acc), as a parallel binary tree needs;
 * (2) the two error claims at r_1, r_2 are moved to one point by restricting both
 * Ẽ_i to the line through r_1 and r_2 (Thaler, PAZK §4.5.2); (3) transcripts
 * chain by 32-byte digests instead of hashing intermediate commitments, so the
 * verifier needs one MSM over leaf commitments for the whole tree.
 *
 * The verifier-side functions (liftCore, foldCore) take only instance data; the
 * prover calls the same functions, so prover and verifier cannot drift apart.
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { evaluationsAtIntegers, restrictToLine } from '../poly/multilinear';
import { evalFromPoints } from '../poly/univariate';
import { Transcript } from '../transcript';
import type { Commitment, MultilinearPCS } from '../pcs/types';
import { Products, UniformShape, dimensions, errorVector, multiply } from '../r1cs/uniform';
import { DOMAIN_LEAF, DOMAIN_NODE, PROTOCOL_VERSION } from './statement';
import { FoldSession, evaluateAt, foldSession } from './fold-kernel';

const R = FR_MODULUS;

/** An accumulated instance without its commitment (what the verifier tracks per node). */
export interface AccCore {
  readonly x: readonly Fr[];
  readonly u: Fr;
  readonly r: readonly Fr[];
  readonly v: Fr;
  /** Binds this instance's whole history (docs/protocol.md §2, Digests). */
  readonly digest: Uint8Array;
  /**
   * True for a lifted segment instance that has not been folded yet. Its error
   * vector is 0 for an honest prover, so its line polynomial is not sent and
   * is taken to be 0 (docs/protocol.md §2, Fresh inputs). Set by liftCore and
   * foldCore, never read from a proof.
   */
  readonly fresh: boolean;
}

export interface AccInstance<C extends Commitment> extends AccCore {
  /** Commitment to W (single-phase shapes), or to its phase-1 part W1 (two-phase). */
  readonly comm: C;
  /**
   * Two-phase shapes only: commitment to the phase-2 part W2. The pair folds
   * component-wise with the same ρ; it is never summed into one commitment
   * (docs/protocol.md §10 explains why the sum would not be sound).
   */
  readonly comm2?: C;
}

/** The prover's accumulated witness; Az, Bz, Cz fold linearly with W. */
export interface AccWitness extends Products {
  readonly W: Fr[];
}

/**
 * The prover's message in one fold: h_1, h_2 at X = 0..n (empty for a fresh
 * input) and t = T̃(r).
 */
export interface FoldMessage {
  readonly h1: Fr[];
  readonly h2: Fr[];
  readonly t: Fr;
}

export type FoldError =
  | { kind: 'fold-shape'; node: number; field: string; expected: number; actual: number }
  | { kind: 'fold-left-claim'; node: number; expected: Fr; actual: Fr }
  | { kind: 'fold-right-claim'; node: number; expected: Fr; actual: Fr };

export interface FoldContext {
  readonly shape: UniformShape;
  readonly k: number;
  /** headerDigest of the statement. */
  readonly hd: Uint8Array;
}

function rowVars(ctx: FoldContext): number {
  return dimensions(ctx.shape, ctx.k).rowVars;
}

/** Lift a fresh segment instance (comm, x) at leaf `index`: u = 1, v = 0, r from the transcript. */
export function liftCore(
  ctx: FoldContext,
  index: number,
  commBytes: Uint8Array,
  x: readonly Fr[],
): AccCore {
  const t = new Transcript(DOMAIN_LEAF, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  t.absorbU64('index', index);
  t.absorbBytes('comm', commBytes);
  t.absorbScalars('x', x);
  const r = t.challengeScalars('r', rowVars(ctx));
  const digest = t.challengeBytes('digest');
  return { x: [...x], u: 1n, r, v: 0n, digest, fresh: true };
}

/**
 * The part of a fold that does not depend on the input claims v_1, v_2: the message's
 * shape, the node transcript (β, ρ, the digest) and the folded r, x, u. Transcripts chain
 * by digests and absorb messages, never claims, so a verifier may run this for every node
 * of a tree before any claim is checked (verifyFoldTree does, to batch the field work).
 */
export interface FoldChallenges {
  readonly beta: Fr;
  readonly rho: Fr;
  readonly digest: Uint8Array;
  readonly r: Fr[];
  readonly x: Fr[];
  readonly u: Fr;
}

export function foldTranscript(
  ctx: FoldContext,
  node: number,
  left: AccCore,
  right: AccCore,
  msg: FoldMessage,
): { ok: true; ch: FoldChallenges } | { ok: false; error: FoldError } {
  const n = rowVars(ctx);
  const len1 = left.fresh ? 0 : n + 1;
  const len2 = right.fresh ? 0 : n + 1;
  if (msg.h1.length !== len1) {
    return {
      ok: false,
      error: { kind: 'fold-shape', node, field: 'h1', expected: len1, actual: msg.h1.length },
    };
  }
  if (msg.h2.length !== len2) {
    return {
      ok: false,
      error: { kind: 'fold-shape', node, field: 'h2', expected: len2, actual: msg.h2.length },
    };
  }
  if (left.r.length !== n || right.r.length !== n || left.x.length !== right.x.length) {
    return {
      ok: false,
      error: { kind: 'fold-shape', node, field: 'inputs', expected: n, actual: left.r.length },
    };
  }
  const t = new Transcript(DOMAIN_NODE, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  t.absorbU64('index', node);
  t.absorbBytes('left', left.digest);
  t.absorbBytes('right', right.digest);
  t.absorbScalars('h1', msg.h1);
  t.absorbScalars('h2', msg.h2);
  const beta = t.challengeScalar('beta');
  t.absorbScalar('t', msg.t);
  const rho = t.challengeScalar('rho');
  const digest = t.challengeBytes('digest');
  const r = left.r.map((a, i) => (a + beta * ((right.r[i] - a + R) % R)) % R);
  const x = left.x.map((a, i) => (a + rho * right.x[i]) % R);
  const u = (left.u + rho * right.u) % R;
  return { ok: true, ch: { beta, rho, digest, r, x, u } };
}

/**
 * The claim part of a fold: checks h_1(0) = v_1 and h_2(1) = v_2 (not for fresh inputs, whose
 * h ≡ 0 is implicit) and returns the folded core with v = h_1(β) + ρ·t + ρ²·h_2(β). `e1`, `e2`
 * are h_1(β), h_2(β) (0 for a fresh input), evaluated by the caller: foldCore one node at a
 * time, verifyFoldTree for the whole tree with one batch inversion.
 */
export function foldClaims(
  node: number,
  left: AccCore,
  right: AccCore,
  msg: FoldMessage,
  ch: FoldChallenges,
  e1: Fr,
  e2: Fr,
): { ok: true; core: AccCore } | { ok: false; error: FoldError } {
  // A fresh input claims v = 0 with h ≡ 0, so there is nothing to check for it.
  if (!left.fresh && msg.h1[0] !== left.v)
    return {
      ok: false,
      error: { kind: 'fold-left-claim', node, expected: left.v, actual: msg.h1[0] },
    };
  if (!right.fresh && msg.h2[1] !== right.v)
    return {
      ok: false,
      error: { kind: 'fold-right-claim', node, expected: right.v, actual: msg.h2[1] },
    };
  const rho2 = (ch.rho * ch.rho) % R;
  const v = (e1 + ch.rho * msg.t + rho2 * e2) % R;
  const { x, u, r, digest } = ch;
  return { ok: true, core: { x, u, r, v, digest, fresh: false } };
}

/**
 * The verifier's fold of two accumulated instances (without commitments): checks
 * the message's shape and h_1(0) = v_1, h_2(1) = v_2, and returns the folded
 * core and ρ (the commitment folds as C_1 + ρ·C_2).
 */
export function foldCore(
  ctx: FoldContext,
  node: number,
  left: AccCore,
  right: AccCore,
  msg: FoldMessage,
): { ok: true; core: AccCore; rho: Fr } | { ok: false; error: FoldError } {
  const tr = foldTranscript(ctx, node, left, right, msg);
  if (!tr.ok) return tr;
  const { beta, rho } = tr.ch;
  const e1 = left.fresh ? 0n : evalFromPoints(msg.h1, beta);
  const e2 = right.fresh ? 0n : evalFromPoints(msg.h2, beta);
  const res = foldClaims(node, left, right, msg, tr.ch, e1, e2);
  if (!res.ok) return res;
  return { ok: true, core: res.core, rho };
}

// ---------------------------------------------------------------------------
// Prover
// ---------------------------------------------------------------------------

export interface ProverContext<C extends Commitment> extends FoldContext {
  readonly pcs: MultilinearPCS<C, unknown>;
}

/** Commit to a segment witness (small values) and lift it. */
export function proveLeaf<C extends Commitment>(
  ctx: ProverContext<C>,
  index: number,
  W: Fr[],
  x: readonly Fr[],
  witnessBits: number,
): { inst: AccInstance<C>; wit: AccWitness } {
  const comm = witnessBits >= 254 ? ctx.pcs.commit(W) : ctx.pcs.commitSmall(W, witnessBits);
  const core = liftCore(ctx, index, comm.toBytes(), x);
  const p = multiply(ctx.shape, ctx.k, W, 1n, x);
  return { inst: { ...core, comm }, wit: { W, ...p } };
}

/** Ẽ(L(X)) at X = 0..n for the line L through a and b (h_1 and h_2 of the fold). */
function lineEvaluations(E: readonly Fr[], a: readonly Fr[], b: readonly Fr[]): Fr[] {
  const n = a.length;
  if (E.every((e) => e === 0n)) return new Array<Fr>(n + 1).fill(0n);
  return evaluationsAtIntegers(restrictToLine(E, a, b), n + 1);
}

/** T = Az1∘Bz2 + Az2∘Bz1 − u1·Cz2 − u2·Cz1 (never committed; only T̃(r) is sent). */
export function crossTerm(lw: AccWitness, u1: Fr, rw: AccWitness, u2: Fr): Fr[] {
  const n = lw.Az.length;
  const T = new Array<Fr>(n);
  for (let i = 0; i < n; i++) {
    let s = lw.Az[i] * rw.Bz[i] + rw.Az[i] * lw.Bz[i] - u1 * rw.Cz[i] - u2 * lw.Cz[i];
    s %= R;
    T[i] = s < 0n ? s + R : s;
  }
  return T;
}

function foldVec(a: readonly Fr[], b: readonly Fr[], rho: Fr): Fr[] {
  const out = new Array<Fr>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = b[i] === 0n ? a[i] : (a[i] + rho * b[i]) % R;
  return out;
}

export function foldWitness(lw: AccWitness, rw: AccWitness, rho: Fr): AccWitness {
  return {
    W: foldVec(lw.W, rw.W, rho),
    Az: foldVec(lw.Az, rw.Az, rho),
    Bz: foldVec(lw.Bz, rw.Bz, rho),
    Cz: foldVec(lw.Cz, rw.Cz, rho),
  };
}

/**
 * The β challenge is needed before t can be computed, so the prover replays the
 * node transcript up to β (identical to foldCore's) and then lets foldCore
 * derive everything from the finished message.
 */
export function foldBeta(
  ctx: FoldContext,
  node: number,
  left: AccCore,
  right: AccCore,
  h1: Fr[],
  h2: Fr[],
): Fr {
  const t = new Transcript(DOMAIN_NODE, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  t.absorbU64('index', node);
  t.absorbBytes('left', left.digest);
  t.absorbBytes('right', right.digest);
  t.absorbScalars('h1', h1);
  t.absorbScalars('h2', h2);
  return t.challengeScalar('beta');
}

/**
 * The honest prover's message: h_1, h_2 from the error vectors, then t = T̃(r) at
 * the point r = L(β). It is computed from whatever witnesses it is given, so a
 * prover that runs it on an unsatisfying witness is the "honest algorithm, bad
 * witness" adversary of the soundness tests.
 */
export function honestFoldMessage(
  ctx: FoldContext,
  node: number,
  left: AccCore,
  lw: AccWitness,
  right: AccCore,
  rw: AccWitness,
): FoldMessage {
  const session = foldSession(left, lw, right, rw);
  if (session) return kernelFoldMessage(session, ctx, node, left, right);
  const h1 = left.fresh ? [] : lineEvaluations(errorVector(lw, left.u), left.r, right.r);
  const h2 = right.fresh ? [] : lineEvaluations(errorVector(rw, right.u), left.r, right.r);
  const beta = foldBeta(ctx, node, left, right, h1, h2);
  const point = left.r.map((a, i) => (a + beta * ((right.r[i] - a + R) % R)) % R);
  return { h1, h2, t: evaluateAt(crossTerm(lw, left.u, rw, right.u), point) };
}

/**
 * honestFoldMessage on witnesses already loaded into the WebAssembly kernels
 * (fold-kernel.ts): the same steps, the same field elements.
 */
function kernelFoldMessage(
  session: FoldSession,
  ctx: FoldContext,
  node: number,
  left: AccCore,
  right: AccCore,
): FoldMessage {
  const count = left.r.length + 1;
  const line = (side: 'left' | 'right', u: Fr): Fr[] =>
    evaluationsAtIntegers(session.errorLine(side, u, left.r, right.r), count);
  const h1 = left.fresh ? [] : line('left', left.u);
  const h2 = right.fresh ? [] : line('right', right.u);
  const beta = foldBeta(ctx, node, left, right, h1, h2);
  const point = left.r.map((a, i) => (a + beta * ((right.r[i] - a + R) % R)) % R);
  return { h1, h2, t: session.crossTermAt(left.u, right.u, point) };
}

/**
 * The fold without commitments: everything a worker thread needs to do (field
 * work on plain data: AccCore and AccWitness are structured-clone safe). The
 * caller combines the commitments as C_1 + ρ·C_2, so workers need no SRS.
 * Throws if the inputs are not satisfied (an honest prover's bug).
 */
export function proveFoldCore(
  ctx: FoldContext,
  node: number,
  left: AccCore,
  lw: AccWitness,
  right: AccCore,
  rw: AccWitness,
): { msg: FoldMessage; core: AccCore; rho: Fr; wit: AccWitness } {
  // Both witnesses are loaded into the WebAssembly kernels once for the message and the fold.
  const session = foldSession(left, lw, right, rw);
  const msg = session
    ? kernelFoldMessage(session, ctx, node, left, right)
    : honestFoldMessage(ctx, node, left, lw, right, rw);
  const res = foldCore(ctx, node, left, right, msg);
  if (!res.ok) {
    throw new Error(
      `fold ${node}: inputs are not satisfied accumulated instances (${res.error.kind})`,
    );
  }
  const wit = session ? session.fold(res.rho) : foldWitness(lw, rw, res.rho);
  return { msg, core: res.core, rho: res.rho, wit };
}

/** Fold two accumulated instances, commitments included. */
export function proveFold<C extends Commitment>(
  ctx: ProverContext<C>,
  node: number,
  left: AccInstance<C>,
  lw: AccWitness,
  right: AccInstance<C>,
  rw: AccWitness,
): { msg: FoldMessage; inst: AccInstance<C>; wit: AccWitness } {
  const { msg, core, rho, wit } = proveFoldCore(ctx, node, left, lw, right, rw);
  return { msg, inst: foldInstanceCommitments(ctx.pcs, core, left, right, rho), wit };
}

/** Attach C_1 + ρ·C_2 (and the phase-2 pair likewise) to a folded core. */
export function foldInstanceCommitments<C extends Commitment>(
  pcs: MultilinearPCS<C, unknown>,
  core: AccCore,
  left: AccInstance<C>,
  right: AccInstance<C>,
  rho: Fr,
): AccInstance<C> {
  const comm = pcs.add(left.comm, pcs.scale(right.comm, rho));
  if ((left.comm2 === undefined) !== (right.comm2 === undefined))
    throw new Error('fold of a two-phase and a single-phase instance');
  if (left.comm2 === undefined || right.comm2 === undefined) return { ...core, comm };
  const comm2 = pcs.add(left.comm2, pcs.scale(right.comm2, rho));
  return { ...core, comm, comm2 };
}
