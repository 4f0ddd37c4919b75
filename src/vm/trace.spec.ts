import { assemble } from './asm/assembler';
import { Machine, MachineOptions, RunResult } from './machine';
import { PROGRAM_BASE } from './memory-map';
import { MEM_READ, MEM_WRITE, TraceSegment } from './trace';

const SMALL: MachineOptions = { limits: { memoryTop: 0x100000, stackSize: 0x10000 } };
const DATA = 0x11000;

function trace(
  src: string,
  k: number,
  options: MachineOptions = {},
): { segs: TraceSegment[]; result: RunResult } {
  const m = new Machine(assemble(src), { ...SMALL, ...options });
  const gen = m.traceSegments(k);
  const segs: TraceSegment[] = [];
  let step = gen.next();
  while (!step.done) {
    segs.push(step.value);
    step = gen.next();
  }
  return { segs, result: step.value };
}

const row = (s: TraceSegment, i: number): Record<string, number> =>
  Object.fromEntries(TraceSegment.COLUMNS.map((c) => [c, s.column(c)[i]]));

describe('execution trace', () => {
  const PROGRAM = `
    li t0, ${DATA}
    li t1, -2
    sh t1, 2(t0)
    lb a1, 3(t0)
    add x0, t1, t1
    li a7, 93
    li a0, 7
    ecall
    .data
    .word 0x11223344`;

  it('records register reads and writes, memory words and next pc per row', () => {
    const { segs, result } = trace(PROGRAM, 2);
    expect(result.status).toBe('exited');
    expect(segs.map((s) => [s.index, s.startCycle, s.length])).toEqual([
      [0, 0, 4],
      [1, 4, 4],
    ]);
    const [s0, s1] = segs;
    // li t0, DATA is a single lui (the low 12 bits are zero)
    expect(row(s0, 0)).toMatchObject({
      pc: PROGRAM_BASE,
      rd: 5,
      rdVal: 0x11000,
      nextPc: PROGRAM_BASE + 4,
      memFlags: 0,
    });
    expect(row(s0, 1)).toMatchObject({ rs1: 0, rd: 6, rdVal: 0xfffffffe });
    // sh t1, 2(t0): the word at DATA goes from 0x11223344 to 0xfffe3344, bytes 2..3 touched
    expect(row(s0, 2)).toMatchObject({
      rs1: 5,
      rs1Val: DATA,
      rs2: 6,
      rs2Val: 0xfffffffe,
      rd: 0,
      memAddr: DATA + 2,
      memOld: 0x11223344,
      memNew: 0xfffe3344,
      memFlags: 0b1100 | MEM_WRITE,
    });
    // lb a1, 3(t0) reads the whole word and sign-extends byte 3
    expect(row(s0, 3)).toMatchObject({
      rd: 11,
      rdVal: 0xffffffff,
      memAddr: DATA + 3,
      memOld: 0xfffe3344,
      memNew: 0xfffe3344,
      memFlags: 0b1000 | MEM_READ,
    });
    // a write to x0 is recorded as no write
    expect(row(s1, 0)).toMatchObject({ rs1: 6, rs2: 6, rd: 0, rdVal: 0 });
    // the exit ecall reads a7 and a0 and ends with nextPc = pc
    const exit = segs[1];
    expect(row(exit, 3)).toMatchObject({
      instr: 0x73,
      rs1: 17,
      rs1Val: 93,
      rs2: 10,
      rs2Val: 7,
      rd: 0,
      nextPc: exit.pc[3],
    });
    expect(Array.from(exit.ecalls.number)).toEqual([93]);
    expect(Array.from(exit.ecalls.result)).toEqual([7]);
  });

  it('records every word an I/O ecall writes or reads in the io side table', () => {
    const { segs, result } = trace(
      `
      li a7, 63
      li a0, 3
      li a1, ${DATA + 3}
      li a2, 6
      ecall
      li a7, 64
      li a0, 1
      li a1, ${DATA + 3}
      li a2, 2
      ecall
      li a7, 93
      li a0, 0
      ecall
      .data
      .word 0xaaaaaaaa, 0xbbbbbbbb, 0xcccccccc`,
      8,
      { privateInput: Uint8Array.from([1, 2, 3, 4, 5, 6, 7]) },
    );
    expect(result.status).toBe('exited');
    expect(Buffer.from(result.publicOutput)).toEqual(Buffer.from([1, 2]));
    const s = segs[0];
    const readRow = s.ecalls.row[0];
    expect(row(s, readRow)).toMatchObject({
      rs1: 17,
      rs1Val: 63,
      rs2: 10,
      rs2Val: 3,
      rd: 10,
      rdVal: 6,
    });
    expect(Array.from(s.ecalls.a1)).toEqual([DATA + 3, DATA + 3, DATA + 3]);
    expect(Array.from(s.ecalls.result)).toEqual([6, 2, 0]);
    const io = s.io;
    expect(Array.from(io.row)).toEqual([
      readRow,
      readRow,
      readRow,
      s.ecalls.row[1],
      s.ecalls.row[1],
    ]);
    expect(Array.from(io.addr)).toEqual([DATA, DATA + 4, DATA + 8, DATA, DATA + 4]);
    expect(Array.from(io.old)).toEqual([
      0xaaaaaaaa, 0xbbbbbbbb, 0xcccccccc, 0x01aaaaaa, 0x05040302,
    ]);
    expect(Array.from(io.new)).toEqual([
      0x01aaaaaa, 0x05040302, 0xcccccc06, 0x01aaaaaa, 0x05040302,
    ]);
    expect(Array.from(io.flags)).toEqual([
      0b1000 | MEM_WRITE,
      0b1111 | MEM_WRITE,
      0b0001 | MEM_WRITE,
      0b1000 | MEM_READ,
      0b0001 | MEM_READ,
    ]);
  });

  it('stops at the cycle limit in the middle of a segment', () => {
    const { segs, result } = trace('1: j 1b', 3, { cycleLimit: 20 });
    expect(result.status).toBe('cycle-limit');
    expect(segs.map((s) => s.length)).toEqual([8, 8, 4]);
  });

  it('does not record the faulting instruction', () => {
    const { segs, result } = trace('nop\n lw a0, 0(zero)', 4);
    expect(result.fault!.code).toBe('out-of-bounds');
    expect(segs.map((s) => s.length)).toEqual([1]);
    expect(result.cycles).toBe(1);
  });

  it('a faulting ecall leaves no row and no side-table entry', () => {
    const { segs, result } = trace('li a7, 63\n li a0, 0\n li a1, 0x10000\n li a2, 4\n ecall', 4, {
      publicInput: Uint8Array.of(1, 2, 3, 4),
    });
    expect(result.fault!.code).toBe('write-protected');
    expect(segs.map((s) => [s.length, s.ecalls.row.length, s.io.row.length])).toEqual([[4, 0, 0]]);
  });

  it('rejects segment sizes outside 2^0..2^24', () => {
    const m = new Machine(assemble('nop'), SMALL);
    expect(() => m.traceSegments(25).next()).toThrow(RangeError);
  });
});
