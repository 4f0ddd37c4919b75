import { headerDigest } from './statement';
import { proveFold, proveLeaf } from './mova';
import { fromPlainInstance, toPlainInstance } from './transfer';
import { fibonacciCircuit } from '../r1cs/examples';
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
    const leaves = [0, 1, 2, 3].map((i) => {
      const s = c.witness(k, i);
      return proveLeaf(ctx, i, s.W, s.x, 254);
    });
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
