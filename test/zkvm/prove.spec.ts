/**
 * proveProgram / verifyProgramProof end to end (docs/proof-format.md): the example guests prove
 * and verify — also from the encoded verifier key alone — with the statement the VM reports;
 * the private input is nowhere in the proof; the threaded executor gives the same bytes; runs
 * that do not exit are errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadElf } from '../../src/vm/elf-loader';
import { assemble } from '../../src/vm/asm/assembler';
import { runProgram } from '../../src/vm/machine';
import { programDigestV1 } from '../../src/vm/program-digest';
import { decodeVerifierKey, encodeVerifierKey, verifierKey } from '../../src/zk/srs';
import {
  ProveError,
  proveProgram,
  readStatement,
  suggestSegmentSizeLog2,
  verifyProgramProof,
} from '../../src/zk/vm-circuit';
import { PoolProofExecutor } from '../../src/jobs/proof-executor';
import { K, testSrs } from './harness';
import {
  MAX_MEMORY_ARGUMENT_VARS,
  memoryArgumentVars,
} from '../../src/zk/vm-circuit/memory-argument';

const guest = (name: string) =>
  loadElf(readFileSync(join(__dirname, '../../guest/examples', `${name}.elf`)));
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

/** Reads 20 private bytes, writes their sum (u32) and exits 0: the bytes stay private. */
const PRIVATE_SUM = `
  li a7, 63
  li a0, 3
  addi a1, sp, -32
  li a2, 20
  ecall
  li t0, 0
  li t1, 0
  addi t2, sp, -32
loop:
  add t3, t2, t1
  lbu t4, 0(t3)
  add t0, t0, t4
  addi t1, t1, 1
  li t5, 20
  blt t1, t5, loop
  sw t0, -64(sp)
  li a7, 64
  li a0, 1
  addi a1, sp, -64
  li a2, 4
  ecall
  li a7, 93
  li a0, 0
  ecall`;
const SECRET = new TextEncoder().encode('s3cr3t-w1tn3ss-XYZ!!');

const srs = testSrs();
/** Proofs made in the cases, by name (the threaded test compares with fibonacci's). */
const proofs = new Map<string, Uint8Array>();
const vkBytes = encodeVerifierKey(verifierKey(srs));

const CASES: [string, () => ReturnType<typeof guest>, Uint8Array, Uint8Array][] = [
  ['fibonacci (n = 5)', () => guest('fibonacci'), u32(5), new Uint8Array(0)],
  ['sieve (limit 20)', () => guest('sieve'), u32(20), new Uint8Array(0)],
  [
    'sort (3 private words)',
    () => guest('sort'),
    new Uint8Array(0),
    Uint8Array.from([...u32(3), ...u32(1), ...u32(2)]),
  ],
  ['exit-code (exits 42)', () => guest('exit-code'), new Uint8Array(0), new Uint8Array(0)],
  ['private sum (asm)', () => assemble(PRIVATE_SUM), new Uint8Array(0), SECRET],
];

