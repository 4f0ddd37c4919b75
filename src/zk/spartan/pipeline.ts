/**
 * End to end prover: segments → leaf commitments → fold tree → Spartan
 * compression → encoded proof (docs/protocol.md §2–§7). Sequential; the jobs
 * layer can instead run proveLeaves/proveFoldCore per node in worker threads
 * (src/zk/folding) and call proveCompression on the root.
 *
 * Two-phase circuits (§10) go through proveSegmentsTwoPhase: phase-1
 * commitments of all segments, the global challenges, a callback that
 * completes each segment from the challenges, phase-2 commitments, the tree's
 * shared point over all of them, then the same fold tree and compression. Its
 * steps are exported one by one
 * (src/zk/folding/two-phase.ts) for a worker-thread pipeline.
 */
import type { Fr } from '../field/fr';
import type { Commitment } from '../pcs/types';
import {
  UniformShape,
  columnPhase2Mask,
  isTwoPhase,
  phase1InputSlots,
  shapeDigest,
} from '../r1cs/uniform';
import { AccInstance, AccWitness } from '../folding/mova';
import { FoldTreeProof, proveFoldTree, proveFoldTreeFromLeaves } from '../folding/tree';
import { commitPhase, drawChallenges, withChallenges } from '../folding/two-phase';
import { drawPoint, leafWitness, liftCore } from '../folding/mova';
import { StatementHeader, headerDigest } from '../folding/statement';
import { assembleProof, ZkProof } from '../encoding/proof';
import type { PcsBundle } from '../encoding/pcs-codec';
import { CompressionProof, proveCompression } from './compress';

export interface Segment {
  readonly W: Fr[];
  readonly x: readonly Fr[];
}

export function statementHeader<C extends Commitment, P>(
  shape: UniformShape,
  bundle: PcsBundle<C, P>,
  k: number,
  segments: number,
  context: Uint8Array = new Uint8Array(0),
): StatementHeader {
  return {
    circuitDigest: shapeDigest(shape),
    k,
    segments,
    nPublic: shape.nPublic,
    pcsScheme: bundle.codec.schemeId,
    srsId: bundle.srs.id,
    srsInsecure: bundle.srs.insecure,
    context,
  };
}

export interface ProveTimings {
  foldMs: number;
  compressMs: number;
  /** Two-phase only: phase-1 commitments and the challenge draw. */
  phase1Ms?: number;
  /** Two-phase only: the phase-2 callbacks and commitments. */
  phase2Ms?: number;
}

export function proveSegments<C extends Commitment, P>(
  shape: UniformShape,
  bundle: PcsBundle<C, P>,
  k: number,
  segments: readonly Segment[],
  witnessBits: number,
  context: Uint8Array = new Uint8Array(0),
): { proof: ZkProof<C, P>; timings: ProveTimings } {
  if (isTwoPhase(shape)) throw new Error('a two-phase shape is proven with proveSegmentsTwoPhase');
  const header = statementHeader(shape, bundle, k, segments.length, context);
  const hd = headerDigest(header);
  const ctx = { shape, k, hd, pcs: bundle.pcs };
  const t0 = performance.now();
  const folded: { proof: FoldTreeProof<C>; root: AccInstance<C>; rootWitness: AccWitness } =
    proveFoldTree(ctx, segments, witnessBits);
  const t1 = performance.now();
  const compression: CompressionProof<P> = proveCompression(
    ctx,
    bundle.pcs,
    folded.root,
    folded.rootWitness,
  );
  const t2 = performance.now();
  return {
    proof: assembleProof(
      header,
      folded.proof,
      segments.map((s) => s.x),
      compression,
    ),
    timings: { foldMs: t1 - t0, compressMs: t2 - t1 },
  };
}

/**
 * Completes one segment after the challenges are known: gets the phase-1
 * segment (x with the challenge slots already filled in) and returns the whole
 * segment, i.e. W with its phase-2 columns and x with its phase-2 inputs. It
 * must not change phase-1 columns, phase-1 inputs or challenge slots (the
 * prover checks, since those are already bound by the transcript).
 */
export type Phase2Fill = (segment: number, challenges: readonly Fr[], phase1: Segment) => Segment;

/**
 * The prover of a two-phase circuit (docs/protocol.md §10): `segments` hold the
 * phase-1 witness columns and phase-1 public inputs (other positions are
 * ignored), `phase2` completes each segment from the challenges.
 */
export function proveSegmentsTwoPhase<C extends Commitment, P>(
  shape: UniformShape,
  bundle: PcsBundle<C, P>,
  k: number,
  segments: readonly Segment[],
  phase2: Phase2Fill,
  witnessBits: number,
  context: Uint8Array = new Uint8Array(0),
): { proof: ZkProof<C, P>; timings: ProveTimings; challenges: Fr[] } {
  if (!isTwoPhase(shape)) throw new Error('proveSegmentsTwoPhase needs a two-phase shape');
  const header = statementHeader(shape, bundle, k, segments.length, context);
  const hd = headerDigest(header);
  const ctx = { shape, k, hd, pcs: bundle.pcs };
  const t0 = performance.now();
  const comm1 = segments.map((s) => commitPhase(bundle.pcs, shape, s.W, 1, witnessBits));
  const draw = drawChallenges(
    ctx,
    segments.map((s, i) => ({ comm1: comm1[i].toBytes(), x: s.x })),
  );
  const t1 = performance.now();
  const phase2Mask = columnPhase2Mask(shape);
  const slots1 = phase1InputSlots(shape);
  const full = segments.map((s, i) => {
    const x1 = withChallenges(shape, s.x, draw.challenges);
    const f = phase2(i, draw.challenges, { W: s.W, x: x1 });
    if (f.W.length !== s.W.length || f.x.length !== shape.nPublic)
      throw new Error(`segment ${i}: phase 2 changed the witness or input length`);
    for (let j = 0; j < s.W.length; j++) {
      if (!phase2Mask[j % shape.m] && f.W[j] !== s.W[j])
        throw new Error(`segment ${i}: phase 2 changed phase-1 witness entry ${j}`);
    }
    for (const p of [...slots1, ...(shape.challengeInputs ?? [])]) {
      if (f.x[p] !== x1[p])
        throw new Error(`segment ${i}: phase 2 changed public input ${p}, bound in phase 1`);
    }
    return { ...f, comm2: commitPhase(bundle.pcs, shape, f.W, 2) };
  });
  const point = drawPoint(
    ctx,
    full.map((f, i) => ({ comm: comm1[i].toBytes(), comm2: f.comm2.toBytes(), x: f.x })),
    draw.digest,
  );
  const leaves = full.map((f, i) => ({
    inst: { ...liftCore(ctx, i, point, f.x), comm: comm1[i], comm2: f.comm2 },
    wit: leafWitness(ctx, f.W, f.x, point.r),
    x: f.x,
  }));
  const t2 = performance.now();
  const folded = proveFoldTreeFromLeaves(ctx, leaves);
  const t3 = performance.now();
  const compression = proveCompression(ctx, bundle.pcs, folded.root, folded.rootWitness);
  const t4 = performance.now();
  return {
    proof: assembleProof(
      header,
      folded.proof,
      leaves.map((l) => l.x),
      compression,
      shape,
    ),
    timings: { phase1Ms: t1 - t0, phase2Ms: t2 - t1, foldMs: t3 - t2, compressMs: t4 - t3 },
    challenges: draw.challenges,
  };
}
