/**
 * What verifyProgramProof rejects (docs/proof-format.md, "What a valid proof guarantees"):
 *
 *  - statements that differ from the proven run, by editing the envelope (the statement digest
 *    in every transcript no longer matches) and by MALICIOUS PROVERS that prove honestly for a
 *    lying statement (the memory products or the chaining checks fail);
 *  - a proof of program A presented as program B;
 *  - segments reordered, or boundary values edited consistently across a boundary;
 *  - altered traces (wrong ALU result, wrong load value, skipped instruction) committed honestly
 *    and folded with messages forged to pass every fold check: the compression rejects them;
 *  - every field of the envelope tampered with; random and mutated bytes (totality).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadElf } from '../../src/vm/elf-loader';
import { assemble } from '../../src/vm/asm/assembler';
import { resolveMemoryLimits } from '../../src/vm/memory-map';
import { verifierKey } from '../../src/zk/srs';
import { devVerifierKey } from '../../src/cli/srs-option';
import {
  ZkvmStatement,
  decodeEnvelope,
  encodeEnvelope,
  encodeEnvelopeWithLayout,
  proveProgram,
  verifyProgramProof,
} from '../../src/zk/vm-circuit';
import type { CircuitRows } from '../../src/zk/vm-circuit/vm-witness';
import { SMALL } from '../../src/zk/vm-circuit/spec-helpers';
import { rowWhere, runAsm } from '../../src/zk/vm-circuit/vm-spec-helpers';
import { K, harnessProve, testSrs } from './harness';
import { decodeProof, encodeProofWithLayout } from '../../src/zk/encoding/proof';
import { hyperKzgBundle } from '../../src/zk/pcs/hyperkzg-codec';
import { phase1InputSlots } from '../../src/zk/r1cs/uniform';
import { vmBlock } from '../../src/zk/vm-circuit/memory';

const srs = testSrs();
const vk = verifierKey(srs);
const OK = { allowInsecureSrs: true };
const verify = (b: Uint8Array) => verifyProgramProof(b, vk, OK);
const guest = (name: string) =>
  loadElf(readFileSync(join(__dirname, '../../guest/examples', `${name}.elf`)));
const u32 = (n: number): Uint8Array => Uint8Array.from([n & 255, (n >> 8) & 255, 0, 0]);

/** Re-encodes an envelope with edited statement fields (the inner proof unchanged). */
function withStatement(bytes: Uint8Array, edit: Partial<ZkvmStatement>): Uint8Array {
  const d = decodeEnvelope(bytes);
  if (!d.ok) throw new Error(d.reason);
  return encodeEnvelope({ ...d.envelope, statement: { ...d.envelope.statement, ...edit } });
}