describe('proveProgram → verifyProgramProof', () => {
  it.each(CASES)(
    '%s proves and verifies with the statement the VM reports',
    async (name, img, pub, priv) => {
      const image = img();
      const vm = runProgram(image, { publicInput: pub, privateInput: priv });
      const stages = new Set<string>();
      const { proof, statement, timings } = await proveProgram(image, pub, priv, {
        segmentSizeLog2: K,
        srs,
        onProgress: (s) => stages.add(s),
      });
      proofs.set(name, proof);
      expect([...stages]).toEqual(['executing', 'folding', 'compressing']);
      expect(timings.totalMs).toBeGreaterThan(0);
      expect(statement).toMatchObject({
        programDigest: programDigestV1(image),
        exitCode: vm.exitCode,
        cycles: vm.cycles,
        segmentSizeLog2: K,
        insecureSrs: true,
      });
      expect(Buffer.from(statement.publicOutput)).toEqual(Buffer.from(vm.publicOutput));
      expect(readStatement(proof)).toEqual(statement);
      // From the encoded verifier key alone (no SRS powers, no ELF, no trace).
      const vk = decodeVerifierKey(vkBytes);
      if (!vk.ok) throw new Error(vk.error);
      const v = verifyProgramProof(proof, vk.vk, { allowInsecureSrs: true });
      expect(v).toEqual({ valid: true, statement });
      expect(
        verifyProgramProof(proof, vk.vk, {
          allowInsecureSrs: true,
          expected: {
            programDigest: statement.programDigest,
            publicOutput: vm.publicOutput,
            exitCode: vm.exitCode ?? 0,
          },
        }),
      ).toMatchObject({ valid: true });
      expect(verifyProgramProof(proof, vk.vk)).toMatchObject({ valid: false, stage: 'statement' });
      // A distinctive private input of 16 bytes or more: not in the proof, nor any 8 bytes of it.
      if (priv.length >= 16) {
        const hay = Buffer.from(proof);
        expect(hay.indexOf(Buffer.from(priv))).toBe(-1);
        for (let i = 0; i + 8 <= priv.length; i++)
          expect(hay.indexOf(Buffer.from(priv.subarray(i, i + 8)))).toBe(-1);
      }
    },
  );

  it('worker threads give a byte-identical proof', async () => {
    const local = proofs.get(CASES[0][0]) as Uint8Array;
    const opts = { segmentSizeLog2: K, srs };
    const executor = new PoolProofExecutor({ kind: 'dev', maxVars: K + 10 }, { threads: 2 });
    try {
      const threaded = await proveProgram(CASES[0][1](), CASES[0][2], CASES[0][3], {
        ...opts,
        executor,
      });
      expect(Buffer.from(threaded.proof).equals(Buffer.from(local))).toBe(true);
    } finally {
      await executor.close();
    }
  });

  it('a guest that does not exit, faults or hits ebreak is an error with the reason', async () => {
    const opts = { segmentSizeLog2: K, srs };
    const none = new Uint8Array(0);
    await expect(
      proveProgram(assemble('loop: j loop'), none, none, { ...opts, cycleLimit: 100 }),
    ).rejects.toThrow(/did not exit within the cycle limit of 100 cycles/);
    await expect(proveProgram(assemble('lw a0, 0(zero)'), none, none, opts)).rejects.toThrow(
      /faulted after 0 cycles/,
    );
    await expect(proveProgram(assemble('ebreak'), none, none, opts)).rejects.toThrow(ProveError);
  });

  it('segment sizes outside the limits or the SRS are refused before any work', async () => {
    const none = new Uint8Array(0);
    const img = assemble('li a7, 93\n li a0, 0\n ecall');
    await expect(proveProgram(img, none, none, { segmentSizeLog2: 1, srs })).rejects.toThrow(
      /integer in \[2, 18\]/,
    );
    await expect(proveProgram(img, none, none, { segmentSizeLog2: K + 1, srs })).rejects.toThrow(
      /need an SRS of 2\^15 powers/,
    );
  });

  it('the memory argument bounds a run at 2^21 rows (N rounded up to a power of two)', () => {
    // The prover refuses longer runs after executing them (ProveError 'too-long'): at k = 8,
    // 8192 segments (2^21 rows) fit, 8193 do not.
    expect(MAX_MEMORY_ARGUMENT_VARS).toBe(24);
    expect(memoryArgumentVars(8192, 8)).toBe(24);
    expect(memoryArgumentVars(8193, 8)).toBe(25);
    expect(memoryArgumentVars(2 ** 19, 2)).toBe(24);
    expect(memoryArgumentVars(1, 4)).toBe(7);
  });

  it('the suggested segment size follows the run length (2^k ≈ cycles/300, in [4, 14])', () => {
    expect([100, 10_000, 100_000, 1_000_000, 1e9].map(suggestSegmentSizeLog2)).toEqual([
      4, 5, 8, 12, 14,
    ]);
  });

  it('cancellation stops the prover between steps', async () => {
    const ac = new AbortController();
    const p = proveProgram(guest('fibonacci'), u32(5), new Uint8Array(0), {
      segmentSizeLog2: K,
      srs,
      signal: ac.signal,
      onProgress: (stage) => {
        if (stage === 'folding') ac.abort(new Error('stop'));
      },
    });
    await expect(p).rejects.toThrow('stop');
  });
});
