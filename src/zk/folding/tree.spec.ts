/**
 * The batched accumulation verifier (verifyFoldTree, docs/protocol.md §2.1) against a
 * node-by-node reference replay: every fold checked with foldCore in plan order and every
 * commitment folded as C_1 + ρ·C_2, one scalar multiplication per fold, as the prover does.
 * The batched verifier runs every transcript first, evaluates all line polynomials with one
 * batch inversion and gets the root commitments from one MSM over the leaves; these tests
 * pin that it reaches the same root and the same verdicts, and that a commitment replaced in
 * one leaf (with every transcript recomputed over it, so no fold check can notice) still gets
 * the whole proof rejected.
 */
import { FR_MODULUS } from '../field/fr';
import { encodeProof, assembleProof, verifyProofBytes } from '../encoding/proof';
import { hyperKzgBundle } from '../pcs/hyperkzg-codec';
import { HyperKzgCommitment } from '../pcs/hyperkzg';
import { fibonacciCircuit } from '../r1cs/examples';
import { multiply } from '../r1cs/uniform';
import { proveCompression } from '../spartan/compress';
import { statementHeader } from '../spartan/pipeline';
import { devSrs } from '../srs/dev';
import { G1_GENERATOR } from '../curve/g1';
import { evalFromPoints, evalManyFromPoints } from '../poly/univariate';
import {
  AccCore,
  AccInstance,
  AccWitness,
  FoldMessage,
  foldCore,
  foldInstanceCommitments,
  liftCore,
  proveLeaf,
} from './mova';
import { headerDigest } from './statement';
import { foldPlan, proveFoldTreeFromLeaves, verifyFoldTree } from './tree';
import { liftTwoPhaseCore } from './two-phase';

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

/** Honest leaves (optionally two-phase, with a second commitment to a made-up vector). */
function leaves(
  N: number,
  twoPhase: boolean,
  gd = new Uint8Array(32).fill(7),
): { inst: AccInstance<HyperKzgCommitment>; wit: AccWitness }[] {
  const ctx = context(N);
  return Array.from({ length: N }, (_, i) => {
    const { W, x } = fib.witness(k, i);
    if (!twoPhase) return proveLeaf(ctx, i, W, x, 254);
    const comm = pcs.commit(W);
    const comm2 = pcs.commit(W.map((_, j) => BigInt((j * 7 + i) % 5)));
    const core = liftTwoPhaseCore(ctx, i, comm.toBytes(), comm2.toBytes(), x, gd);
    return { inst: { ...core, comm, comm2 }, wit: { W, ...multiply(fib.shape, k, W, 1n, x) } };
  });
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
  fresh: c.fresh,
});

describe('evalManyFromPoints (one batch inversion for many line polynomials)', () => {
  it('equals evalFromPoints pair by pair, nodes and empty polynomials included', () => {
    const items = [
      { evals: [], x: 5n },
      { evals: [3n, 1n, 4n, 1n, 5n], x: 2n },
      { evals: [3n, 1n, 4n, 1n, 5n], x: R - 3n },
      { evals: [9n], x: 77n },
      { evals: [2n, 7n, 1n, 8n, 2n, 8n, 1n, 8n], x: 123456789123456789n },
      { evals: [0n, 0n, 0n], x: 4n },
      // consecutive items at one point share their inverses; a different length must not
      { evals: [1n, 2n, 4n, 8n], x: 99n },
      { evals: [5n, 3n, 2n, 7n], x: 99n },
      { evals: [5n, 3n, 2n], x: 99n },
      { evals: [5n, 3n, 2n], x: 98n },
    ];
    expect(evalManyFromPoints(items)).toEqual(
      items.map((it) => (it.evals.length === 0 ? 0n : evalFromPoints(it.evals, it.x))),
    );
  });
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

  it('every single-value change of every fold message gets the replay’s verdict (same node, same check)', () => {
    const N = 6;
    const ls = leaves(N, false);
    const insts = ls.map((l) => l.inst);
    const { proof } = proveFoldTreeFromLeaves(context(N), ls);
    let rejected = 0;
    proof.msgs.forEach((m, j) => {
      const variants: FoldMessage[] = [{ ...m, t: (m.t + 1n) % R }];
      for (const field of ['h1', 'h2'] as const) {
        for (let i = 0; i < m[field].length; i++) {
          const h = [...m[field]];
          h[i] = (h[i] + 1n) % R;
          variants.push({ ...m, [field]: h });
        }
      }
      // a wrong shape (an h of the wrong length) at this node
      variants.push({ ...m, h1: [...m.h1, 1n] });
      for (const forged of variants) {
        const msgs = proof.msgs.map((x, i) => (i === j ? forged : x));
        const want = replay(N, insts, msgs);
        const got = batched(N, insts, msgs);
        expect(got.ok).toBe(want.ok);
        if (!want.ok && !got.ok) {
          expect(got.error).toEqual(want.error);
          rejected++;
        } else if (want.ok && got.ok) {
          // Accepted by the fold checks (a changed t or h at the root, or an h entry the
          // checks do not read): the root claim v differs, which compression rejects.
          expect(coreOf(got.core)).toEqual(coreOf(want.core));
          expect(got.comm).toBe(want.comm);
        }
      }
    });
    expect(rejected).toBeGreaterThan(0);
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
      const honest = leaves(N, false);
      // The cheating prover presents C'_bad = C_bad + G and lifts that leaf from C'_bad, so the
      // leaf transcript, every fold transcript and every fold check are consistent with it; it
      // folds its real witnesses, so only the commitment arithmetic can catch it.
      const forged = honest.map((l, i) => {
        if (i !== bad) return l;
        const comm = new HyperKzgCommitment(l.inst.comm.point.add(G1_GENERATOR));
        const core = liftCore(ctx, i, comm.toBytes(), l.inst.x);
        return { inst: { ...core, comm }, wit: l.wit };
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
      if (tree.ok) expect(tree.comm).not.toBe(hex(pcs.commit(folded.rootWitness.W).toBytes()));
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
