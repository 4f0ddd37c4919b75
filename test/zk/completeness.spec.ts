/**
 * Completeness of the whole pipeline (fold tree + Spartan compression + encoding
 * + total verifier) on several circuits and tree shapes, with HyperKZG over the
 * development SRS (explicitly allowed) and with the transparent test PCS.
 */
import { verifyProofBytes } from '../../src/zk/encoding/proof';
import { foldPlan } from '../../src/zk/folding/tree';
import { hyperKzgBundle } from '../../src/zk/pcs/hyperkzg-codec';
import { devSrs } from '../../src/zk/srs/dev';
import { verifierKey } from '../../src/zk/srs/types';
import { bytes as byteCircuit, fib, honestProof, kzgBundle, transparent } from './helpers';

describe('completeness', () => {
  it('fold plan: N−1 folds, every node used once, root last', () => {
    for (let N = 1; N <= 9; N++) {
      const plan = foldPlan(N);
      expect(plan).toHaveLength(N - 1);
      const used = new Set<number>();
      for (const st of plan) {
        expect(used.has(st.left) || used.has(st.right)).toBe(false);
        used.add(st.left);
        used.add(st.right);
        expect(st.left).toBeLessThan(st.out);
        expect(st.right).toBeLessThan(st.out);
      }
      if (N > 1) expect(plan[plan.length - 1].out).toBe(2 * N - 2);
    }
  });

  const cases = [
    ['fibonacci, 1 segment of 2^2 steps', fib, 2, 1],
    ['fibonacci, 3 segments (odd tree)', fib, 2, 3],
    ['byte counter, 4 segments of 2^3 steps', byteCircuit, 3, 4],
    ['byte counter, 5 segments of 2^1 steps', byteCircuit, 1, 5],
  ] as const;

  for (const [name, circuit, k, N] of cases) {
    it(`${name} (transparent test PCS)`, () => {
      const h = honestProof(circuit, transparent, k, N);
      const v = verifyProofBytes({ shape: circuit.shape, bundle: transparent }, h.bytes, {
        allowInsecureSrs: true,
        expectedPublicInputs: h.segments.map((s) => s.x),
      });
      expect(v).toMatchObject({ valid: true });
    });
  }

  it('fibonacci, 3 segments, HyperKZG', () => {
    const bundle = kzgBundle();
    const h = honestProof(fib, bundle, 2, 3);
    const v = verifyProofBytes({ shape: fib.shape, bundle }, h.bytes, { allowInsecureSrs: true });
    expect(v.valid).toBe(true);
    if (v.valid) expect(v.statement.publicInputs).toEqual(h.segments.map((s) => s.x));
  });

  it('verification needs only the SRS verifier key', () => {
    const prover = kzgBundle();
    const h = honestProof(fib, prover, 2, 2);
    const srs = devSrs({ maxVars: prover.pcs.maxVars });
    const vkOnly = hyperKzgBundle(verifierKey(srs));
    expect(() => vkOnly.pcs.commit([1n, 2n])).toThrow();
    expect(
      verifyProofBytes({ shape: fib.shape, bundle: vkOnly }, h.bytes, { allowInsecureSrs: true })
        .valid,
    ).toBe(true);
  });

  it('byte counter with 2^10 repeated blocks per segment, 2 segments, HyperKZG', () => {
    const bundle = kzgBundle(14);
    const h = honestProof(byteCircuit, bundle, 10, 2);
    expect(
      verifyProofBytes({ shape: byteCircuit.shape, bundle }, h.bytes, { allowInsecureSrs: true })
        .valid,
    ).toBe(true);
  });

  it('a development SRS is never accepted silently', () => {
    const bundle = kzgBundle();
    const h = honestProof(fib, bundle, 2, 1);
    expect(verifyProofBytes({ shape: fib.shape, bundle }, h.bytes)).toMatchObject({
      valid: false,
      stage: 'statement',
      reason: expect.stringContaining('insecure'),
    });
  });
});
