/**
 * Malicious provers against two-phase witnesses (docs/protocol.md §10;
 * STYLE.md #8). The circuit is the permutation example: phase-1 columns a, b;
 * the challenge γ; phase-2 running products whose segment ends pa, pb the
 * verifier multiplies across segments. Each adversary commits to what it uses
 * and runs the honest algorithms from there; each must be rejected by the full
 * verifier, which says at which stage.
 */
import { FR_MODULUS, Fr } from '../../src/zk/field/fr';
import { ZkProof, encodeProof, verifyProofBytes } from '../../src/zk/encoding/proof';
import type { PcsBundle } from '../../src/zk/encoding/pcs-codec';
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
import { headerDigest } from '../../src/zk/folding/statement';
import { foldPlan } from '../../src/zk/folding/tree';
import { drawChallenges, withChallenges } from '../../src/zk/folding/two-phase';
import { findUnsatisfied, phase1InputSlots, witnessPart } from '../../src/zk/r1cs/uniform';
import { proveCompression } from '../../src/zk/spartan/compress';
import { proveSegmentsTwoPhase, statementHeader } from '../../src/zk/spartan/pipeline';
import type { Commitment } from '../../src/zk/pcs/types';
import {
  CONTEXT,
  fib,
  honestProof,
  honestTwoPhase,
  kzgBundle,
  perm,
  permOpts,
  permValues,
  transparent,
} from './helpers';

const R = FR_MODULUS;
const P = perm.inputs;
const k = 2;
const N = 3;
const sub = (a: Fr, b: Fr): Fr => (((a - b) % R) + R) % R;
const inv = (a: Fr): Fr => {
  let [r0, r1, s0, s1] = [R, a % R, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % R) + R) % R;
};

interface Phase2Choice {
  /** The vector committed as C2. */
  c2: Fr[];
  /** The witness the prover folds (what it wants the verifier to believe). */
  W: Fr[];
  /** Its public inputs; the challenge slot is overwritten with the verifier's challenge. */
  x: Fr[];
}

/**
 * A two-phase prover that commits C1 to `c1[i]`, draws the challenges as the
 * verifier will, lets `phase2` choose C2's vector, the folded witness and the
 * inputs, draws the shared point over everything it committed, then folds with
 * the honest algorithm and compresses honestly against the committed vectors.
 */
function cheatingTwoPhase<C extends Commitment, P>(
  bundle: PcsBundle<C, P>,
  c1: Fr[][],
  x1: Fr[][],
  phase2: (i: number, challenges: Fr[]) => Phase2Choice,
): Uint8Array {
  const shape = perm.shape;
  const header = statementHeader(shape, bundle, k, c1.length, CONTEXT);
  const ctx = { shape, k, hd: headerDigest(header), pcs: bundle.pcs };
  const comm1 = c1.map((v) => bundle.pcs.commit(v));
  const draw = drawChallenges(
    ctx,
    x1.map((x, i) => ({ comm1: comm1[i].toBytes(), x })),
  );
  const insts: AccInstance<C>[] = [];
  const wits: AccWitness[] = [];
  const parts: { W1: Fr[]; W2: Fr[] }[] = [];
  const xs: Fr[][] = [];
  const chosen = c1.map((v, i) => {
    const ch = phase2(i, draw.challenges);
    return {
      ...ch,
      comm2: bundle.pcs.commit(ch.c2),
      x: withChallenges(shape, ch.x, draw.challenges),
    };
  });
  const point = drawPoint(
    ctx,
    chosen.map((ch, i) => ({ comm: comm1[i].toBytes(), comm2: ch.comm2.toBytes(), x: ch.x })),
    draw.digest,
  );
  chosen.forEach((ch, i) => {
    insts[i] = { ...liftCore(ctx, i, point, ch.x), comm: comm1[i], comm2: ch.comm2 };
    wits[i] = leafWitness(ctx, ch.W, ch.x, point.r);
    parts[i] = { W1: c1[i], W2: ch.c2 };
    xs.push(ch.x);
  });
  const msgs: FoldMessage[] = [];
  foldPlan(c1.length).forEach((st, j) => {
    const L = insts[st.left];
    const Rt = insts[st.right];
    const msg = honestFoldMessage(L, wits[st.left], Rt, wits[st.right]);
    msgs.push(msg);
    const res = foldCore(ctx, j, L, Rt, msg);
    if (!res.ok) throw new Error(`fold rejected: ${res.error.kind}`);
    insts[st.out] = foldInstanceCommitments(bundle.pcs, res.core, L, Rt, res.rho);
    wits[st.out] = foldWitness(point.r, wits[st.left], wits[st.right], res.rho);
    const fold = (a: Fr[], b: Fr[]): Fr[] => a.map((e, i) => (e + res.rho * b[i]) % R);
    parts[st.out] = {
      W1: fold(parts[st.left].W1, parts[st.right].W1),
      W2: fold(parts[st.left].W2, parts[st.right].W2),
    };
  });
  const root = c1.length === 1 ? 0 : 2 * c1.length - 2;
  const compression = proveCompression(ctx, bundle.pcs, insts[root], wits[root], parts[root]);
  const proof: ZkProof<C, P> = {
    header,
    leaves: xs.map((x, i) => ({ comm: comm1[i], comm2: insts[i].comm2, x })),
    folds: msgs,
    compression,
    inputSlots: { phase1: phase1InputSlots(shape), phase2: [...(perm.shape.phase2Inputs ?? [])] },
  };
  return encodeProof(bundle, proof);
}

