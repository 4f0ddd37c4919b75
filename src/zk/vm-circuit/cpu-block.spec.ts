import { readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { loadElf } from '../../vm/elf-loader';
import { Machine, MachineOptions } from '../../vm/machine';
import { TraceChecker } from '../../vm/trace-check';
import { assemble } from '../../vm/asm/assembler';
import { SegmentPublic, cpuBlock } from './cpu-block';
import { DIRECTED } from './programs';
import { SMALL, failure, firstSegment, rowOf, traceAsm } from './spec-helpers';
import { padSegmentWitness, segmentWitness } from './witness';

const u32 = (...xs: number[]): Uint8Array => new Uint8Array(Uint32Array.from(xs).buffer);

describe('CPU block shape', () => {
  // Pinned so docs/vm-circuit.md §2 ("Implemented") stays in step with the code.
  it('has 379 columns (m = 512) and 490 + 4 constraints (q = 512), most of them bits', () => {
    const b = cpuBlock();
    expect(b.layout.columns).toBe(379);
    expect(b.shape.m).toBe(512);
    expect(b.uniformConstraints).toBe(490);
    expect(b.boundaryConstraints).toBe(4);
    expect(b.shape.q).toBe(512);
    expect(b.shape.nPublic).toBe(4);
    expect(b.smallColumns).toEqual({ bits: 339, bytes: 5, words: 35 });
    expect(b.shape.transitionRows).toHaveLength(2);
    expect(b.labels).toHaveLength(494);
  });

  it('exposes the six access slots of docs/vm-circuit.md §3 over named columns', () => {
    const b = cpuBlock();
    expect(b.slots.map((s) => s.name)).toEqual([
      'fetch',
      'rs1',
      'rs2',
      'memRead',
      'memWrite',
      'rd',
    ]);
  });
});

const GUESTS: Record<string, MachineOptions> = {
  'exit-code': {},
  fibonacci: { publicInput: u32(30) },
  sieve: { publicInput: u32(200) },
  sha256: { publicInput: new TextEncoder().encode('abc') },
  sort: { privateInput: u32(5, 3, 0xffffffff, 9, 1, 0) },
};

describe('honest rows satisfy the block', () => {
  it.each(Object.keys(GUESTS))('guest %s: every row of its first 2^10-row segment', (name) => {
    const elf = readFileSync(join(__dirname, '../../../guest/examples', `${name}.elf`));
    const image = loadElf(elf);
    const { seg, pad } = firstSegment(image, 10, GUESTS[name]);
    // The trace itself is right (independent checker) before the block judges it.
    const checker = new TraceChecker(image, GUESTS[name].publicInput, GUESTS[name].privateInput);
    expect(checker.check(seg)).toEqual([]);
    const wit = segmentWitness(seg, pad);
    expect(failure(wit)).toBeNull();
    expect(wit.publicInputs.pcIn).toBe(image.entry);
    expect(wit.publicInputs.haltedOut).toBe(pad > 0);
  });

  it.each(Object.keys(DIRECTED))('directed program: %s', (name) => {
    const options = { ...SMALL, publicInput: u32(0x11223344), privateInput: u32(7, 8, 9) };
    const { seg, pad } = traceAsm(DIRECTED[name], 6, options);
    const checker = new TraceChecker(
      assemble(DIRECTED[name]),
      options.publicInput,
      options.privateInput,
      SMALL.limits!.memoryTop,
    );
    expect(checker.check(seg)).toEqual([]);
    expect(pad).toBeGreaterThan(0);
    expect(seg.instr[seg.length - 1]).toBe(0x73);
    const wit = segmentWitness(seg, pad);
    expect(failure(wit)).toBeNull();
    expect(wit.publicInputs).toEqual({
      pcIn: seg.pc[0],
      pcOut: seg.pc[seg.length - 1],
      haltedIn: false,
      haltedOut: true,
    });
  });

  it('consecutive segments of a guest chain their pc and halted flags', () => {
    const image = loadElf(readFileSync(join(__dirname, '../../../guest/examples/exit-code.elf')));
    const gen = new Machine(image).traceSegments(6);
    const pub: SegmentPublic[] = [];
    for (let step = gen.next(); !step.done; step = gen.next()) {
      const seg = step.value;
      const wit = segmentWitness(seg, 64 - seg.length);
      expect(failure(wit)).toBeNull();
      pub.push(wit.publicInputs);
    }
    expect(pub.length).toBeGreaterThan(2);
    expect(pub[0]).toMatchObject({ pcIn: image.entry, haltedIn: false });
    for (let i = 0; i + 1 < pub.length; i++) {
      expect(pub[i].pcOut).toBe(pub[i + 1].pcIn);
      expect(pub[i].haltedOut).toBe(pub[i + 1].haltedIn);
    }
    expect(pub[pub.length - 1].haltedOut).toBe(true);
  });

  it('a segment that ends on a full row without exiting, and an all-padding segment', () => {
    const { seg, pad } = traceAsm('1: addi a0, a0, 1\n j 1b', 4);
    expect(pad).toBe(0);
    const wit = segmentWitness(seg, 0);
    expect(failure(wit)).toBeNull();
    expect(wit.publicInputs.haltedOut).toBe(false);
    expect(failure(padSegmentWitness(3, 0x10040))).toBeNull();
  });

  it('binds pcIn, pcOut and the halted flags through the boundary rows', () => {
    const { seg, pad } = traceAsm(DIRECTED.jumps, 5);
    const wit = segmentWitness(seg, pad);
    for (let p = 0; p < 4; p++) {
      const x = [...wit.x];
      x[p] += 4n;
      expect(failure({ ...wit, x })).toMatchObject({ step: p % 2 === 0 ? 0 : 31 });
    }
  });
});

// R-type operations against the VM: the VM's result satisfies the row, any other does not.
describe('register ALU property (VM result vs any other)', () => {
  const OPS = [
    'add',
    'sub',
    'sll',
    'slt',
    'sltu',
    'xor',
    'srl',
    'sra',
    'or',
    'and',
    'mul',
    'mulh',
    'mulhsu',
    'mulhu',
    'div',
    'divu',
    'rem',
    'remu',
  ];
  const edge = fc.constantFrom(0, 1, 2, 31, 32, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff);
  const word = fc.oneof(edge, fc.integer({ min: 0, max: 0xffffffff }));

  it.each(OPS)('%s', (op) => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 1, max: 0xffffffff }), (x, y, delta) => {
        const src = `li a0, ${x | 0}\n li a1, ${y | 0}\n ${op} a2, a0, a1\n li a7, 93\n ecall`;
        const { seg, pad } = firstSegment(assemble(src), 3);
        const r = rowOf(seg, `${op} `);
        if (failure(segmentWitness(seg, pad)) !== null) return false;
        seg.rdVal[r] = (seg.rdVal[r] + delta) >>> 0;
        return failure(segmentWitness(seg, pad))?.step === r;
      }),
      { seed: 42, numRuns: 25 },
    );
  });
});
