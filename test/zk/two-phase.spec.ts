import { verifyProofBytes, encodeProofWithLayout } from '../../src/zk/encoding/proof';
import { permutationCircuit } from '../../src/zk/r1cs/examples';
import { proveSegmentsTwoPhase } from '../../src/zk/spartan/pipeline';
import { kzgBundle, transparent } from './helpers';

const perm = permutationCircuit();

describe('smoke', () => {
  it('works', () => {
    const k = 2;
    const vals = [3, 1, 4, 1, 5, 9, 2, 6];
    const bvals = [1, 1, 2, 3, 4, 5, 6, 9];
    const segs = [
      perm.phase1(k, vals.slice(0, 4), bvals.slice(0, 4)),
      perm.phase1(k, vals.slice(4), bvals.slice(4)),
    ];
    for (const bundle of [transparent, kzgBundle()] as const) {
      const { proof } = proveSegmentsTwoPhase(
        perm.shape,
        bundle as never,
        k,
        segs,
        (_i, ch, s) => perm.phase2(k, ch, s),
        perm.witnessBits,
      );
      const { bytes } = encodeProofWithLayout(bundle as never, proof);
      const v = verifyProofBytes({ shape: perm.shape, bundle: bundle as never }, bytes, {
        allowInsecureSrs: true,
        checkStatement: (s) => perm.checkProducts(s.publicInputs),
      });
      expect(v).toMatchObject({ valid: true });
    }
  });
});