/**
 * Values that are not a permutation but whose products agree at γ: two entries
 * of b in the last segment are replaced, the second solved from the first.
 */
function collidingValues(
  vals: { a: number[][]; b: number[][] },
  gamma: Fr,
): { a: Fr[][]; b: Fr[][] } {
  const a = vals.a.map((s) => s.map(BigInt));
  const b = vals.b.map((s) => s.map(BigInt));
  const last = b[b.length - 1];
  const [j, l] = [1, 2];
  const v1 = (last[j] + 1n) % 256n;
  // (γ − v1)(γ − v2) = (γ − b_j)(γ − b_l)  ⇒  v2 = γ − (γ − b_j)(γ − b_l)/(γ − v1)
  const v2 = sub(
    gamma,
    (((sub(gamma, last[j]) * sub(gamma, last[l])) % R) * inv(sub(gamma, v1))) % R,
  );
  last[j] = v1;
  last[l] = v2;
  return { a, b };
}

function segmentFrom(a: Fr[], b: Fr[]): { W: Fr[]; x: Fr[] } {
  // phase1 takes numbers; build from bigint values through the same columns.
  const seg = perm.phase1(
    k,
    a.map(() => 0),
    b.map(() => 0),
  );
  const W = [...seg.W];
  a.forEach((v, t) => (W[t * perm.shape.m + perm.cols.a] = v));
  b.forEach((v, t) => (W[t * perm.shape.m + perm.cols.b] = v));
  const x = [...seg.x];
  x[P.a0] = a[0];
  return { W, x };
}

