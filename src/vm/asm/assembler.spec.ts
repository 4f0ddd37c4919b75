import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsmError, assemble } from './assembler';
import { Machine } from '../machine';
import { PROGRAM_BASE } from '../memory-map';
import { ProgramImage } from '../program-image';

const words = (img: ProgramImage, seg = 0): number[] =>
  Array.from(
    new Uint32Array(img.segments[seg].data.slice().buffer, 0, img.segments[seg].data.length >> 2),
  );

function asmError(src: string): AsmError {
  try {
    assemble(src);
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error('assembled without error');
}

describe('assembler', () => {
  it('encodes the corpus exactly as GNU as and ld do', () => {
    const dir = join(__dirname, 'testdata');
    const ref = JSON.parse(readFileSync(join(dir, 'gnu-corpus.reference.json'), 'utf8')) as {
      words: string[];
    };
    const ours = words(assemble(readFileSync(join(dir, 'gnu-corpus.s'), 'utf8'))).map((w) =>
      w.toString(16).padStart(8, '0'),
    );
    const lines = readFileSync(join(dir, 'gnu-corpus.s'), 'utf8').split('\n');
    const diffs = ours.flatMap((w, i) =>
      w === ref.words[i] ? [] : [`word ${i}: ours ${w}, GNU ${ref.words[i]}`],
    );
    expect({ diffs, length: ours.length }).toEqual({ diffs: [], length: ref.words.length });
    expect(lines.length).toBeGreaterThan(200);
  });

  it('lays out text and rodata read+execute at PROGRAM_BASE, data and bss read+write on the next page', () => {
    const img = assemble(`
      .text
      nop
      .rodata
    msg: .asciz "hi"
      .data
    d: .byte 1, 2
       .half 0x304
       .word msg, d
      .bss
    b: .space 8
      .text
    _start:
      la a0, msg
      la a1, b`);
    expect(img.entry).toBe(PROGRAM_BASE + 4);
    expect(
      img.segments.map((s) => [
        s.vaddr,
        s.memSize,
        s.data.length,
        s.readable,
        s.writable,
        s.executable,
      ]),
    ).toEqual([
      [PROGRAM_BASE, 32 + 3, 32 + 3, true, false, true],
      [PROGRAM_BASE + 0x1000, 16 + 8, 12, true, true, false],
    ]);
    expect(Array.from(img.segments[0].data.subarray(32))).toEqual([0x68, 0x69, 0]);
    expect(Array.from(img.segments[1].data)).toEqual([1, 2, 4, 3, 0x20, 0, 1, 0, 0, 0x10, 1, 0]);
    const m = new Machine(img, {
      cycleLimit: 4,
      limits: { memoryTop: 0x100000, stackSize: 0x10000 },
    });
    m.run();
    expect([m.regs[10], m.regs[11]]).toEqual([PROGRAM_BASE + 32, PROGRAM_BASE + 0x1000 + 16]);
  });

  it('supports numeric local labels, .equ constants, %hi/%lo, character literals and comments', () => {
    const img = assemble(`
      .equ COUNT, 3 # a comment
      li t0, COUNT   // another
    1: addi t0, t0, -1
      bnez t0, 1b
      j 1f
      nop
    1: lui a0, %hi(0x12345fff)
      addi a0, a0, %lo(0x12345fff)
      li a1, 'A'
      li a7, 93
      ecall`);
    const m = new Machine(img, { limits: { memoryTop: 0x100000, stackSize: 0x10000 } });
    const r = m.run();
    expect(r.status).toBe('exited');
    expect(m.regs[10]).toBe(0x12345fff);
    expect(m.regs[11]).toBe(65);
    expect(m.regs[5]).toBe(0);
  });

  it('.align pads to a power of two and .balign to a byte count; strings take escapes', () => {
    const img = assemble(
      `nop\n .data\n .byte 1\n .align 2\n .byte 2\n .balign 8\n .ascii "a\\n\\x41\\""`,
    );
    expect(Array.from(img.segments[1].data)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 97, 10, 65, 34]);
  });

  it.each([
    ['frob a0, a1', 1, /unknown instruction "frob"/],
    ['nop\nadd a0, a1, q7', 2, /"q7" is not a register/],
    ['addi a0, a0, 2048', 1, /immediate 2048 does not fit in 12 bits/],
    ['lw a0, 4096(sp)', 1, /offset 4096 does not fit in 12 bits/],
    ['slli a0, a0, 32', 1, /shift amount 32 is not in 0\.\.31/],
    ['j nowhere', 1, /undefined symbol "nowhere"/],
    ['x: nop\nx: nop', 2, /label "x" is defined twice/],
    ['add a0, a1', 1, /add takes 3 operands, got 2/],
    ['lw a0, a1', 1, /expected offset\(register\)/],
    ['beq a0, a1, far\n.space 8192\nfar: nop', 1, /branch offset 8196 does not fit in 13 bits/],
    ['.data\nnop', 2, /instructions must be in \.text/],
    ['.byte 1\nnop', 2, /not 4-byte aligned/],
    ['.word 0x100000000', 1, /does not fit in 32 bits/],
    ['.frob', 1, /unknown directive/],
    ['1: j 2b', 1, /no earlier local label "2:"/],
    ['', 1, /no instructions/],
    ['li a0, later\nlater: nop', 1, /must be a constant defined earlier/],
    ['nop\n.data\n.space 0x2000000', 1, /needs 33554436 bytes, more than the 16777216/],
    ['nop\n.bss\n.space 1\n.align 40', 4, /\.align 40 is not a power-of-two alignment/],
    ['.balign 3', 1, /\.balign 3 is not a power-of-two alignment/],
  ])('reports %j at line %d', (src, line, message) => {
    const e = asmError(src);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`line ${line}: `)).toBe(true);
  });
});
