/**
 * Malicious provers (STYLE.md #8, after Jolt's tests/soundness.rs). Each one
 * commits honestly to what it uses and then cheats somewhere in the protocol;
 * the full verifier (verifyProofBytes) must reject, and say at which stage.
 */
import { FR_MODULUS, Fr } from '../../src/zk/field/fr';
import { ZkProof, encodeProof, verifyProofBytes } from '../../src/zk/encoding/proof';
import { headerDigest } from '../../src/zk/folding/statement';
import {
  AccInstance,
  AccWitness,
  FoldMessage,
  errorAt,
  foldCore,
  foldWitness,
  honestFoldMessage,
  proveFold,
} from '../../src/zk/folding/mova';
import { foldPlan, proveLeaves } from '../../src/zk/folding/tree';
import { proveCompression } from '../../src/zk/spartan/compress';
import { proveSegments, statementHeader } from '../../src/zk/spartan/pipeline';
import { findUnsatisfied, firstUnsatisfiedRow } from '../../src/zk/r1cs/uniform';
import { hyperKzgBundle } from '../../src/zk/pcs/hyperkzg-codec';
import { devSrs } from '../../src/zk/srs/dev';
import type { PcsBundle } from '../../src/zk/encoding/pcs-codec';
import type { Commitment } from '../../src/zk/pcs/types';
import {
  CONTEXT,
  bytes as byteCircuit,
  fib,
  honestProof,
  kzgBundle,
  rng,
  transparent,
} from './helpers';

const R = FR_MODULUS;
const k = 2;

/** Fibonacci segments where segment `bad` has one witness entry changed. */
function segmentsWithBadOne(N: number, bad: number): { W: Fr[]; x: Fr[] }[] {
  const segs = Array.from({ length: N }, (_, i) => fib.witness(k, i));
  const W = [...segs[bad].W];
  W[fib.shape.m + 1] = (W[fib.shape.m + 1] + 1n) % R; // step 1, column b
  segs[bad] = { W, x: segs[bad].x };
  expect(firstUnsatisfiedRow(fib.shape, k, W, segs[bad].x)).toBeGreaterThanOrEqual(0);
  return segs;
}

/**
 * A prover that follows the protocol on the given segments except that `forge`
 * may replace each fold message before it is used; it then compresses honestly.
 */
function cheatingProof<C extends Commitment, P>(
  bundle: PcsBundle<C, P>,
  segs: { W: Fr[]; x: Fr[] }[],
  forge: (
    node: number,
    msg: FoldMessage,
    io: { left: AccInstance<C>; right: AccInstance<C>; lw: AccWitness; rw: AccWitness },
  ) => FoldMessage,
): Uint8Array {
  const header = statementHeader(fib.shape, bundle, k, segs.length);
  const ctx = { shape: fib.shape, k, hd: headerDigest(header), pcs: bundle.pcs };
  const insts: AccInstance<C>[] = [];
  const wits: AccWitness[] = [];
  proveLeaves(ctx, segs, 254).forEach((leaf, i) => {
    insts[i] = leaf.inst;
    wits[i] = leaf.wit;
  });
  const msgs: FoldMessage[] = [];
  foldPlan(segs.length).forEach((st, j) => {
    const L = insts[st.left];
    const Rt = insts[st.right];
    const msg = forge(j, honestFoldMessage(L, wits[st.left], Rt, wits[st.right]), {
      left: L,
      right: Rt,
      lw: wits[st.left],
      rw: wits[st.right],
    });
    msgs.push(msg);
    const res = foldCore(ctx, j, L, Rt, msg);
    if (!res.ok) throw new Error(`fold ${j} rejected: ${res.error.kind}`);
    insts[st.out] = {
      ...res.core,
      comm: bundle.pcs.add(L.comm, bundle.pcs.scale(Rt.comm, res.rho)),
    };
    wits[st.out] = foldWitness(L.r, wits[st.left], wits[st.right], res.rho);
  });
  const root = segs.length === 1 ? 0 : 2 * segs.length - 2;
  const compression = proveCompression(ctx, bundle.pcs, insts[root], wits[root]);
  const proof: ZkProof<C, P> = {
    header,
    leaves: segs.map((s, i) => ({ comm: insts[i].comm, x: s.x })),
    folds: msgs,
    compression,
  };
  return encodeProof(bundle, proof);
}