for (const [name, getBundle] of [
  ['transparent test PCS', () => transparent as PcsBundle<Commitment, unknown>],
  ['HyperKZG', () => kzgBundle() as PcsBundle<Commitment, unknown>],
] as const) {
  describe(`malicious two-phase provers (${name})`, () => {
    const vk = (): { shape: typeof perm.shape; bundle: PcsBundle<Commitment, unknown> } => ({
      shape: perm.shape,
      bundle: getBundle(),
    });
    const honestVals = permValues(k, N, 42);
    const honest1 = honestVals.a.map((a, i) => perm.phase1(k, a, honestVals.b[i]));

    it('the cheating harness run honestly is accepted (control)', () => {
      const bytes = cheatingTwoPhase(
        getBundle(),
        honest1.map((s) => s.W),
        honest1.map((s) => s.x),
        (i, ch) => {
          const full = perm.phase2(k, ch, honest1[i]);
          return { c2: witnessPart(perm.shape, full.W, 2), W: full.W, x: full.x };
        },
      );
      expect(verifyProofBytes(vk(), bytes, permOpts)).toMatchObject({ valid: true });
    });

    it('(a) columns that are not a permutation, committed and multiplied honestly: the product check rejects', () => {
      const bad = permValues(k, N, 42);
      bad.b[2][3] = (bad.b[2][3] + 1) % 256;
      const segs = bad.a.map((a, i) => perm.phase1(k, a, bad.b[i]));
      const { proof } = proveSegmentsTwoPhase(
        perm.shape,
        getBundle(),
        k,
        segs,
        (_i, ch, s) => perm.phase2(k, ch, s),
        perm.witnessBits,
        CONTEXT,
      );
      const bytes = encodeProof(getBundle(), proof);
      expect(verifyProofBytes(vk(), bytes, permOpts)).toMatchObject({
        valid: false,
        stage: 'statement',
        reason: expect.stringContaining('not a permutation'),
      });
      // Every constraint holds: the proof system alone accepts, and it is the
      // verifier's cross-segment product check that must be (and is) run.
      expect(verifyProofBytes(vk(), bytes, { allowInsecureSrs: true }).valid).toBe(true);
    });

    it('(a′) the same, with a segment product forged to pass the product check: the proof rejects', () => {
      const bad = permValues(k, N, 42);
      bad.b[2][3] = (bad.b[2][3] + 1) % 256;
      const segs = bad.a.map((a, i) => perm.phase1(k, a, bad.b[i]));
      const { proof } = proveSegmentsTwoPhase(
        perm.shape,
        getBundle(),
        k,
        segs,
        (_i, ch, s) => perm.phase2(k, ch, s),
        perm.witnessBits,
        CONTEXT,
      );
      const xs = proof.leaves.map((l) => l.x);
      let pa = 1n;
      let pb = 1n;
      xs.forEach((x, i) => {
        if (i === 2) return;
        pa = (pa * x[P.pa]) % R;
        pb = (pb * x[P.pb]) % R;
      });
      // Choose pb of the last segment so that Π pa = Π pb.
      const forgedPb = (((pa * xs[2][P.pa]) % R) * inv(pb)) % R;
      const leaves = proof.leaves.map((l, i) =>
        i === 2 ? { ...l, x: l.x.map((v, p) => (p === P.pb ? forgedPb : v)) } : l,
      );
      const v = verifyProofBytes(vk(), encodeProof(getBundle(), { ...proof, leaves }), permOpts);
      expect(v.valid).toBe(false);
      expect(['fold', 'compress']).toContain((v as { stage: string }).stage);
    });

    it('(b) phase-1 columns chosen after the challenge and committed as a new C1: the transcript rejects', () => {
      const bundle = getBundle();
      // The honest C1s fix γ0; the adversary then picks colliding columns at γ0.
      const header = statementHeader(perm.shape, bundle, k, N, CONTEXT);
      const ctx = { shape: perm.shape, k, hd: headerDigest(header) };
      const gamma0 = drawChallenges(
        ctx,
        honest1.map((s) => ({
          comm1: bundle.pcs.commitSmall(s.W, perm.witnessBits).toBytes(),
          x: s.x,
        })),
      ).challenges[0];
      const coll = collidingValues(honestVals, gamma0);
      const bad1 = coll.a.map((a, i) => segmentFrom(a, coll.b[i]));
      const bad = bad1.map((s) => perm.phase2(k, [gamma0], s));
      // At γ0 everything holds: every constraint and the product check.
      for (const s of bad) expect(findUnsatisfied(perm.shape, k, s.W, s.x)).toBeNull();
      expect(perm.checkProducts(bad.map((s) => s.x))).toBeNull();
      let seen: Fr | undefined;
      const bytes = cheatingTwoPhase(
        bundle,
        bad1.map((s) => s.W),
        bad1.map((s) => s.x),
        (i, ch) => {
          seen = ch[0];
          return { c2: witnessPart(perm.shape, bad[i].W, 2), W: bad[i].W, x: bad[i].x };
        },
      );
      // The new C1s give another challenge, which the verifier puts in the instance.
      expect(seen).not.toBe(gamma0);
      const v = verifyProofBytes(vk(), bytes, permOpts);
      expect(v.valid).toBe(false);
      expect(['fold', 'compress']).toContain((v as { stage: string }).stage);
    });

    it('(b′) honest C1, phase-1 columns changed after the challenge through C2: rejected, though C1 + C2 commits to a satisfying witness', () => {
      const bundle = getBundle();
      let chosen: { W: Fr[]; x: Fr[] }[] | undefined;
      const choose = (gamma: Fr): { W: Fr[]; x: Fr[] }[] => {
        if (!chosen) {
          const coll = collidingValues(honestVals, gamma);
          chosen = coll.a.map((a, i) => perm.phase2(k, [gamma], segmentFrom(a, coll.b[i])));
        }
        return chosen;
      };
      const bytes = cheatingTwoPhase(
        bundle,
        honest1.map((s) => s.W),
        honest1.map((s) => s.x),
        (i, ch) => {
          const Wp = choose(ch[0])[i];
          // C2 carries the phase-2 columns and the difference in the phase-1 columns.
          const c2 = Wp.W.map((v, j) => sub(v, honest1[i].W[j]));
          return { c2, W: Wp.W, x: Wp.x };
        },
      );
      // What a verifier that folded only C = C1 + C2 would see: a commitment to a
      // witness that satisfies every constraint and the product check.
      const target = chosen!;
      for (const s of target) expect(findUnsatisfied(perm.shape, k, s.W, s.x)).toBeNull();
      expect(perm.checkProducts(target.map((s) => s.x))).toBeNull();
      const last = N - 1;
      const c2 = target[last].W.map((v, j) => sub(v, honest1[last].W[j]));
      const sum = bundle.pcs.add(bundle.pcs.commit(honest1[last].W), bundle.pcs.commit(c2));
      expect(Buffer.from(sum.toBytes())).toEqual(
        Buffer.from(bundle.pcs.commit(target[last].W).toBytes()),
      );
      // Ours reads phase-1 columns from C1 only.
      expect(verifyProofBytes(vk(), bytes, permOpts)).toMatchObject({
        valid: false,
        stage: 'compress',
      });
    });
  });
}

