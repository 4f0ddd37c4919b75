/**
 * Folding of accumulated uniform-R1CS instances without committing to error
 * terms, after Mova (Dimitriou, Garreta, Manzur, Vlasov, "Mova: Nova folding
 * without committing to error terms", ePrint 2024/1220): the accumulator holds a
 * claimed evaluation v = Ẽ(r) of the error vector E = Az∘Bz − u·Cz instead of
 * Nova's commitment to E (Kothapalli, Setty, Tzialla, ePrint 2021/370, §4).
 * docs/protocol.md §2 specifies the steps and the soundness argument.
 *
 * Where ours differs from the paper: (1) every instance of a fold tree is
 * evaluated at **one shared point r**, drawn by a transcript that absorbs every
 * leaf (commitments and public inputs) before any fold — so no leaf's error
 * vector can depend on r, two inputs of a fold always share their point, and a
 * fold needs neither Mova's move of the error claims to a new point nor any
 * message but the cross term t = T̃(r); (2) a segment instance is *lifted* to an
 * accumulated one (u = 1, v = 0 at r), so one fold handles fold(acc, fresh) and
 * fold(acc, acc), as a parallel binary tree needs; (3) transcripts chain by
 * 32-byte digests instead of hashing intermediate commitments, so the verifier
 * needs one MSM over leaf commitments for the whole tree.
 *
 * The verifier-side functions (drawPoint, liftCore, foldCore) take only instance
 * data; the prover calls the same functions, so prover and verifier cannot drift.
 */
import { FR_MODULUS, Fr } from '../field/fr';
import { FrVec, frVecFromBigints, frVecToBigints } from '../field/fr-vec';
import { Transcript } from '../transcript';
import type { Commitment, MultilinearPCS } from '../pcs/types';
import { UniformShape, dimensions } from '../r1cs/uniform';
import { multiplyVec } from './products';
import { DOMAIN_LEAF, DOMAIN_NODE, DOMAIN_POINT, PROTOCOL_VERSION } from './statement';
import { FoldVectors, evaluateAtPoint, foldSession } from './fold-kernel';

const R = FR_MODULUS;

/** An accumulated instance without its commitment (what the verifier tracks per node). */
export interface AccCore {
  readonly x: readonly Fr[];
  readonly u: Fr;
  /** The tree's shared point (the same for every instance of one tree). */
  readonly r: readonly Fr[];
  readonly v: Fr;
  /** Binds this instance's whole history (docs/protocol.md §2, Digests). */
  readonly digest: Uint8Array;
  /**
   * A linear claim W̃(p) = w on the witness at the tree's evaluation point p, when the
   * application has one per leaf (the zkVM's memory argument, docs/protocol.md §2, Evaluation
   * claims). It folds as w = w_1 + ρ·w_2 and the compression proves it at the root.
   */
  readonly ev?: EvalClaim;
}

