/**
 * The zkVM verifier under hostile input: every mutation of a real proof
 * (flipped bytes, overwritten runs, truncation, extension, spliced garbage) and
 * every random byte string is answered with valid:false and a reason — never an
 * exception, never valid. `npm run fuzz` runs it with many more cases.
 */
import fc from 'fast-check';
import { assemble } from '../../src/vm/asm/assembler';
import { devSrs, verifierKey, type SrsVerifierKey } from '../../src/zk/srs';
import { proveProgram, verifyProgramProof } from '../../src/zk/vm-circuit';
import { fuzzOptions } from '../helpers/fuzz';

const GUEST = '.text\n_start:\n  li a0, 1\n  li a1, 2\n  add a0, a0, a1\n  li a7, 93\n  ecall\n';

describe('verifyProgramProof under hostile input', () => {
  let proof: Uint8Array;
  let vk: SrsVerifierKey;

  beforeAll(async () => {
    const srs = devSrs({ maxVars: 12 });
    vk = verifierKey(srs);
    proof = (
      await proveProgram(assemble(GUEST), new Uint8Array(), new Uint8Array(), {
        segmentSizeLog2: 2,
        srs,
      })
    ).proof;
    expect(verifyProgramProof(proof, vk, { allowInsecureSrs: true }).valid).toBe(true);
  }, 120_000);

  const verdict = (bytes: Uint8Array) => verifyProgramProof(bytes, vk, { allowInsecureSrs: true });

  it('rejects every mutated proof with a reason, without throwing', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
      fc.record({
        kind: fc.constant('overwrite' as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
      }),
      fc.record({
        kind: fc.constant('truncate' as const),
        keep: fc.double({ min: 0, max: 0.999, noNaN: true }),
      }),
      fc.record({
        kind: fc.constant('extend' as const),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      }),
    );
    fc.assert(
      fc.property(mutation, (m) => {
        let bytes = Uint8Array.from(proof);
        if (m.kind === 'flip') bytes[m.at % bytes.length] ^= 1 << m.bit;
        else if (m.kind === 'overwrite')
          bytes.set(m.bytes.subarray(0, bytes.length - (m.at % bytes.length)), m.at % bytes.length);
        else if (m.kind === 'truncate')
          bytes = bytes.subarray(0, Math.floor(bytes.length * m.keep));
        else bytes = Uint8Array.from([...bytes, ...m.bytes]);
        if (bytes.length === proof.length && bytes.every((b, i) => b === proof[i])) return; // no change
        const r = verdict(bytes);
        expect(r.valid).toBe(false);
        if (!r.valid) expect(r.reason.length).toBeGreaterThan(0);
      }),
      fuzzOptions(60),
    );
  });

  it('rejects random byte strings, with or without the right magic', () => {
    const head = proof.subarray(0, 16);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), (tail, withMagic) => {
        const bytes = withMagic ? Uint8Array.from([...head, ...tail]) : tail;
        const r = verdict(bytes);
        expect(r.valid).toBe(false);
      }),
      fuzzOptions(100),
    );
  });
});
