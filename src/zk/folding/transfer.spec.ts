import { headerDigest } from './statement';
import { proveFold } from './mova';
import { proveLeaves } from './tree';
import { fromPlainInstance, toPlainInstance } from './transfer';
import { fibonacciCircuit, permutationCircuit } from '../r1cs/examples';
import { commitPhase } from './two-phase';
import { dimensions } from '../r1cs/uniform';
import { transparentBundle } from '../pcs/transparent';
import { statementHeader } from '../spartan/pipeline';
import { proveCompression, verifyCompression } from '../spartan/compress';

describe('accumulators across threads', () => {
  it('an instance survives structuredClone of its plain form, and fold(acc, acc) continues from it', () => {
    const c = fibonacciCircuit();
    const b = transparentBundle();
    const k = 2;
    const ctx = {
      shape: c.shape,
      k,
      hd: headerDigest(statementHeader(c.shape, b, k, 4)),
      pcs: b.pcs,
    };
    const leaves = proveLeaves(
      ctx,
      [0, 1, 2, 3].map((i) => c.witness(k, i)),
      254,
    );
    const f0 = proveFold(ctx, 0, leaves[0].inst, leaves[0].wit, leaves[1].inst, leaves[1].wit);
    const f1 = proveFold(ctx, 1, leaves[2].inst, leaves[2].wit, leaves[3].inst, leaves[3].wit);
    const nVars = dimensions(c.shape, k).witnessVars;
    // What a worker would post back: plain instance + witness, cloned.
    const [p0, w0] = structuredClone([toPlainInstance(f0.inst), f0.wit]);
    const back = fromPlainInstance(b.codec, nVars, p0);
    expect(back).not.toBeNull();
    if (!back) return;
    const root = proveFold(ctx, 2, back, w0, f1.inst, f1.wit);
    const proof = proveCompression(ctx, b.pcs, root.inst, root.wit);
    expect(verifyCompression(ctx, b.pcs, root.inst, proof)).toEqual({ ok: true });
    expect(fromPlainInstance(b.codec, nVars, { ...p0, digest: new Uint8Array(31) })).toBeNull();
    expect(
      fromPlainInstance(b.codec, nVars, { ...p0, u: new Uint8Array(32).fill(255) }),
    ).toBeNull();
  });
});

describe('two-phase accumulators across threads', () => {
  it('the phase-2 commitment travels with the instance and is checked like the first', () => {
    const c = permutationCircuit();
    const b = transparentBundle();
    const k = 1;
    const nVars = dimensions(c.shape, k).witnessVars;
    const seg = c.phase2(k, [5n], c.phase1(k, [1, 2], [2, 1]));
    const comm = commitPhase(b.pcs, c.shape, seg.W, 1);
    const comm2 = commitPhase(b.pcs, c.shape, seg.W, 2);
    const inst = {
      comm,
      comm2,
      x: seg.x,
      u: 1n,
      r: [3n, 4n],
      v: 0n,
      digest: new Uint8Array(32),
    };
    const plain = structuredClone(toPlainInstance(inst));
    const back = fromPlainInstance(b.codec, nVars, plain);
    expect(back?.comm2?.toBytes()).toEqual(comm2.toBytes());
    expect(back?.comm.toBytes()).toEqual(comm.toBytes());
    const single = fromPlainInstance(b.codec, nVars, { ...plain, comm2: undefined });
    expect(single).not.toBeNull();
    expect(single && 'comm2' in single).toBe(false);
    expect(fromPlainInstance(b.codec, nVars, { ...plain, comm2: new Uint8Array(3) })).toBeNull();
  });
});
