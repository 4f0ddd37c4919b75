/**
 * Test harness for zkVM proofs: the SRS of the tests, guests, and a prover that builds an
 * envelope from a VmRun directly, so malicious provers (STYLE.md #8) can lie in the statement,
 * reorder segments, edit boundary values or prove an altered trace — committing to what they
 * use and running the honest algorithms from there (the folds have no checks of their own), so a
 * false witness is caught where the protocol says: by the compression (constraints) or the
 * statement check (products, chaining).
 */
import { FR_MODULUS as R, Fr } from '../../src/zk/field/fr';
import { frVecFromBigints, frVecToBigints } from '../../src/zk/field/fr-vec';
import { eqAtIndex } from '../../src/zk/poly/multilinear';
import { assembleProof, encodeProof } from '../../src/zk/encoding/proof';
import {
  AccInstance,
  AccWitness,
  FoldMessage,
  drawPoint,
  foldCore,
  foldInstanceCommitments,
  foldWitness,
  honestFoldMessage,
  leafWitness,
  liftCore,
} from '../../src/zk/folding/mova';
import { PROTOCOL_VERSION, headerDigest } from '../../src/zk/folding/statement';
import { foldPlan } from '../../src/zk/folding/tree';
import { HyperKzgCommitment } from '../../src/zk/pcs/hyperkzg';
import { hyperKzgBundle } from '../../src/zk/pcs/hyperkzg-codec';
import { proveCompression } from '../../src/zk/spartan/compress';
import { statementHeader } from '../../src/zk/spartan/pipeline';
import { Srs, devSrs } from '../../src/zk/srs';
import { VM_PUBLIC_INPUTS, vmBlock } from '../../src/zk/vm-circuit/memory';
import {
  ProgramSection,
  ZkvmStatement,
  encodeEnvelope,
  encodeSections,
  statementDigest,
} from '../../src/zk/vm-circuit/proof-format';
import {
  SegmentWitness1,
  VmRun,
  phase1Publics,
  phase1Witness,
  segmentValues,
} from '../../src/zk/vm-circuit/vm-witness';
import {
  MemoryContext,
  MemoryLeaf,
  MemoryProver,
  encodeMemoryProof,
  proveMemoryArgument,
  segmentColumns,
  segmentFactors,
} from '../../src/zk/vm-circuit/memory-argument';
import { programDigestV1 } from '../../src/vm/program-digest';
import type { MemoryLimits } from '../../src/vm/memory-map';

/** The tests' segment size and SRS (2^(K+10) powers, from the on-disk dev cache). */
export const K = 4;
export const testSrs = (): Srs => devSrs({ maxVars: K + 10 });

export interface HarnessOptions {
  /** Statement fields to lie about (the proof is made for the lying statement). */
  statement?: Partial<ZkvmStatement>;
  /** Which run segment goes into leaf i (default: i). */
  order?: number[];
  /** Edits leaf i's public inputs (by name); the witness is unchanged. */
  editPublics?: (i: number, x: Record<string, Fr>) => void;
  /** The program section to carry (default: the run's). */
  program?: ProgramSection;
  /**
   * Gives segments 0 and 1 false column values at z'_rows in the memory argument, shifted so
   * that their eq-combination (the columns the argument checks) is unchanged: the argument's own
   * checks pass, and the claims w_0, w_1 are false evaluations of the committed witnesses.
   */
  shiftClaims?: Fr;
}

