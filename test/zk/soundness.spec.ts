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
  crossTerm,
  foldBeta,
  foldCore,
  foldWitness,
  honestFoldMessage,
  proveFold,
  proveLeaf,
} from '../../src/zk/folding/mova';
import { foldPlan } from '../../src/zk/folding/tree';
import { proveCompression } from '../../src/zk/spartan/compress';
import { proveSegments, statementHeader } from '../../src/zk/spartan/pipeline';
import { evaluateMLE } from '../../src/zk/poly/multilinear';
import { errorVector, findUnsatisfied, firstUnsatisfiedRow } from '../../src/zk/r1cs/uniform';
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
  segs.forEach((s, i) => {
    const leaf = proveLeaf(ctx, i, s.W, s.x, 254);
    insts[i] = leaf.inst;
    wits[i] = leaf.wit;
  });
  const msgs: FoldMessage[] = [];
  foldPlan(segs.length).forEach((st, j) => {
    const L = insts[st.left];
    const Rt = insts[st.right];
    const msg = forge(j, honestFoldMessage(ctx, j, L, wits[st.left], Rt, wits[st.right]), {
      left: L,
      right: Rt,
      lw: wits[st.left],
      rw: wits[st.right],
    });
    msgs.push(msg);
    const res = foldCore(ctx, j, L, Rt, msg);
    if (!res.ok)
      throw new Error(`forged message still rejected by the fold check: ${res.error.kind}`);
    insts[st.out] = {
      ...res.core,
      comm: bundle.pcs.add(L.comm, bundle.pcs.scale(Rt.comm, res.rho)),
    };
    wits[st.out] = foldWitness(wits[st.left], wits[st.right], res.rho);
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

    it('unsatisfying segment, honest fold algorithm: the next fold check names the false claim', () => {
      const bundle = getBundle() as PcsBundle<Commitment, unknown>;
      // Segment 1 is bad. Fold 0 takes two fresh inputs (nothing to check: their
      // line polynomials are implicitly 0), so the false claim is carried into
      // the accumulator, and the honest h_1 of fold 1 exposes it.
      const segs = segmentsWithBadOne(3, 1);
      const header = statementHeader(fib.shape, bundle, k, 3);
      const ctx = { shape: fib.shape, k, hd: headerDigest(header), pcs: bundle.pcs };
      const [a, b, c] = segs.map((s, i) => proveLeaf(ctx, i, s.W, s.x, 254));
      const f0 = proveFold(ctx, 0, a.inst, a.wit, b.inst, b.wit);
      const msg = honestFoldMessage(ctx, 1, f0.inst, f0.wit, c.inst, c.wit);
      expect(foldCore(ctx, 1, f0.inst, c.inst, msg)).toMatchObject({
        ok: false,
        error: { kind: 'fold-left-claim', node: 1, expected: f0.inst.v },
      });
      expect(() => proveFold(ctx, 1, f0.inst, f0.wit, c.inst, c.wit)).toThrow(/not satisfied/);
      // As the right input of a later fold it is the right claim that fails.
      const back = honestFoldMessage(ctx, 1, c.inst, c.wit, f0.inst, f0.wit);
      expect(foldCore(ctx, 1, c.inst, f0.inst, back)).toMatchObject({
        ok: false,
        error: { kind: 'fold-right-claim', node: 1 },
      });
      // With two segments there is no later fold: compression rejects.
      const two = segmentsWithBadOne(2, 1);
      const { proof } = proveSegments(fib.shape, bundle, k, two, 254);
      expect(verify(encodeProof(bundle, proof))).toMatchObject({ valid: false, stage: 'compress' });
    });

    it('h1, h2 shifted at every fold to match the claimed v: pass the folds, fail compression', () => {
      const segs = segmentsWithBadOne(3, 1);
      const bytes = cheatingProof(
        getBundle() as PcsBundle<Commitment, unknown>,
        segs,
        (_node, msg, io) => {
          const s1 = io.left.fresh ? 0n : (msg.h1[0] - io.left.v + R) % R;
          const s2 = io.right.fresh ? 0n : (msg.h2[1] - io.right.v + R) % R;
          return {
            ...msg,
            h1: msg.h1.map((e) => (e - s1 + R) % R),
            h2: msg.h2.map((e) => (e - s2 + R) % R),
          };
        },
      );
      expect(verify(bytes)).toMatchObject({ valid: false, stage: 'compress' });
    });

    it('a bad accumulated right input hidden behind h2 ≡ v, t recomputed at the forged β: rejected', () => {
      const bundle = getBundle() as PcsBundle<Commitment, unknown>;
      // Segment 2 is bad; fold 1 = (2, 3) carries its false claim; fold 2 =
      // (fold 0, fold 1) gets it as the right input, where the forger sends the
      // constant h2 ≡ v (so h2(1) = v passes) instead of Ẽ2 on the line.
      const segs = segmentsWithBadOne(4, 2);
      const header = statementHeader(fib.shape, bundle, k, 4);
      const ctx = { shape: fib.shape, k, hd: headerDigest(header) };
      const bytes = cheatingProof(bundle, segs, (node, msg, io) => {
        if (io.right.fresh) return msg;
        const h2 = msg.h2.map(() => io.right.v);
        const h1 = io.left.fresh ? msg.h1 : msg.h1;
        // The cross term is honest at the point the forged β gives; only E2 is hidden.
        const beta = foldBeta(ctx, node, io.left, io.right, h1, h2);
        const point = io.left.r.map((a, i) => (a + beta * ((io.right.r[i] - a + R) % R)) % R);
        const t = evaluateMLE(crossTerm(io.lw, io.left.u, io.rw, io.right.u), point);
        return { h1, h2, t };
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
          (_n, msg, io) => {
            const s1 = io.left.fresh ? 0n : (msg.h1[0] - io.left.v + R) % R;
            const s2 = io.right.fresh ? 0n : (msg.h2[1] - io.right.v + R) % R;
            return {
              ...msg,
              h1: msg.h1.map((e) => (e - s1 + R) % R),
              h2: msg.h2.map((e) => (e - s2 + R) % R),
            };
          },
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
    const a = proveLeaf(ctx, 0, segs[0].W, segs[0].x, 254);
    const b = proveLeaf(ctx, 1, segs[1].W, segs[1].x, 254);
    const f = proveFold(ctx, 0, a.inst, a.wit, b.inst, b.wit);
    expect(evaluateMLE(errorVector(f.wit, f.inst.u), [...f.inst.r])).toBe(f.inst.v);
  });
});