export interface EvalClaim {
  readonly p: readonly Fr[];
  readonly w: Fr;
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

/**
 * The prover's accumulated witness: W and the products Az, Bz (which fold linearly with it),
 * as flat vectors, and cz = C̃z(r). Cz itself is never needed by a fold, only its value at
 * the shared point (linear, so it folds as a scalar); the compression recomputes Cz from W.
 */
export interface AccWitness extends FoldVectors {
  readonly cz: Fr;
}

/** The prover's message in one fold: t = T̃(r), the cross term at the shared point. */
export interface FoldMessage {
  readonly t: Fr;
}

export type FoldError = {
  kind: 'fold-shape';
  node: number;
  field: string;
  expected: number;
  actual: number;
};

export interface FoldContext {
  readonly shape: UniformShape;
  readonly k: number;
  /** headerDigest of the statement. */
  readonly hd: Uint8Array;
}

function rowVars(ctx: FoldContext): number {
  return dimensions(ctx.shape, ctx.k).rowVars;
}

/** The shared evaluation point of a tree and the digest of the transcript that drew it. */
export interface FoldPoint {
  readonly r: readonly Fr[];
  readonly digest: Uint8Array;
}

/** What the point transcript absorbs of one leaf. */
export interface PointLeaf {
  /** Canonical bytes of C_i (or C1_i). */
  readonly comm: Uint8Array;
  /** Two-phase only: canonical bytes of C2_i. */
  readonly comm2?: Uint8Array;
  /** All ℓ public inputs (two-phase: challenges filled in). */
  readonly x: readonly Fr[];
  /** The leaf's evaluation claim w, when the tree has evaluation claims. */
  readonly w?: Fr;
}

/**
 * Evaluation claims of a tree: the point p they are at and the digest of the transcript that
 * produced p and the leaves' values (the application's; the point transcript absorbs it).
 */
export interface TreeClaims {
  readonly p: readonly Fr[];
  readonly digest: Uint8Array;
}

/**
 * The point transcript (domain `zkvm/fold-point`): `"header" hd`, for a two-phase
 * statement `"challenges" gd`, for a tree with evaluation claims `"claims"` their digest, then
 * for every leaf in order `"comm" C_i` (two-phase: `"comm1" C1_i`, `"comm2" C2_i`), `"x" x_i`
 * and, with claims, `"w" w_i`; squeeze `"r"` (ρ + k scalars), then `"digest"`. Every leaf's
 * error vector and claim are fixed by what precedes the squeeze.
 */
export function drawPoint(
  ctx: FoldContext,
  leaves: readonly PointLeaf[],
  globalDigest?: Uint8Array,
  claims?: TreeClaims,
): FoldPoint {
  const t = new Transcript(DOMAIN_POINT, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  if (globalDigest !== undefined) t.absorbBytes('challenges', globalDigest);
  if (claims !== undefined) t.absorbBytes('claims', claims.digest);
  for (const l of leaves) {
    if (l.x.length !== ctx.shape.nPublic)
      throw new RangeError(`expected ${ctx.shape.nPublic} public inputs, got ${l.x.length}`);
    if ((l.w !== undefined) !== (claims !== undefined))
      throw new RangeError('every leaf has an evaluation claim exactly when the tree has claims');
    if (l.comm2 === undefined) t.absorbBytes('comm', l.comm);
    else {
      t.absorbBytes('comm1', l.comm);
      t.absorbBytes('comm2', l.comm2);
    }
    t.absorbScalars('x', l.x);
    if (l.w !== undefined) t.absorbScalar('w', l.w);
  }
  const r = t.challengeScalars('r', rowVars(ctx));
  const digest = t.challengeBytes('digest');
  return { r, digest };
}

/**
 * Lifts leaf `index` (its commitments and inputs are bound by the point): u = 1, v = 0 at
 * the shared r; its digest from the leaf transcript `"header" hd`, `"point"` the point
 * digest, `"index" i`.
 */
export function liftCore(
  ctx: FoldContext,
  index: number,
  point: FoldPoint,
  x: readonly Fr[],
  ev?: EvalClaim,
): AccCore {
  const t = new Transcript(DOMAIN_LEAF, PROTOCOL_VERSION);
  t.absorbBytes('header', ctx.hd);
  t.absorbBytes('point', point.digest);
  t.absorbU64('index', index);
  const digest = t.challengeBytes('digest');
  const core = { x: [...x], u: 1n, r: [...point.r], v: 0n, digest };
  return ev === undefined ? core : { ...core, ev: { p: [...ev.p], w: ev.w } };
}

/**
 * The part of a fold a verifier computes from the transcript: ρ, the node's digest and the
 * folded x, u. Transcripts chain by digests and absorb messages, never claims.
 */
export interface FoldChallenges {
  readonly rho: Fr;
  readonly digest: Uint8Array;
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
  if (left.r.length !== n || right.r.length !== n || left.x.length !== right.x.length) {
    return {
      ok: false,
      error: { kind: 'fold-shape', node, field: 'inputs', expected: n, actual: left.r.length },
    };
  }
  // Both inputs must be at the same point (always so in a tree: every lift uses the shared r).
  const at = left.r.findIndex((a, i) => a !== right.r[i]);
  if (at >= 0)
    return { ok: false, error: { kind: 'fold-shape', node, field: 'r', expected: -1, actual: at } };
  const le = left.ev;
  const re = right.ev;
  if (
    (le === undefined) !== (re === undefined) ||
    (le !== undefined &&
      re !== undefined &&
      (le.p.length !== re.p.length || le.p.some((a, i) => a !== re.p[i])))
  )
    return { ok: false, error: { kind: 'fold-shape', node, field: 'ev', expected: 0, actual: 1 } };
  const rho = nodeRho(ctx, node, left.digest, right.digest, msg.t);
  const x = left.x.map((a, i) => (a + rho.rho * right.x[i]) % R);
  const u = (left.u + rho.rho * right.u) % R;
  return { ok: true, ch: { rho: rho.rho, digest: rho.digest, x, u } };
}

/**
 * The node transcript (domain `zkvm/fold-node`): `"header" hd`, `"index" j`, `"left"` and
 * `"right"` the children's digests, `"t"`; squeeze `"rho"`, then `"digest"`.
 */
function nodeRho(
  ctx: FoldContext,
  node: number,
  left: Uint8Array,
  right: Uint8Array,
  t: Fr,
): { rho: Fr; digest: Uint8Array } {
  const tr = new Transcript(DOMAIN_NODE, PROTOCOL_VERSION);
  tr.absorbBytes('header', ctx.hd);
  tr.absorbU64('index', node);
  tr.absorbBytes('left', left);
  tr.absorbBytes('right', right);
  tr.absorbScalar('t', t);
  const rho = tr.challengeScalar('rho');
  const digest = tr.challengeBytes('digest');
  return { rho, digest };
}

/** The folded claim v = v_1 + ρ·t + ρ²·v_2 and the output core. */
export function foldClaims(
  left: AccCore,
  right: AccCore,
  msg: FoldMessage,
  ch: FoldChallenges,
): AccCore {
  const rho2 = (ch.rho * ch.rho) % R;
  const v = (left.v + ch.rho * msg.t + rho2 * right.v) % R;
  const core = { x: ch.x, u: ch.u, r: left.r, v, digest: ch.digest };
  // W̃ is linear: the claim on W_1 + ρ·W_2 at the same p is w_1 + ρ·w_2.
  if (left.ev === undefined || right.ev === undefined) return core;
  return { ...core, ev: { p: left.ev.p, w: (left.ev.w + ch.rho * right.ev.w) % R } };
}

/**
 * The verifier's fold of two accumulated instances (without commitments): the folded core
 * and ρ (the commitment folds as C_1 + ρ·C_2). Nothing here can reject an honest-looking
 * message: a wrong t or an unsatisfied input makes the root's claim false, which the
 * compression rejects (docs/protocol.md §2, Soundness).
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
  return { ok: true, core: foldClaims(left, right, msg, tr.ch), rho: tr.ch.rho };
}

// ---------------------------------------------------------------------------
// Prover
// ---------------------------------------------------------------------------

export interface ProverContext<C extends Commitment> extends FoldContext {
  readonly pcs: MultilinearPCS<C, unknown>;
}

/** Commits to a segment witness (small values when witnessBits < 254). */
export function commitLeaf<C extends Commitment>(
  ctx: ProverContext<C>,
  W: readonly Fr[],
  witnessBits: number,
): C {
  return witnessBits >= 254 ? ctx.pcs.commit(W) : ctx.pcs.commitSmall(W, witnessBits);
}

/**
 * A lifted leaf's witness: Az, Bz, Cz for z = (W, u, x) (u = 1 for a leaf; a checkpoint's
 * folded node passes its own u), and C̃z(r). The honest prover computes it for any W, so a
 * test that hands it an unsatisfying W gets the "honest algorithm, bad witness" adversary.
 */
export function leafWitness(
  ctx: FoldContext,
  W: readonly Fr[] | FrVec,
  x: readonly Fr[],
  r: readonly Fr[],
  u: Fr = 1n,
): AccWitness {
  const Wv = W instanceof Uint32Array ? W : frVecFromBigints(W);
  const p = multiplyVec(ctx.shape, ctx.k, Wv, u, x);
  return { W: Wv, Az: p.Az, Bz: p.Bz, cz: evaluateAtPoint(r, p.Cz) };
}

/** Ẽ(r) = Σ eq(r, i)·(Az∘Bz)_i − u·C̃z(r) of a witness (what v should be; a test aid). */
export function errorAt(wit: AccWitness, u: Fr, r: readonly Fr[]): Fr {
  const Az = frVecToBigints(wit.Az);
  const Bz = frVecToBigints(wit.Bz);
  const ab = frVecFromBigints(Az.map((a, i) => (a * Bz[i]) % R));
  return (evaluateAtPoint(r, ab) - ((u * wit.cz) % R) + R) % R;
}

/**
 * The honest prover's message t = T̃(r) for T = Az₁∘Bz₂ + Az₂∘Bz₁ − u₁·Cz₂ − u₂·Cz₁. It is
 * computed from whatever witnesses it is given (a soundness test's bad witness included).
 */
export function honestFoldMessage(
  left: AccCore,
  lw: AccWitness,
  right: AccCore,
  rw: AccWitness,
): FoldMessage {
  return { t: crossTerm(foldSession(left.r, lw, rw).cross(), left, lw, right, rw) };
}

function crossTerm(
  bilinear: Fr,
  left: AccCore,
  lw: AccWitness,
  right: AccCore,
  rw: AccWitness,
): Fr {
  const t = (bilinear - ((left.u * rw.cz + right.u * lw.cz) % R)) % R;
  return t < 0n ? t + R : t;
}

/**
 * The fold without commitments: everything a worker thread needs to do (field work on plain
 * data: AccCore and AccWitness are structured-clone safe). The caller combines the
 * commitments as C_1 + ρ·C_2, so workers need no SRS.
 */
export function proveFoldCore(
  ctx: FoldContext,
  node: number,
  left: AccCore,
  lw: AccWitness,
  right: AccCore,
  rw: AccWitness,
): { msg: FoldMessage; core: AccCore; rho: Fr; wit: AccWitness } {
  // Both sides are loaded into the kernels once for the cross term and the fold.
  const session = foldSession(left.r, lw, rw);
  const msg = { t: crossTerm(session.cross(), left, lw, right, rw) };
  const res = foldCore(ctx, node, left, right, msg);
  if (!res.ok) throw new Error(`fold ${node}: ${res.error.field} of the inputs do not match`);
  const folded = session.fold(res.rho);
  const cz = (lw.cz + res.rho * rw.cz) % R;
  return { msg, core: res.core, rho: res.rho, wit: { ...folded, cz } };
}

/** The folded witness lw + ρ·rw (with C̃z(r) folded alike), for any ρ (tests use forged ones). */
export function foldWitness(r: readonly Fr[], lw: AccWitness, rw: AccWitness, rho: Fr): AccWitness {
  return { ...foldSession(r, lw, rw).fold(rho), cz: (lw.cz + rho * rw.cz) % R };
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

/** A witness's W as bigints (compression and tests). */
export function witnessW(wit: { readonly W: FrVec }): Fr[] {
  return frVecToBigints(wit.W);
}
