/**
 * The accumulation verifier (verifyFoldTree, docs/protocol.md §2.1) against a node-by-node
 * reference replay: every fold with foldCore in plan order and every commitment folded as
 * C_1 + ρ·C_2, one scalar multiplication per fold, as the prover does. The verifier gets the
 * root commitments from one MSM over the leaves; these tests pin that it reaches the same
 * root, that a changed cross term t is accepted by the tree but caught by the compression (the
 * root claim is then false), and that a commitment replaced in one leaf (with the shared point
 * and every transcript recomputed over it, so nothing at the fold level can notice) still gets
 * the whole proof rejected.
 */
import { FR_MODULUS } from '../field/fr';
import { encodeProof, assembleProof, verifyProofBytes } from '../encoding/proof';
import { hyperKzgBundle } from '../pcs/hyperkzg-codec';
import { HyperKzgCommitment } from '../pcs/hyperkzg';
import { fibonacciCircuit } from '../r1cs/examples';
import { proveCompression } from '../spartan/compress';
import { statementHeader } from '../spartan/pipeline';
import { devSrs } from '../srs/dev';
import { G1_GENERATOR } from '../curve/g1';
import {
  AccCore,
  AccInstance,
  AccWitness,
  FoldMessage,
  drawPoint,
  foldCore,
  foldInstanceCommitments,
  leafWitness,
  liftCore,
  witnessW,
} from './mova';
import { headerDigest } from './statement';
import { foldPlan, proveFoldTreeFromLeaves, verifyFoldTree } from './tree';

const R = FR_MODULUS;
const fib = fibonacciCircuit();
const k = 2;
const bundle = hyperKzgBundle(devSrs({ maxVars: 10 }));
const pcs = bundle.pcs;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function context(N: number): {
  shape: typeof fib.shape;
  k: number;
  hd: Uint8Array;
  pcs: typeof pcs;
} {
  const hd = headerDigest(statementHeader(fib.shape, bundle, k, N, new TextEncoder().encode('t')));
  return { shape: fib.shape, k, hd, pcs };
}

/**
 * Leaves (optionally two-phase, with a second commitment to a made-up vector) lifted at the
 * shared point drawn over their commitments; `comm` replaces the commitment of one leaf.
 */
function leaves(
  N: number,
  twoPhase: boolean,
  gd = new Uint8Array(32).fill(7),
  replace?: { leaf: number; comm: (c: HyperKzgCommitment) => HyperKzgCommitment },
): { inst: AccInstance<HyperKzgCommitment>; wit: AccWitness }[] {
  const ctx = context(N);
  const segs = Array.from({ length: N }, (_, i) => {
    const { W, x } = fib.witness(k, i);
    let comm = pcs.commit(W);
    if (replace?.leaf === i) comm = replace.comm(comm);
    const comm2 = twoPhase ? pcs.commit(W.map((_, j) => BigInt((j * 7 + i) % 5))) : undefined;
    return { W, x, comm, comm2 };
  });
  const point = drawPoint(
    ctx,
    segs.map((s) => ({
      comm: s.comm.toBytes(),
      ...(s.comm2 ? { comm2: s.comm2.toBytes() } : {}),
      x: s.x,
    })),
    twoPhase ? gd : undefined,
  );
  return segs.map((s, i) => ({
    inst: {
      ...liftCore(ctx, i, point, s.x),
      comm: s.comm,
      ...(s.comm2 ? { comm2: s.comm2 } : {}),
    },
    wit: leafWitness(ctx, s.W, s.x, point.r),
  }));
}

type Verdict =
  { ok: true; core: AccCore; comm: string; comm2?: string } | { ok: false; error: unknown };

/** The reference: foldCore node by node, commitments folded one scalar multiplication at a time. */
function replay(
  N: number,
  ls: readonly AccInstance<HyperKzgCommitment>[],
  msgs: readonly FoldMessage[],
): Verdict {
  const ctx = context(N);
  const insts: AccInstance<HyperKzgCommitment>[] = [...ls];
  for (const [j, st] of foldPlan(N).entries()) {
    const res = foldCore(ctx, j, insts[st.left], insts[st.right], msgs[j]);
    if (!res.ok) return { ok: false, error: res.error };
    insts[st.out] = foldInstanceCommitments(
      pcs,
      res.core,
      insts[st.left],
      insts[st.right],
      res.rho,
    );
  }
  const root = insts[N === 1 ? 0 : 2 * N - 2];
  return {
    ok: true,
    core: root,
    comm: hex(root.comm.toBytes()),
    ...(root.comm2 ? { comm2: hex(root.comm2.toBytes()) } : {}),
  };
}

function batched(
  N: number,
  ls: readonly AccInstance<HyperKzgCommitment>[],
  msgs: readonly FoldMessage[],
  gd?: Uint8Array,
): Verdict {
  const v = verifyFoldTree(
    context(N),
    pcs,
    ls.map((l) => ({ comm: l.comm, comm2: l.comm2, x: l.x })),
    msgs,
    gd,
  );
  if (!v.ok) return { ok: false, error: v.error };
  return {
    ok: true,
    core: v.root,
    comm: hex(v.root.comm.toBytes()),
    ...(v.root.comm2 ? { comm2: hex(v.root.comm2.toBytes()) } : {}),
  };
}

const coreOf = (c: AccCore): object => ({
  x: c.x,
  u: c.u,
  r: c.r,
  v: c.v,
  digest: hex(c.digest),
});

