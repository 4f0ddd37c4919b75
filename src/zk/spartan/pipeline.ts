/**
 * End to end prover: segments → leaf commitments → fold tree → Spartan
 * compression → encoded proof (docs/protocol.md §2–§7). Sequential; the jobs
 * layer can instead run proveLeaf/proveFold per node in worker threads
 * (src/zk/folding) and call compressAccumulated on the root.
 */
import type { Fr } from '../field/fr';
import type { Commitment } from '../pcs/types';
import { UniformShape, shapeDigest } from '../r1cs/uniform';
import { AccInstance, AccWitness } from '../folding/mova';
import { FoldTreeProof, proveFoldTree } from '../folding/tree';
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
}

export function proveSegments<C extends Commitment, P>(
  shape: UniformShape,
  bundle: PcsBundle<C, P>,
  k: number,
  segments: readonly Segment[],
  witnessBits: number,
  context: Uint8Array = new Uint8Array(0),
): { proof: ZkProof<C, P>; timings: ProveTimings } {
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
