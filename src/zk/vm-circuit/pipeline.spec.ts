/**
 * The stage-2 block through the proof system with a pluggable PCS (the transparent test PCS
 * and HyperKZG): every segment committed, the memory argument (memory-argument.ts) over the
 * commitments, the segments lifted at the shared point with their evaluation claims, folded,
 * compressed, encoded, and verified with the memory argument and checkSegments in the
 * verifier's claims hook. This is the wiring proveProgram and verifyProgramProof do
 * (docs/vm-circuit.md §5), in miniature.
 */
import { Fr } from '../field/fr';
import { assembleProof, encodeProof, verifyProofBytes } from '../encoding/proof';
import type { PcsBundle } from '../encoding/pcs-codec';
import { drawPoint, leafWitness, liftCore } from '../folding/mova';
import { headerDigest } from '../folding/statement';
import { proveFoldTreeFromLeaves } from '../folding/tree';
import type { Commitment } from '../pcs/types';
import { transparentBundle } from '../pcs/transparent';
import { proveCompression } from '../spartan/compress';
import { statementHeader } from '../spartan/pipeline';
import { VM_PUBLIC_INPUTS, vmBlock } from './memory';
import { proveMemoryArgument, verifyMemoryArgument } from './memory-argument';
import { MemoryStatement, SegmentPublics, checkSegments } from './statement';
import { SMALL } from './spec-helpers';
import { runAsm } from './vm-spec-helpers';
import { VmRun, segmentInstance, segmentValues } from './vm-witness';
import { devSrs } from '../srs/dev';
import { hyperKzgBundle } from '../pcs/hyperkzg-codec';

const PROGRAM = `
  li a7, 63          # read(0, sp − 7, 5)
  li a0, 0
  addi a1, sp, -7
  li a2, 5
  ecall
  lw t0, -8(sp)
  li a7, 64          # write(1, sp − 6, 3)
  li a0, 1
  addi a1, sp, -6
  li a2, 3
  ecall
  li a7, 93
  li a0, 7
  ecall`;

const byName = (x: readonly Fr[]): SegmentPublics =>
  Object.fromEntries(VM_PUBLIC_INPUTS.map((n, i) => [n, x[i]])) as SegmentPublics;

function proveAndVerify(bundle: PcsBundle<Commitment, unknown>, run: VmRun, k: number) {
  const block = vmBlock();
  const N = run.segments;
  const values = (i: number): Float64Array => segmentValues(run, i).values;
  const segs = Array.from({ length: N }, (_, i) => segmentInstance(segmentValues(run, i)));
  const header = statementHeader(block.shape, bundle, k, N, new TextEncoder().encode('stage 2'));
  const hd = headerDigest(header);
  const ctx = { shape: block.shape, k, hd, pcs: bundle.pcs };
  const comms = segs.map((s) => bundle.pcs.commitSmall(s.W, block.witnessBits));
  const ma = proveMemoryArgument(
    { hd, k, block },
    segs.map((s, i) => ({ comm: comms[i].toBytes(), x: s.x })),
    values,
  );
  const { claims, w } = ma.result;
  const point = drawPoint(
    ctx,
    segs.map((s, i) => ({ comm: comms[i].toBytes(), x: s.x, w: w[i] })),
    undefined,
    claims,
  );
  const leaves = segs.map((s, i) => ({
    inst: { ...liftCore(ctx, i, point, s.x, { p: claims.p, w: w[i] }), comm: comms[i] },
    wit: leafWitness(ctx, s.W, s.x, point.r),
  }));
  const folded = proveFoldTreeFromLeaves(ctx, leaves);
  const compression = proveCompression(ctx, bundle.pcs, folded.root, folded.rootWitness);
  const bytes = encodeProof(
    bundle,
    assembleProof(
      header,
      folded.proof,
      segs.map((s) => s.x),
      compression,
      block.shape,
    ),
  );
  const verify = (stmt: MemoryStatement) =>
    verifyProofBytes({ shape: block.shape, bundle }, bytes, {
      allowInsecureSrs: true,
      leafClaims: (s, ls) => {
        const v = verifyMemoryArgument({ hd: headerDigest(s.header), k, block }, ls, ma.proof);
        if (!v.ok) return v;
        const why = checkSegments(stmt, s.publicInputs.map(byName), v.products);
        return why === null
          ? { ok: true, claims: v.claims, values: v.w }
          : { ok: false, reason: why };
      },
    });
  return { verify, products: ma.result.products };
}

describe('stage 2 through the memory argument and the fold tree', () => {
  const K = 3;
  const { run } = runAsm(PROGRAM, K, { ...SMALL, publicInput: Uint8Array.from([9, 8, 7, 6, 5]) });

  describe('transparent test PCS', () => {
    let proved: ReturnType<typeof proveAndVerify>;
    beforeAll(() => {
      proved = proveAndVerify(transparentBundle() as PcsBundle<Commitment, unknown>, run, K);
    });

    it('proves and verifies a run with I/O over several segments', () => {
      expect(run.segments).toBeGreaterThan(2);
      expect(Array.from(run.statement.publicOutput)).toEqual([8, 7, 6]);
      expect(proved.products.exec).not.toBe(proved.products.sorted);
      expect(proved.verify(run.statement)).toMatchObject({ valid: true });
    });

    it('the same proof is rejected for another exit code or another output', () => {
      const exit = proved.verify({ ...run.statement, exitCode: 8 });
      expect(exit).toMatchObject({ valid: false });
      expect(JSON.stringify(exit)).toMatch(/memory products differ/);
      const out = proved.verify({ ...run.statement, publicOutput: Uint8Array.from([8, 7, 7]) });
      expect(JSON.stringify(out)).toMatch(/memory products differ/);
    });
  });

  it('HyperKZG (development SRS): segments commit as 34-bit scalars, and it verifies', () => {
    const bundle = hyperKzgBundle(devSrs({ maxVars: 14 })) as PcsBundle<Commitment, unknown>;
    expect(proveAndVerify(bundle, run, K).verify(run.statement)).toMatchObject({ valid: true });
  });
});