for (const [name, getBundle] of [
  ['transparent test PCS', () => transparent],
  ['HyperKZG', () => kzgBundle()],
] as const) {
  describe(`malicious provers (${name})`, () => {
    const verify = (b: Uint8Array): ReturnType<typeof verifyProofBytes> =>
      verifyProofBytes(
        { shape: fib.shape, bundle: getBundle() as PcsBundle<Commitment, unknown> },
        b,
        {
          allowInsecureSrs: true,
        },
      );

    it('single unsatisfying segment, honest algorithm: compression rejects', () => {
      const segs = segmentsWithBadOne(1, 0);
      const { proof } = proveSegments(
        fib.shape,
        getBundle() as PcsBundle<Commitment, unknown>,
        k,
        segs,
        254,
      );
      const v = verify(encodeProof(getBundle() as PcsBundle<Commitment, unknown>, proof));
      expect(v).toMatchObject({ valid: false, stage: 'compress' });
    });

    it('unsatisfying segment among several, honest algorithm: the root claim is false, compression rejects', () => {
      const bundle = getBundle() as PcsBundle<Commitment, unknown>;
      for (const [N, bad] of [
        [2, 1],
        [3, 1],
        [4, 0],
        [5, 4],
      ]) {
        const segs = segmentsWithBadOne(N, bad);
        const header = statementHeader(fib.shape, bundle, k, N);
        const ctx = { shape: fib.shape, k, hd: headerDigest(header), pcs: bundle.pcs };
        const leaves = proveLeaves(ctx, segs, 254);
        // The bad leaf's error does not vanish at the shared point (drawn after its commitment),
        // while its lifted claim says v = 0.
        const lw = leaves[bad].wit;
        expect(errorAt(lw, 1n, leaves[bad].inst.r)).not.toBe(0n);
        const { proof } = proveSegments(fib.shape, bundle, k, segs, 254);
        expect(verify(encodeProof(bundle, proof))).toMatchObject({
          valid: false,
          stage: 'compress',
        });
      }
    });

    it('t chosen to cancel the bad leaf’s error at the honest ρ: ρ moves with t, compression rejects', () => {
      const bundle = getBundle() as PcsBundle<Commitment, unknown>;
      // Segment 1 is bad: Ẽ_1(r) = e ≠ 0 but its claim is 0. Fold 0 = (0, 1) outputs the claim
      // v = ρ·t, while its witness's error is ρ·T̃(r) + ρ²·e. Sending t' = t + ρ·e would make
      // them equal if ρ stayed; but ρ is drawn after t', so it does not.
      const segs = segmentsWithBadOne(2, 1);
      const header = statementHeader(fib.shape, bundle, k, 2);
      const ctx = { shape: fib.shape, k, hd: headerDigest(header), pcs: bundle.pcs };
      const bytes = cheatingProof(bundle, segs, (node, msg, io) => {
        const e = errorAt(io.rw, 1n, io.right.r);
        const honest = foldCore(ctx, node, io.left, io.right, msg);
        if (!honest.ok) throw new Error('honest fold rejected');
        return { t: (msg.t + honest.rho * e) % R };
      });
      expect(verify(bytes)).toMatchObject({ valid: false, stage: 'compress' });
    });

    it('a leaf witness swapped after the point is drawn (its commitment kept): the opening fails', () => {
      const bundle = getBundle() as PcsBundle<Commitment, unknown>;
      // The prover would like to choose a witness knowing r; the commitments it was drawn over
      // bind the witnesses it folds. Here leaf 1 is replaced by another satisfying segment.
      const segs = Array.from({ length: 3 }, (_, i) => fib.witness(k, i));
      const header = statementHeader(fib.shape, bundle, k, 3);
      const ctx = { shape: fib.shape, k, hd: headerDigest(header), pcs: bundle.pcs };
      const leaves = proveLeaves(ctx, segs, 254);
      const other = proveLeaves(ctx, [segs[0], fib.witness(k, 9), segs[2]], 254)[1];
      leaves[1] = { inst: leaves[1].inst, wit: other.wit };
      const f0 = proveFold(ctx, 0, leaves[0].inst, leaves[0].wit, leaves[1].inst, leaves[1].wit);
      const f1 = proveFold(ctx, 1, f0.inst, f0.wit, leaves[2].inst, leaves[2].wit);
      const compression = proveCompression(ctx, bundle.pcs, f1.inst, f1.wit);
      const bytes = encodeProof(bundle, {
        header,
        leaves: segs.map((s, i) => ({ comm: leaves[i].inst.comm, x: s.x })),
        folds: [f0.msg, f1.msg],
        compression,
      });
      expect(verify(bytes)).toMatchObject({ valid: false, stage: 'compress' });
    });

    it('random single-entry corruptions of any segment: the lying prover is always rejected', () => {
      const rand = rng(name.length * 7919);
      const runs = name === 'HyperKZG' ? 4 : 16;
      let tried = 0;
      while (tried < runs) {
        const N = 1 + (rand() % 4);
        const segs = Array.from({ length: N }, (_, i) => fib.witness(k, 40 + i));
        const which = rand() % N;
        const at = rand() % segs[which].W.length;
        const W = [...segs[which].W];
        W[at] = (W[at] + 1n + BigInt(rand())) % R;
        if (findUnsatisfied(fib.shape, k, W, segs[which].x) === null) continue; // padding column
        segs[which] = { W, x: segs[which].x };
        tried++;
        const bytes = cheatingProof(
          getBundle() as PcsBundle<Commitment, unknown>,
          segs,
          (_n, msg) => msg,
        );
        expect(verify(bytes)).toMatchObject({ valid: false });
      }
    });

    it('a forged cross term t is rejected', () => {
      const segs = Array.from({ length: 2 }, (_, i) => fib.witness(k, i));
      const bytes = cheatingProof(
        getBundle() as PcsBundle<Commitment, unknown>,
        segs,
        (_n, msg) => ({
          ...msg,
          t: (msg.t + 1n) % R,
        }),
      );
      expect(verify(bytes)).toMatchObject({ valid: false, stage: 'compress' });
    });

    it('the honest cheating-prover harness is itself accepted (control)', () => {
      const segs = Array.from({ length: 3 }, (_, i) => fib.witness(k, i));
      const bytes = cheatingProof(
        getBundle() as PcsBundle<Commitment, unknown>,
        segs,
        (_n, msg) => msg,
      );
      expect(verify(bytes)).toMatchObject({ valid: true });
    });
  });
}

