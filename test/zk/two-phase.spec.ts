/**
 * Two-phase witnesses (docs/protocol.md §10): completeness of the permutation
 * example over several segment counts, segment sizes and tree shapes, with the
 * transparent test PCS and HyperKZG; the challenges come from the transcript;
 * the layout; the prover's own guards; and the phase-2 leaves run in real
 * worker threads on plain data, giving the byte-identical proof.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FR_MODULUS, Fr } from '../../src/zk/field/fr';
import { encodeProof, verifyProofBytes } from '../../src/zk/encoding/proof';
import type { PcsBundle } from '../../src/zk/encoding/pcs-codec';
import type { AccCore, AccWitness } from '../../src/zk/folding/mova';
import { drawPoint } from '../../src/zk/folding/mova';
import { headerDigest } from '../../src/zk/folding/statement';
import { proveFoldTreeFromLeaves } from '../../src/zk/folding/tree';
import { commitPhase, drawChallenges, withChallenges } from '../../src/zk/folding/two-phase';
import { fromPlainInstance, toPlainInstance } from '../../src/zk/folding/transfer';
import {
  ONE,
  UniformBuilder,
  dimensions,
  generateWitness,
  pub,
  w,
  wNext,
} from '../../src/zk/r1cs/uniform';
import { proveCompression } from '../../src/zk/spartan/compress';
import {
  proveSegments,
  proveSegmentsTwoPhase,
  statementHeader,
} from '../../src/zk/spartan/pipeline';
import { assembleProof } from '../../src/zk/encoding/proof';
import type { Commitment } from '../../src/zk/pcs/types';
import {
  CONTEXT,
  fib,
  honestTwoPhase,
  kzgBundle,
  perm,
  permOpts,
  permValues,
  transparent,
} from './helpers';

const P = perm.inputs;

describe('two-phase completeness', () => {
  const cases: [string, () => PcsBundle<Commitment, unknown>, number, number][] = [
    ['transparent', () => transparent as PcsBundle<Commitment, unknown>, 1, 1],
    ['transparent', () => transparent as PcsBundle<Commitment, unknown>, 2, 2],
    ['transparent', () => transparent as PcsBundle<Commitment, unknown>, 3, 4],
    ['transparent', () => transparent as PcsBundle<Commitment, unknown>, 1, 5],
    ['HyperKZG', () => kzgBundle() as PcsBundle<Commitment, unknown>, 2, 1],
    ['HyperKZG', () => kzgBundle() as PcsBundle<Commitment, unknown>, 2, 3],
    ['HyperKZG', () => kzgBundle() as PcsBundle<Commitment, unknown>, 1, 5],
    ['HyperKZG', () => kzgBundle() as PcsBundle<Commitment, unknown>, 4, 2],
  ];
  for (const [name, getBundle, k, N] of cases) {
    it(`${N} segment(s) of 2^${k} steps, ${name}: verifies, with the verifier's own challenges`, () => {
      const bundle = getBundle();
      const h = honestTwoPhase(bundle, k, N, 100 * k + N);
      const v = verifyProofBytes({ shape: perm.shape, bundle }, h.bytes, {
        ...permOpts,
        expectedContext: CONTEXT,
        expectedPublicInputs: h.proof.leaves.map((l) => l.x),
      });
      expect(v).toMatchObject({ valid: true });
      if (!v.valid) return;
      expect(v.statement.challenges).toEqual(h.challenges);
      for (const x of v.statement.publicInputs) expect(x[P.gamma]).toBe(h.challenges[0]);
      // The permutation spans segments: with several segments some segment is
      // not a permutation by itself, so only the cross-segment check can pass.
      if (N > 1) expect(v.statement.publicInputs.some((x) => x[P.pa] !== x[P.pb])).toBe(true);
      // The verifier derives the same challenges from the leaves' C1 and phase-1 inputs.
      const hd = headerDigest(h.proof.header);
      const draw = drawChallenges(
        { shape: perm.shape, k, hd },
        h.proof.leaves.map((l) => ({ comm1: l.comm.toBytes(), x: l.x })),
      );
      expect(draw.challenges).toEqual(h.challenges);
    });
  }

  it('layout: C1, phase-1 inputs, C2, phase-2 inputs per leaf; no challenge is encoded', () => {
    const bundle = kzgBundle() as PcsBundle<Commitment, unknown>;
    const h = honestTwoPhase(bundle, 2, 3, 7);
    const names = h.fields.map((f) => f.name);
    expect(names.filter((n) => n.startsWith('leaf[1]'))).toEqual([
      'leaf[1].comm1',
      'leaf[1].x1[0]',
      'leaf[1].comm2',
      'leaf[1].x2[0]',
      'leaf[1].x2[1]',
    ]);
    expect(names).toContain('w1');
    expect(names).toContain('w2');
    expect(names).not.toContain('w');
    const d = dimensions(perm.shape, 2);
    expect(names.filter((n) => n.startsWith('sc2.round['))).toHaveLength(3 * d.witnessVars);
    // The challenge's value appears nowhere in the proof bytes.
    const hex = Buffer.from(h.bytes).toString('hex');
    const ch = h.challenges[0].toString(16).padStart(64, '0');
    const le = Buffer.from(ch, 'hex').reverse().toString('hex');
    expect(hex.includes(le)).toBe(false);
  });

  it('expected public inputs are compared on every slot but the challenges', () => {
    const bundle = transparent as PcsBundle<Commitment, unknown>;
    const h = honestTwoPhase(bundle, 2, 2, 3);
    const vk = { shape: perm.shape, bundle };
    const xs = h.proof.leaves.map((l) => [...l.x]);
    xs[0][P.gamma] = 12345n; // whatever the caller puts there is not the statement
    expect(verifyProofBytes(vk, h.bytes, { ...permOpts, expectedPublicInputs: xs }).valid).toBe(
      true,
    );
    xs[1][P.pb] += 1n;
    expect(verifyProofBytes(vk, h.bytes, { ...permOpts, expectedPublicInputs: xs })).toMatchObject({
      valid: false,
      stage: 'statement',
    });
  });

  it('the prover refuses a phase-2 callback that changes anything bound in phase 1, and the wrong entry point', () => {
    const bundle = transparent as PcsBundle<Commitment, unknown>;
    const k = 1;
    const vals = permValues(k, 2, 1);
    const segs = vals.a.map((a, i) => perm.phase1(k, a, vals.b[i]));
    const run = (f: (W: Fr[], x: Fr[]) => void): unknown =>
      proveSegmentsTwoPhase(
        perm.shape,
        bundle,
        k,
        segs,
        (_i, ch, s) => {
          const full = perm.phase2(k, ch, s);
          f(full.W, full.x);
          return full;
        },
        perm.witnessBits,
      );
    expect(() => run((W) => (W[perm.cols.a] += 1n))).toThrow(/phase-1 witness entry/);
    expect(() => run((_W, x) => (x[P.gamma] += 1n))).toThrow(/public input 1/);
    expect(() => run((_W, x) => (x[P.a0] += 1n))).toThrow(/public input 0/);
    expect(() => run(() => undefined)).not.toThrow();
    expect(() => proveSegments(perm.shape, bundle, k, segs, 8)).toThrow(/proveSegmentsTwoPhase/);
    expect(() =>
      proveSegmentsTwoPhase(fib.shape, bundle, k, [fib.witness(k, 0)], (_i, _c, s) => s, 254),
    ).toThrow(/two-phase shape/);
  });
});

function runInWorker<T>(job: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(join(__dirname, 'two-phase-worker.ts'), {
      execArgv: ['-r', '@swc-node/register'],
    });
    w.once('message', (m) => {
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
    w.postMessage(job);
  });
}

describe('two-phase leaves in worker threads', () => {
  it('phase 2 of every segment in a worker gives the same proof as the sequential prover', async () => {
    const k = 2;
    const N = 3;
    const bundle = transparent;
    const vals = permValues(k, N, 5);
    const segs = vals.a.map((a, i) => perm.phase1(k, a, vals.b[i]));
    const header = statementHeader(perm.shape, bundle, k, N, CONTEXT);
    const ctx = { shape: perm.shape, k, hd: headerDigest(header) };
    // Phase 1 (here on the coordinator; a worker with the SRS could do it).
    const comm1 = segs.map((s) => commitPhase(bundle.pcs, perm.shape, s.W, 1, perm.witnessBits));
    const draw = drawChallenges(
      ctx,
      segs.map((s, i) => ({ comm1: comm1[i].toBytes(), x: s.x })),
    );
    const done = await Promise.all(
      segs.map((s) =>
        runInWorker<{ comm2: Uint8Array; W: Fr[]; x: Fr[] }>({
          kind: 'phase2',
          ctx,
          W: s.W,
          x: withChallenges(perm.shape, s.x, draw.challenges),
          challenges: draw.challenges,
        }),
      ),
    );
    const point = drawPoint(
      ctx,
      done.map((r, i) => ({ comm: comm1[i].toBytes(), comm2: r.comm2, x: r.x })),
      draw.digest,
    );
    const lifted = await Promise.all(
      done.map((r, index) =>
        runInWorker<{ core: AccCore; wit: AccWitness }>({
          kind: 'leaf',
          ctx,
          index,
          W: r.W,
          x: r.x,
          point,
        }),
      ),
    );
    const nVars = dimensions(perm.shape, k).witnessVars;
    const leaves = done.map((r, i) => {
      const inst = fromPlainInstance(
        bundle.codec,
        nVars,
        structuredClone(
          toPlainInstance({
            ...lifted[i].core,
            comm: comm1[i],
            comm2: bundle.codec.decodeCommitment(r.comm2, nVars)!,
          }),
        ),
      );
      expect(inst?.comm2).toBeDefined();
      return { inst: inst!, wit: lifted[i].wit };
    });
    const pctx = { ...ctx, pcs: bundle.pcs };
    const folded = proveFoldTreeFromLeaves(pctx, leaves);
    const compression = proveCompression(ctx, bundle.pcs, folded.root, folded.rootWitness);
    const bytes = encodeProof(
      bundle,
      assembleProof(
        header,
        folded.proof,
        done.map((r) => r.x),
        compression,
        perm.shape,
      ),
    );
    expect(verifyProofBytes({ shape: perm.shape, bundle }, bytes, permOpts).valid).toBe(true);
    const sequential = honestTwoPhase(bundle, k, N, 5, vals);
    expect(Buffer.from(bytes).equals(Buffer.from(sequential.bytes))).toBe(true);
  });
});

describe('two challenges: a multiset check of pairs (the memory argument in miniature)', () => {
  // Phase 1: pairs (a, v) and (b, u). Challenges α, γ. Phase 2: fingerprints
  // f = a + α·v, g = b + α·u (a challenge times a witness: one row each) and
  // running products of (γ − f), (γ − g); the segment ends are phase-2 inputs.
  const bld = new UniformBuilder();
  const [a, v, b, u] = [bld.witness(), bld.witness(), bld.witness(), bld.witness()];
  const [f, g, zf, zg] = [0, 0, 0, 0].map(() => bld.witness({ phase: 2 }));
  const alpha = bld.challenge();
  const gamma = bld.challenge();
  const pf = bld.publicInput({ phase: 2 });
  const pg = bld.publicInput({ phase: 2 });
  for (const [key, val, fp, z, out] of [
    [a, v, f, zf, pf],
    [b, u, g, zg, pg],
  ] as const) {
    bld.constrain(
      [[alpha, 1]],
      [[w(val), 1]],
      [
        [w(fp), 1],
        [w(key), -1],
      ],
    );
    bld.constrain(
      [[w(z), 1]],
      [
        [gamma, 1],
        [wNext(fp), -1],
      ],
      [[wNext(z), 1]],
    );
    bld.constrainAt(
      'first',
      [[w(z), 1]],
      [[ONE, 1]],
      [
        [gamma, 1],
        [w(fp), -1],
      ],
    );
    bld.constrainAt('last', [[w(z), 1]], [[ONE, 1]], [[pub(out), 1]]);
  }
  const shape = bld.build();
  const k = 2;
  const R = FR_MODULUS;
  const phase1 = (rows: [number, number, number, number][]): { W: Fr[]; x: Fr[] } => ({
    W: generateWitness(shape, k, (s) => rows[s.step].forEach((val, c) => s.set(c, val))),
    x: new Array<Fr>(shape.nPublic).fill(0n),
  });
  const phase2 = (ch: readonly Fr[], seg: { W: Fr[]; x: Fr[] }): { W: Fr[]; x: Fr[] } => {
    const [al, ga] = ch;
    const W = generateWitness(
      shape,
      k,
      (s) => {
        for (const [key, val, fp, z] of [
          [a, v, f, zf],
          [b, u, g, zg],
        ]) {
          s.set(fp, (s.get(key) + al * s.get(val)) % R);
          const factor = (ga - s.get(fp) + R) % R;
          s.set(z, s.step === 0 ? factor : (s.prev(z) * factor) % R);
        }
      },
      seg.W,
    );
    const last = (2 ** k - 1) * shape.m;
    const x = [...seg.x];
    x[pf] = W[last + zf];
    x[pg] = W[last + zg];
    return { W, x };
  };
  const check = (xs: Fr[][]): string | null => {
    const prod = (p: number): Fr => xs.reduce((acc, x) => (acc * x[p]) % R, 1n);
    return prod(pf) === prod(pg) ? null : 'pair multisets differ';
  };
  const prove = (segs: [number, number, number, number][][]): Uint8Array => {
    const bundle = transparent as PcsBundle<Commitment, unknown>;
    const { proof, challenges } = proveSegmentsTwoPhase(
      shape,
      bundle,
      k,
      segs.map(phase1),
      (_i, ch, s) => phase2(ch, { W: s.W, x: [...s.x] }),
      8,
    );
    expect(challenges).toHaveLength(2);
    expect(challenges[0]).not.toBe(challenges[1]);
    return encodeProof(bundle, proof);
  };
  const verify = (bytes: Uint8Array): ReturnType<typeof verifyProofBytes> =>
    verifyProofBytes({ shape, bundle: transparent as PcsBundle<Commitment, unknown> }, bytes, {
      allowInsecureSrs: true,
      checkStatement: (s) => check(s.publicInputs),
    });

  it('pairs moved between segments verify; the challenges are the verifier’s, in slot order', () => {
    const v1 = verify(
      prove([
        [
          [1, 10, 3, 30],
          [2, 20, 4, 40],
          [3, 30, 1, 10],
          [4, 40, 5, 50],
        ],
        [
          [5, 50, 6, 60],
          [6, 60, 7, 70],
          [7, 70, 8, 80],
          [8, 80, 2, 20],
        ],
      ]),
    );
    expect(v1.valid).toBe(true);
    if (v1.valid) {
      const [ia, ig] = shape.challengeInputs!;
      expect(v1.statement.publicInputs[1][ia]).toBe(v1.statement.challenges[0]);
      expect(v1.statement.publicInputs[1][ig]).toBe(v1.statement.challenges[1]);
    }
  });

  it('same keys and same values but different pairs: rejected (α separates the fields)', () => {
    // Keys {1,2} and values {10,20} on both sides, but paired differently.
    const v2 = verify(
      prove([
        [
          [1, 10, 1, 20],
          [2, 20, 2, 10],
          [3, 30, 3, 30],
          [4, 40, 4, 40],
        ],
      ]),
    );
    expect(v2).toMatchObject({ valid: false, stage: 'statement', reason: 'pair multisets differ' });
  });
});