describe('rejections of envelopes of real proofs', () => {
  let A: Uint8Array; // fibonacci(5)
  let B: Uint8Array; // exit-code
  beforeAll(async () => {
    const none = new Uint8Array(0);
    A = (await proveProgram(guest('fibonacci'), u32(5), none, { segmentSizeLog2: K, srs })).proof;
    B = (await proveProgram(guest('exit-code'), none, none, { segmentSizeLog2: K, srs })).proof;
  });

  it('both verify (control)', () => {
    expect(verify(A)).toMatchObject({ valid: true });
    expect(verify(B)).toMatchObject({ valid: true });
  });

  it.each<[string, (s: ZkvmStatement) => Partial<ZkvmStatement>]>([
    [
      'public output',
      (s) => ({ publicOutput: Uint8Array.from(s.publicOutput, (b, i) => (i ? b : b ^ 1)) }),
    ],
    ['public output length', (s) => ({ publicOutput: s.publicOutput.subarray(1) })],
    ['public input', () => ({ publicInput: u32(6) })],
    ['exit code', () => ({ exitCode: 1 })],
    ['cycle count', (s) => ({ cycles: s.cycles + 1 })],
    ['program digest', () => ({ programDigest: 'zkvm1:' + '00'.repeat(32) })],
    ['segment size', (s) => ({ segmentSizeLog2: s.segmentSizeLog2 + 1 })],
    ['segment count', (s) => ({ segments: s.segments + 1 })],
    ['protocol version', (s) => ({ protocolVersion: s.protocolVersion + 1 })],
    ['SRS id', () => ({ srsId: 'ab'.repeat(32) })],
    ['insecure flag', () => ({ insecureSrs: false })],
  ])('another %s in the statement', (_, edit) => {
    const d = decodeEnvelope(A);
    if (!d.ok) throw new Error(d.reason);
    const v = verify(withStatement(A, edit(d.envelope.statement)));
    expect(v.valid).toBe(false);
  });

  it('a proof of program A presented as program B (B digest and image, A inner proof)', () => {
    const a = decodeEnvelope(A);
    const b = decodeEnvelope(B);
    if (!a.ok || !b.ok) throw new Error('decode');
    const forged = encodeEnvelope({
      ...a.envelope,
      statement: { ...a.envelope.statement, programDigest: b.envelope.statement.programDigest },
      program: b.envelope.program,
    });
    expect(verify(forged)).toMatchObject({ valid: false });
    // The digest alone changed: the carried image no longer hashes to it.
    expect(
      verify(withStatement(A, { programDigest: b.envelope.statement.programDigest })),
    ).toMatchObject({ valid: false, stage: 'program' });
    // A's inner proof inside B's envelope.
    expect(verify(encodeEnvelope({ ...b.envelope, inner: a.envelope.inner }))).toMatchObject({
      valid: false,
    });
  });

  it('what the caller expects: digest, output, exit code', () => {
    const d = decodeEnvelope(A);
    if (!d.ok) throw new Error(d.reason);
    const s = d.envelope.statement;
    const exp = (expected: object) => verifyProgramProof(A, vk, { ...OK, expected });
    expect(
      exp({ programDigest: s.programDigest, exitCode: 0, publicOutput: s.publicOutput }),
    ).toMatchObject({ valid: true });
    expect(exp({ exitCode: 1 })).toMatchObject({ valid: false, stage: 'expected' });
    expect(exp({ publicOutput: new Uint8Array(8) })).toMatchObject({
      valid: false,
      stage: 'expected',
    });
    expect(exp({ programDigest: 'zkvm1:' + 'ff'.repeat(32) })).toMatchObject({
      valid: false,
      stage: 'expected',
    });
    expect(verifyProgramProof(A, vk, { ...OK, maxCycles: s.cycles - 1 })).toMatchObject({
      valid: false,
    });
  });

  it('another SRS (same size, other seed) is refused', () => {
    const other = devVerifierKey(K + 10, 'another seed');
    expect(verifyProgramProof(A, other, OK)).toMatchObject({ valid: false, stage: 'statement' });
  });

  it('every field of the envelope, tampered with, is rejected', () => {
    const d = decodeEnvelope(A);
    if (!d.ok) throw new Error(d.reason);
    const { bytes, fields } = encodeEnvelopeWithLayout(d.envelope);
    expect(Buffer.from(bytes).equals(Buffer.from(A))).toBe(true);
    const failures: string[] = [];
    let tried = 0;
    for (const f of fields) {
      if (f.length === 0) continue;
      // Inner proof: a spread of positions (its own fields are covered by test/zk/tamper.spec.ts).
      const positions =
        f.name === 'inner'
          ? Array.from({ length: 16 }, (_, j) => f.offset + Math.floor((j * f.length) / 16))
          : [f.offset, f.offset + f.length - 1];
      for (const p of new Set(positions)) {
        const t = Uint8Array.from(bytes);
        t[p] ^= 0x01;
        tried++;
        if (verify(t).valid) failures.push(`${f.name}@${p}`);
      }
    }
    expect(tried).toBeGreaterThan(40);
    expect(failures).toEqual([]);
    // Trailing bytes and truncation.
    expect(verify(Uint8Array.from([...A, 0]))).toMatchObject({ valid: false, stage: 'decode' });
    expect(verify(A.subarray(0, A.length - 1))).toMatchObject({ valid: false, stage: 'decode' });
  });

  it('is total: random bytes and mutated proofs get a verdict, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        expect(verify(b).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
    // The magic and version kept, the rest random.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        expect(verify(Uint8Array.from([...A.subarray(0, 10), ...b])).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(A.length - 1), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat(A.length),
        (edits, cut) => {
          const t = Uint8Array.from(A);
          for (const [p, x] of edits) t[p] ^= x;
          const v = verify(t);
          expect(v.valid).toBe(false);
          expect(typeof (v as { reason: string }).reason).toBe('string');
          expect(verify(t.subarray(0, cut)).valid).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });
});