describe('two-phase statement binding (HyperKZG)', () => {
  const bundle = kzgBundle() as PcsBundle<Commitment, unknown>;
  const vkey = { shape: perm.shape, bundle };
  const h = honestTwoPhase(bundle, k, N, 9);
  const reencode = (p: typeof h.proof): Uint8Array => encodeProof(bundle, p);
  const ok = (p: typeof h.proof): boolean =>
    verifyProofBytes(vkey, reencode(p), { allowInsecureSrs: true }).valid;

  it('control', () => {
    expect(ok(h.proof)).toBe(true);
  });

  it('every carried public input (phase 1 and phase 2) of every segment, changed, is rejected', () => {
    h.proof.leaves.forEach((leaf, i) => {
      for (const p of [P.a0, P.pa, P.pb]) {
        const x = leaf.x.map((v, j) => (j === p ? (v + 1n) % R : v));
        const leaves = h.proof.leaves.map((l, ii) => (ii === i ? { ...l, x } : l));
        expect(ok({ ...h.proof, leaves })).toBe(false);
      }
    });
  });

  it('a challenge slot is never read from the proof', () => {
    const leaves = h.proof.leaves.map((l) => ({
      ...l,
      x: l.x.map((v, j) => (j === P.gamma ? 777n : v)),
    }));
    const bytes = reencode({ ...h.proof, leaves });
    expect(Buffer.from(bytes).equals(Buffer.from(h.bytes))).toBe(true);
    const v = verifyProofBytes(vkey, bytes, permOpts);
    expect(v.valid).toBe(true);
    if (v.valid) expect(v.statement.publicInputs[0][P.gamma]).toBe(h.challenges[0]);
  });

  it('swapped C1s, swapped C2s, C1 and C2 exchanged, and reordered segments are rejected', () => {
    const L = h.proof.leaves;
    const swap1 = [{ ...L[0], comm: L[1].comm }, { ...L[1], comm: L[0].comm }, L[2]];
    const swap2 = [{ ...L[0], comm2: L[1].comm2 }, { ...L[1], comm2: L[0].comm2 }, L[2]];
    const cross = [{ ...L[0], comm: L[0].comm2!, comm2: L[0].comm }, L[1], L[2]];
    const reordered = [L[1], L[0], L[2]];
    for (const leaves of [swap1, swap2, cross, reordered])
      expect(ok({ ...h.proof, leaves })).toBe(false);
    // C2 of another honest proof of the same statement shape (other challenges).
    const other = honestTwoPhase(bundle, k, N, 10);
    const substituted = [L[0], { ...L[1], comm2: other.proof.leaves[1].comm2 }, L[2]];
    expect(ok({ ...h.proof, leaves: substituted })).toBe(false);
  });

  it('another context, and a single-phase circuit for a two-phase proof or the reverse, are rejected', () => {
    expect(
      verifyProofBytes(vkey, h.bytes, { ...permOpts, expectedContext: new Uint8Array([1]) }),
    ).toMatchObject({ valid: false, stage: 'statement' });
    const other = { ...h.proof, header: { ...h.proof.header, context: new Uint8Array([9]) } };
    expect(ok(other)).toBe(false);
    expect(
      verifyProofBytes({ shape: fib.shape, bundle }, h.bytes, { allowInsecureSrs: true }),
    ).toMatchObject({ valid: false, stage: 'decode', reason: expect.stringContaining('circuit') });
    const single = honestProof(fib, bundle, k, 2);
    expect(verifyProofBytes(vkey, single.bytes, permOpts)).toMatchObject({
      valid: false,
      stage: 'decode',
      reason: expect.stringContaining('circuit'),
    });
  });
});