describe('statement binding (HyperKZG)', () => {
  const bundle = kzgBundle();
  const vkey = { shape: fib.shape, bundle };
  const h = honestProof(fib, bundle, k, 3);
  const reencode = (p: typeof h.proof): Uint8Array => encodeProof(bundle, p);

  it('every public input of every segment, changed to another canonical value, is rejected', () => {
    h.proof.leaves.forEach((leaf, i) => {
      leaf.x.forEach((_, j) => {
        const x = [...leaf.x];
        x[j] = (x[j] + 1n) % R;
        const leaves = h.proof.leaves.map((l, ii) => (ii === i ? { comm: l.comm, x } : l));
        const v = verifyProofBytes(vkey, reencode({ ...h.proof, leaves }), {
          allowInsecureSrs: true,
        });
        expect(v.valid).toBe(false);
      });
    });
  });

  it('swapped or substituted commitments are rejected', () => {
    const L = h.proof.leaves;
    const swapped = [{ ...L[0], comm: L[1].comm }, { ...L[1], comm: L[0].comm }, L[2]];
    expect(
      verifyProofBytes(vkey, reencode({ ...h.proof, leaves: swapped }), { allowInsecureSrs: true })
        .valid,
    ).toBe(false);
    const other = honestProof(fib, bundle, k, 3, 10);
    const substituted = [L[0], { ...L[1], comm: other.proof.leaves[1].comm }, L[2]];
    expect(
      verifyProofBytes(vkey, reencode({ ...h.proof, leaves: substituted }), {
        allowInsecureSrs: true,
      }).valid,
    ).toBe(false);
    // Reordering whole segments (commitment and inputs together) is another statement.
    const reordered = [L[1], L[0], L[2]];
    expect(
      verifyProofBytes(vkey, reencode({ ...h.proof, leaves: reordered }), {
        allowInsecureSrs: true,
      }).valid,
    ).toBe(false);
  });

  it('a proof is not accepted for another statement', () => {
    const expected = h.segments.map((s) => s.x);
    expect(
      verifyProofBytes(vkey, h.bytes, { allowInsecureSrs: true, expectedPublicInputs: expected })
        .valid,
    ).toBe(true);
    const otherInputs = expected.map((xs, i) => (i === 2 ? xs.map((x) => (x + 1n) % R) : xs));
    expect(
      verifyProofBytes(vkey, h.bytes, {
        allowInsecureSrs: true,
        expectedPublicInputs: otherInputs,
      }),
    ).toMatchObject({ valid: false, stage: 'statement' });
    // Another application context (e.g. program digest): as a verifier expectation,
    // and as a re-encoded header with the rest of the proof unchanged.
    expect(
      verifyProofBytes(vkey, h.bytes, {
        allowInsecureSrs: true,
        expectedContext: new Uint8Array([1, 2, 3]),
      }),
    ).toMatchObject({ valid: false, stage: 'statement' });
    expect(
      verifyProofBytes(vkey, h.bytes, { allowInsecureSrs: true, expectedContext: CONTEXT }).valid,
    ).toBe(true);
    const otherContext = {
      ...h.proof,
      header: { ...h.proof.header, context: new Uint8Array([9, 9]) },
    };
    expect(verifyProofBytes(vkey, reencode(otherContext), { allowInsecureSrs: true }).valid).toBe(
      false,
    );
    // Another circuit.
    expect(
      verifyProofBytes({ shape: byteCircuit.shape, bundle }, h.bytes, { allowInsecureSrs: true }),
    ).toMatchObject({
      valid: false,
      stage: 'decode',
      reason: expect.stringContaining('circuit'),
    });
    // Another SRS.
    const otherSrs = hyperKzgBundle(
      devSrs({ maxVars: 6, seed: 'another dev SRS', cacheDir: null }),
    );
    expect(
      verifyProofBytes({ shape: fib.shape, bundle: otherSrs }, h.bytes, { allowInsecureSrs: true }),
    ).toMatchObject({ valid: false, stage: 'statement' });
    // Another segment size or count, with the rest of the proof unchanged.
    expect(
      verifyProofBytes(vkey, h.bytes, { allowInsecureSrs: true, expectedK: k + 1 }).valid,
    ).toBe(false);
    const fewer = {
      ...h.proof,
      header: { ...h.proof.header, segments: 2 },
      leaves: h.proof.leaves.slice(0, 2),
    };
    expect(
      verifyProofBytes(vkey, reencode({ ...fewer, folds: h.proof.folds.slice(0, 1) }), {
        allowInsecureSrs: true,
      }).valid,
    ).toBe(false);
    // A proof of one statement spliced with the folds and compression of another.
    const other = honestProof(fib, bundle, k, 3, 20);
    const spliced = { ...other.proof, leaves: h.proof.leaves };
    expect(verifyProofBytes(vkey, reencode(spliced), { allowInsecureSrs: true }).valid).toBe(false);
  });

  it('the error vector of an honest root is the claimed evaluation (sanity)', () => {
    const segs = Array.from({ length: 2 }, (_, i) => fib.witness(k, i));
    const header = statementHeader(fib.shape, bundle, k, 2);
    const ctx = { shape: fib.shape, k, hd: headerDigest(header), pcs: bundle.pcs };
    const [a, b] = proveLeaves(ctx, segs, 254);
    const f = proveFold(ctx, 0, a.inst, a.wit, b.inst, b.wit);
    expect(errorAt(f.wit, f.inst.u, f.inst.r)).toBe(f.inst.v);
  });
});
