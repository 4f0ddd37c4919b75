/**
 * The stage-2 block through the real two-phase proof system (docs/protocol.md §10, with the
 * transparent test PCS): phase-1 segments committed, α and γ drawn from the transcript, phase 2
 * filled by segmentInstance, folded, compressed, encoded, and verified with checkSegments as
 * the statement check. This is the wiring stage 3 does (docs/vm-circuit.md §5), in miniature.
 */
import { Fr } from '../field/fr';
import { encodeProof, verifyProofBytes } from '../encoding/proof';
import type { PcsBundle } from '../encoding/pcs-codec';
import type { Commitment } from '../pcs/types';
import { transparentBundle } from '../pcs/transparent';
import { proveSegmentsTwoPhase } from '../spartan/pipeline';
import { VM_PUBLIC_INPUTS, vmBlock } from './memory';
import { MemoryStatement, SegmentPublics, checkSegments } from './statement';
import { SMALL } from './spec-helpers';
import { runAsm } from './vm-spec-helpers';
import { VmRun, phase1Witness, segmentInstance, segmentValues } from './vm-witness';
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
  const values = Array.from({ length: run.segments }, (_, i) => segmentValues(run, i));
  const proved = proveSegmentsTwoPhase(
    block.shape,
    bundle,
    k,
    values.map((v) => phase1Witness(v)),
    (i, ch) => {
      const inst = segmentInstance(values[i], ch[0], ch[1]);
      return { W: inst.W, x: inst.x };
    },
    block.witnessBits,
    new TextEncoder().encode('vm-circuit stage 2'),
  );
  const bytes = encodeProof(bundle, proved.proof);
  const verify = (stmt: MemoryStatement) =>
    verifyProofBytes({ shape: block.shape, bundle }, bytes, {
      allowInsecureSrs: true,
      checkStatement: (s) =>
        checkSegments(stmt, s.publicInputs.map(byName), s.challenges[0], s.challenges[1]),
    });
  return { verify, challenges: proved.challenges };
}

describe('stage 2 through the two-phase proof system', () => {
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
      expect(proved.challenges).toHaveLength(2);
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

  it('HyperKZG (development SRS): phase 1 commits as 34-bit scalars, and it verifies', () => {
    const bundle = hyperKzgBundle(devSrs({ maxVars: 14 })) as PcsBundle<Commitment, unknown>;
    expect(proveAndVerify(bundle, run, K).verify(run.statement)).toMatchObject({ valid: true });
  });
});