describe('verifyFoldTree: the batched accumulation verifier against a node-by-node replay', () => {
  it.each([1, 2, 3, 4, 5, 7, 8, 9])(
    'N = %i: same root instance and the same root commitment (one MSM vs N−1 scalar multiplications)',
    (N) => {
      const ls = leaves(N, false);
      const { proof, root } = proveFoldTreeFromLeaves(context(N), ls);
      const want = replay(
        N,
        ls.map((l) => l.inst),
        proof.msgs,
      );
      const got = batched(
        N,
        ls.map((l) => l.inst),
        proof.msgs,
      );
      expect(want.ok && got.ok).toBe(true);
      if (!want.ok || !got.ok) return;
      expect(coreOf(got.core)).toEqual(coreOf(want.core));
      expect(got.comm).toBe(want.comm);
      expect(got.comm).toBe(hex(root.comm.toBytes()));
    },
  );

  it.each([3, 6])(
    'two-phase, N = %i: both root commitments (two MSMs sharing their scalars)',
    (N) => {
      const gd = new Uint8Array(32).fill(7);
      const ls = leaves(N, true, gd);
      const { proof, root } = proveFoldTreeFromLeaves(context(N), ls);
      const got = batched(
        N,
        ls.map((l) => l.inst),
        proof.msgs,
        gd,
      );
      expect(got.ok).toBe(true);
      if (!got.ok) return;
      expect(got.comm).toBe(hex(root.comm.toBytes()));
      expect(got.comm2).toBe(hex((root.comm2 as HyperKzgCommitment).toBytes()));
    },
  );

  it('a changed cross term t at any fold: the tree accepts with a false root claim, the compression rejects', () => {
    const N = 6;
    const ctx = context(N);
    const header = statementHeader(fib.shape, bundle, k, N, new TextEncoder().encode('t'));
    const ls = leaves(N, false);
    const insts = ls.map((l) => l.inst);
    const { proof, root, rootWitness } = proveFoldTreeFromLeaves(ctx, ls);
    proof.msgs.forEach((m, j) => {
      const msgs = proof.msgs.map((x, i) => (i === j ? { t: (m.t + 1n) % R } : x));
      const want = replay(N, insts, msgs);
      const got = batched(N, insts, msgs);
      expect(want.ok && got.ok).toBe(true);
      if (!want.ok || !got.ok) return;
      expect(coreOf(got.core)).toEqual(coreOf(want.core));
      expect(got.core.v).not.toBe(root.v);
      // The prover's witness is honest, so the compression of the forged root cannot succeed.
      const forgedRoot = { ...root, v: got.core.v };
      const compression = proveCompression(ctx, pcs, forgedRoot, rootWitness);
      const bytes = encodeProof(
        bundle,
        assembleProof(
          header,
          { ...proof, msgs },
          ls.map((l) => l.inst.x),
          compression,
        ),
      );
      expect(
        verifyProofBytes({ shape: fib.shape, bundle }, bytes, { allowInsecureSrs: true }),
      ).toMatchObject({ valid: false, stage: 'compress' });
    });
  });
});

describe('a leaf commitment replaced, every transcript recomputed over it', () => {
  it.each([
    [5, 0],
    [5, 3],
    [5, 4],
  ])(
    'N = %i, leaf %i: the folds pass, the root commitment is wrong, the proof is rejected',
    (N, bad) => {
      const ctx = context(N);
      const header = statementHeader(fib.shape, bundle, k, N, new TextEncoder().encode('t'));
      // The cheating prover presents C'_bad = C_bad + G and draws the point and lifts every
      // leaf over it, so every transcript is consistent with it; it folds its real witnesses,
      // so only the commitment arithmetic can catch it.
      const forged = leaves(N, false, undefined, {
        leaf: bad,
        comm: (c) => new HyperKzgCommitment(c.point.add(G1_GENERATOR)),
      });
      const folded = proveFoldTreeFromLeaves(ctx, forged);
      // The fold-level verifier accepts (it never reads commitments) …
      const tree = batched(
        N,
        forged.map((l) => l.inst),
        folded.proof.msgs,
      );
      expect(tree.ok).toBe(true);
      // … and computes the root commitment the cheat implies, which is not Com(root witness).
      if (tree.ok)
        expect(tree.comm).not.toBe(hex(pcs.commit(witnessW(folded.rootWitness)).toBytes()));
      const compression = proveCompression(ctx, pcs, folded.root, folded.rootWitness);
      const proof = assembleProof(
        header,
        folded.proof,
        forged.map((l) => l.inst.x),
        compression,
      );
      const verdict = verifyProofBytes({ shape: fib.shape, bundle }, encodeProof(bundle, proof), {
        allowInsecureSrs: true,
      });
      expect(verdict).toMatchObject({
        valid: false,
        stage: 'compress',
        reason: 'compress-pcs-opening',
      });
    },
  );

  it('the same prover without the replacement is accepted (the test above cheats only there)', () => {
    const N = 5;
    const ctx = context(N);
    const header = statementHeader(fib.shape, bundle, k, N, new TextEncoder().encode('t'));
    const ls = leaves(N, false);
    const folded = proveFoldTreeFromLeaves(ctx, ls);
    const compression = proveCompression(ctx, pcs, folded.root, folded.rootWitness);
    const proof = assembleProof(
      header,
      folded.proof,
      ls.map((l) => l.inst.x),
      compression,
    );
    expect(
      verifyProofBytes({ shape: fib.shape, bundle }, encodeProof(bundle, proof), {
        allowInsecureSrs: true,
      }).valid,
    ).toBe(true);
  });
});