/** A small guest with I/O, an ALU op and a load over several segments of 2^3 rows. */
const PROGRAM = `
  li a7, 63          # read(0, sp − 8, 4): the public input word
  li a0, 0
  addi a1, sp, -8
  li a2, 4
  ecall
  lw t0, -8(sp)
  addi t1, t0, 5
  add t2, t1, t0
  sw t2, -12(sp)
  li a7, 64          # write(1, sp − 12, 4)
  li a0, 1
  addi a1, sp, -12
  li a2, 4
  ecall
  li a7, 93
  li a0, 7
  ecall`;
const OTHER = PROGRAM.replace('li a0, 7', 'li a0, 8');

function lie(rows: CircuitRows, r: number, edit: Partial<Record<keyof CircuitRows, number>>) {
  const out = { ...rows } as Record<string, unknown>;
  for (const [name, v] of Object.entries(edit)) {
    const col = Uint32Array.from(rows[name as keyof CircuitRows] as Uint32Array);
    col[r] = v as number;
    out[name] = col;
  }
  return out as unknown as CircuitRows;
}

describe('malicious provers (honest algorithms, false witness or statement)', () => {
  const HK = 3;
  const options = { ...SMALL, publicInput: Uint8Array.from([1, 2, 3, 4]) };
  const limits = resolveMemoryLimits(SMALL.limits);
  const base = runAsm(PROGRAM, HK, options);
  const prove = (opts: Parameters<typeof harnessProve>[3] = {}, run = base.run) =>
    harnessProve(srs, run, limits, opts);

  it('the harness run honestly is accepted (control), over several segments', () => {
    expect(base.run.segments).toBeGreaterThanOrEqual(3);
    expect(verify(prove())).toMatchObject({ valid: true });
  });

  it.each<[string, Partial<ZkvmStatement>, RegExp]>([
    [
      'another public output',
      { publicOutput: Uint8Array.from([9, 9, 9, 9]) },
      /memory products differ/,
    ],
    [
      'another public input',
      { publicInput: Uint8Array.from([1, 2, 3, 5]) },
      /memory products differ/,
    ],
    ['another exit code', { exitCode: 8 }, /memory products differ/],
    ['another cycle count', { cycles: 18 }, /cycle count differs/],
  ])('a statement with %s, proven for it, is rejected', (_, statement, reason) => {
    const v = verify(prove({ statement }));
    expect(v).toMatchObject({ valid: false, stage: 'statement' });
    expect((v as { reason: string }).reason).toMatch(reason);
  });

  it("program A's run proven as program B (B's image and digest in the statement)", () => {
    const other = assemble(OTHER);
    const v = verify(
      prove({
        program: { image: other, memoryTop: limits.memoryTop, stackSize: limits.stackSize },
      }),
    );
    expect(v).toMatchObject({ valid: false, stage: 'statement' });
    expect((v as { reason: string }).reason).toMatch(/memory products differ/);
  });

  it('segments in another order (their boundary values do not chain)', () => {
    const order = Array.from({ length: base.run.segments }, (_, i) => i);
    [order[1], order[2]] = [order[2], order[1]];
    const v = verify(prove({ order }));
    expect(v).toMatchObject({ valid: false, stage: 'statement' });
    expect((v as { reason: string }).reason).toMatch(/rowIn|does not continue/);
  });

  it('boundary values edited consistently across a boundary (they chain, the rows disagree)', () => {
    const v = verify(
      prove({
        editPublics: (i, x) => {
          if (i === 0) x.pcOut += 4n;
          if (i === 1) x.pcIn += 4n;
        },
      }),
    );
    expect(v).toMatchObject({ valid: false });
    expect(['fold', 'compress']).toContain((v as { stage: string }).stage);
  });

  it('boundary values are carried once: a leaf cannot state a pcIn other than the pcOut before it', () => {
    const honest = prove();
    const edited = prove({
      editPublics: (i, x) => {
        if (i === 1) x.pcIn += 4n;
      },
    });
    // Same length: the edited value is not in the proof (the verifier fills in segment 0's
    // pcOut), so what the prover hashed and committed to disagrees with what is verified: here
    // the memory argument's challenges differ, and its grand products fail first.
    expect(edited.length).toBe(honest.length);
    const v = verify(edited);
    expect(v).toMatchObject({ valid: false, stage: 'statement' });
    expect((v as { reason: string }).reason).toMatch(/memory argument/);
    // The layout: every phase-1 input in segment 0, the linked ones only there.
    const dec = decodeEnvelope(honest);
    if (!dec.ok) throw new Error(dec.reason);
    const { shape } = vmBlock();
    const inner = decodeProof(shape, hyperKzgBundle(srs), dec.envelope.inner);
    if (!inner.ok) throw new Error(inner.rejection.reason);
    const fields = encodeProofWithLayout(hyperKzgBundle(srs), inner.proof).fields;
    const count = (leaf: number) =>
      fields.filter((f) => f.name.startsWith(`leaf[${leaf}].x[`)).length;
    expect(count(0)).toBe(phase1InputSlots(shape).length);
    expect(count(0) - count(1)).toBe(shape.linkedInputs!.length);
    expect(shape.linkedInputs!.length).toBeGreaterThanOrEqual(19);
    expect(count(2)).toBe(count(1));
    expect(Buffer.from(encodeProofWithLayout(hyperKzgBundle(srs), inner.proof).bytes)).toEqual(
      Buffer.from(dec.envelope.inner),
    );
  });

  it('an ALU result that is wrong (add with sum + 1)', () => {
    const r = rowWhere(base.rows, /^add t2, t1, t0/);
    const run = base.relayout(lie(base.rows, r, { rdVal: (base.rows.rdVal[r] + 1) >>> 0 }));
    expect(verify(prove({}, run))).toMatchObject({ valid: false, stage: 'compress' });
  });

  it('a load that returns a value never stored', () => {
    const r = rowWhere(base.rows, /^lw t0, -8\(sp\)/);
    const run = base.relayout(lie(base.rows, r, { memOld: 0x9999, memNew: 0x9999, rdVal: 0x9999 }));
    expect(verify(prove({}, run))).toMatchObject({ valid: false, stage: 'compress' });
  });

  it('false evaluation claims that pass the memory argument are caught by the compression', () => {
    // Segments 0 and 1 claim other values at p, shifted so that the memory argument's checks
    // (which see only their eq-combination) pass; the fold tree carries the false claims to the
    // root, where the compression's δ·eq(p, ·) term checks them against the witness.
    expect(verify(prove({ shiftClaims: 0n }))).toMatchObject({ valid: true }); // control
    const v = verify(prove({ shiftClaims: 12345n }));
    expect(v).toMatchObject({ valid: false, stage: 'compress' });
  });

  it('a skipped instruction', () => {
    const skip = rowWhere(base.rows, /^addi t1, t0, 5/);
    const keep = Array.from({ length: base.rows.length }, (_, i) => i).filter((i) => i !== skip);
    const rows = { ...base.rows, length: keep.length } as Record<string, unknown>;
    for (const [name, col] of Object.entries(base.rows))
      if (col instanceof Uint32Array) rows[name] = Uint32Array.from(keep, (i) => col[i]);
    const run = base.relayout(rows as unknown as CircuitRows);
    expect(verify(prove({}, run))).toMatchObject({ valid: false, stage: 'compress' });
  });
});