/** Proves `run` as a (possibly malicious) prover and returns the envelope bytes. */
export function harnessProve(
  srs: Srs,
  run: VmRun,
  limits: MemoryLimits,
  opts: HarnessOptions = {},
): Uint8Array {
  const block = vmBlock();
  const shape = block.shape;
  const k = run.k;
  const order = opts.order ?? Array.from({ length: run.segments }, (_, i) => i);
  const N = order.length;
  const program = opts.program ?? {
    image: run.statement.image,
    memoryTop: limits.memoryTop,
    stackSize: limits.stackSize,
  };
  const statement: ZkvmStatement = {
    programDigest: programDigestV1(program.image, {
      memoryTop: program.memoryTop,
      stackSize: program.stackSize,
    }),
    publicInput: run.statement.publicInput,
    publicOutput: run.statement.publicOutput,
    exitCode: run.statement.exitCode | 0,
    cycles: run.statement.cycles,
    segmentSizeLog2: k,
    segments: N,
    protocolVersion: PROTOCOL_VERSION,
    srsId: Buffer.from(srs.id).toString('hex'),
    insecureSrs: srs.insecure,
    ...opts.statement,
  };
  const sections = encodeSections(statement, program);
  const bundle = hyperKzgBundle(srs);
  const header = statementHeader(
    shape,
    bundle,
    k,
    N,
    statementDigest(sections.statement, sections.program),
  );
  const ctx = { shape, k, hd: headerDigest(header), pcs: bundle.pcs };
  const segs = order.map((i) => segmentValues(run, i));
  const fromName = (p: Record<string, Fr>): Fr[] => VM_PUBLIC_INPUTS.map((n) => p[n]);
  const x1 = segs.map((s, i) => {
    const p = phase1Publics(s, block) as Record<string, Fr>;
    opts.editPublics?.(i, p);
    return fromName(p);
  });
  const W1 = segs.map((s) => phase1Witness(s, block).W);
  const comm1 = W1.map((W) => bundle.pcs.commitSmall(W, block.witnessBits));
  // The memory argument over what this prover committed (its witnesses, its inputs).
  const leaves = comm1.map((c, i) => ({ comm: c.toBytes(), x: x1[i] }));
  const ma =
    opts.shiftClaims === undefined
      ? proveMemoryArgument({ hd: ctx.hd, k, block }, leaves, (i) => segs[i].values)
      : shiftedMemoryArgument({ hd: ctx.hd, k, block }, leaves, segs, opts.shiftClaims);
  const { claims, w } = ma.result;
  const point = drawPoint(
    ctx,
    comm1.map((c, i) => ({ comm: c.toBytes(), x: x1[i], w: w[i] })),
    undefined,
    claims,
  );
  const insts: AccInstance<HyperKzgCommitment>[] = [];
  const wits: AccWitness[] = [];
  const xs: Fr[][] = x1;
  W1.forEach((W, i) => {
    insts[i] = { ...liftCore(ctx, i, point, x1[i], { p: claims.p, w: w[i] }), comm: comm1[i] };
    wits[i] = leafWitness(ctx, W, x1[i], point.r);
  });
  const msgs: FoldMessage[] = [];
  foldPlan(N).forEach((st, j) => {
    const L = insts[st.left];
    const Rt = insts[st.right];
    // The honest algorithm on whatever witnesses it was given (false ones included).
    const msg = honestFoldMessage(L, wits[st.left], Rt, wits[st.right]);
    msgs.push(msg);
    const res = foldCore(ctx, j, L, Rt, msg);
    if (!res.ok) throw new Error(`fold rejected: ${res.error.kind}`);
    insts[st.out] = foldInstanceCommitments(bundle.pcs, res.core, L, Rt, res.rho);
    wits[st.out] = foldWitness(point.r, wits[st.left], wits[st.right], res.rho);
  });
  const root = N === 1 ? 0 : 2 * N - 2;
  const compression = proveCompression(ctx, bundle.pcs, insts[root], wits[root]);
  const proof = assembleProof(
    header,
    { leafComms: insts.slice(0, N).map((i) => i.comm), msgs },
    xs,
    compression,
    shape,
  );
  return encodeEnvelope({
    statement,
    program,
    memory: encodeMemoryProof(ma.proof),
    inner: encodeProof(bundle, proof),
  });
}

/**
 * The memory argument with segments 0 and 1's column values at z'_rows replaced by
 * V_0 + δ·e_1·u and V_1 − δ·e_0·u (e_i = eq(z'_segments, i), u the first used column's unit
 * vector, here column 0): Σ_i e_i·V_i is unchanged, so every check of the argument passes, while
 * w_0 = Ṽ_0(ρ) and w_1 = Ṽ_1(ρ) are no longer the committed witnesses' values at p.
 */
function shiftedMemoryArgument(
  ctx: MemoryContext,
  leaves: readonly MemoryLeaf[],
  segs: readonly SegmentWitness1[],
  delta: Fr,
): ReturnType<typeof proveMemoryArgument> {
  const { block, k } = ctx;
  const p = new MemoryProver(ctx, leaves);
  segs.forEach((s, i) => p.setFactors(i, segmentFactors(block, k, s.values, p.alpha, p.gamma)));
  const zRow = p.products();
  const zSeg = p.segmentPoint();
  const [e0, e1] = [eqAtIndex(zSeg, 0), eqAtIndex(zSeg, 1)];
  const col = 0; // any column: the combination is unchanged whichever it is
  segs.forEach((s, i) => {
    const v = frVecToBigints(segmentColumns(block, k, s.values, zRow));
    if (i === 0) v[col] = (v[col] + delta * e1) % R;
    if (i === 1) v[col] = (((v[col] - delta * e0) % R) + R) % R;
    p.setColumns(i, frVecFromBigints(v));
  });
  return p.finish();
}
