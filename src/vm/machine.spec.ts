import { assemble } from './asm/assembler';
import { Machine, MachineOptions, RunResult } from './machine';
import { PROGRAM_BASE } from './memory-map';
import { ProgramImage } from './program-image';

const SMALL: MachineOptions = { limits: { memoryTop: 0x100000, stackSize: 0x10000 } };
const EXIT = '\n  .text\n  li a7, 93\n  ecall\n';

function exec(body: string, options: MachineOptions = {}): { m: Machine; r: RunResult } {
  const m = new Machine(assemble('_start:\n' + body + EXIT), { ...SMALL, ...options });
  return { m, r: m.run() };
}

/** Runs body and returns a0 as an unsigned 32-bit value. */
function a0(body: string): number {
  const { m, r } = exec(body);
  expect(r.fault).toBeNull();
  return m.regs[10] >>> 0;
}

const binop = (op: string, x: number, y: number): number =>
  a0(`li a1, ${x | 0}\n li a2, ${y | 0}\n ${op} a0, a1, a2\n li a7, 93`);

const imm = (op: string, x: number, i: number): number =>
  a0(`li a1, ${x | 0}\n ${op} a0, a1, ${i}`);

describe('RV32I register-register and immediate arithmetic', () => {
  it.each([
    ['add', 0x7fffffff, 1, 0x80000000],
    ['add', -1, 1, 0],
    ['sub', 0, 1, 0xffffffff],
    ['sub', 0x80000000, 1, 0x7fffffff],
    ['xor', 0xf0f0f0f0, 0xff00ff00, 0x0ff00ff0],
    ['or', 0xf0f0f0f0, 0x0f, 0xf0f0f0ff],
    ['and', 0xf0f0f0f0, 0xff, 0xf0],
    ['slt', -1, 0, 1],
    ['slt', 0, -1, 0],
    ['sltu', -1, 0, 0],
    ['sltu', 0, -1, 1],
    ['slt', 0x80000000, 0x7fffffff, 1],
  ])('%s(%s, %s) = %s', (op, x, y, want) => {
    expect(binop(op, x, y)).toBe(want);
  });

  it.each([
    ['sll', 1, 31, 0x80000000],
    ['sll', 1, 32, 1],
    ['sll', 1, 33, 2],
    ['sll', 3, -1, 0x80000000],
    ['srl', 0x80000000, 31, 1],
    ['srl', 0x80000000, 32, 0x80000000],
    ['srl', 0x80000000, 63, 1],
    ['sra', 0x80000000, 31, 0xffffffff],
    ['sra', 0x80000000, 32, 0x80000000],
    ['sra', 0x80000000, 0xfffffffc, 0xfffffff8], // shift by 28: only the low 5 bits count
  ])('shift %s(%s, %s) = %s uses only the low 5 bits of the amount', (op, x, y, want) => {
    expect(binop(op, x, y)).toBe(want);
  });

  it.each([
    ['addi', 5, -6, 0xffffffff],
    ['addi', 0x7fffffff, 1, 0x80000000],
    ['slti', -5, -4, 1],
    ['sltiu', 5, -1, 1], // the immediate is sign-extended, then compared unsigned
    ['sltiu', 0, 1, 1],
    ['xori', 0x0f, -1, 0xfffffff0],
    ['ori', 0x100, -2048, 0xfffff900],
    ['andi', 0xffffffff, 2047, 0x7ff],
    ['slli', 0x1, 31, 0x80000000],
    ['srli', 0xffffffff, 28, 0xf],
    ['srai', 0x80000000, 4, 0xf8000000],
    ['srai', 0x40000000, 30, 1],
  ])('%s(%s, %d) = %s', (op, x, i, want) => {
    expect(imm(op, x, i)).toBe(want);
  });

  it('lui sets the upper 20 bits and auipc adds them to its own pc', () => {
    expect(a0('lui a0, 0xfffff')).toBe(0xfffff000);
    expect(a0('nop\n auipc a0, 0x1')).toBe(PROGRAM_BASE + 4 + 0x1000);
    expect(a0('auipc a0, 0xfffff')).toBe((PROGRAM_BASE - 0x1000) >>> 0);
  });

  it('ignores every kind of write to x0', () => {
    const { m, r } = exec(`
      addi x0, x0, 5
      lui x0, 0x12345
      add x0, sp, sp
      la t0, d
      lw x0, 0(t0)
      jal x0, 1f
    1: mv a0, x0
      .data
    d: .word 0x12345678`);
    expect(r.status).toBe('exited');
    expect(m.regs[0]).toBe(0);
    expect(m.regs[10]).toBe(0);
  });
});

describe('M extension', () => {
  const MIN = 0x80000000;
  it.each([
    ['mul', 0x10000, 0x10000, 0],
    ['mul', -3, 7, 0xffffffeb],
    ['mul', MIN, -1, MIN],
    ['mulh', -1, -1, 0],
    ['mulh', -2, 3, 0xffffffff],
    ['mulh', MIN, MIN, 0x40000000],
    ['mulh', 0x7fffffff, MIN, 0xc0000000],
    ['mulh', 0x12345678, -0x789abcdf, 0xf76c768d],
    ['mulhu', -1, -1, 0xfffffffe],
    ['mulhu', MIN, 2, 1],
    ['mulhu', 0x12345678, 0x9abcdef0, 0x0b00ea4e],
    ['mulhsu', -1, -1, 0xffffffff], // -1 * (2^32 - 1) = -2^32 + 1
    ['mulhsu', -2, 0x80000000, 0xffffffff],
    ['mulhsu', 2, -1, 1],
    ['mulhsu', MIN, -1, 0x80000000],
  ])('%s(%s, %s) = %s', (op, x, y, want) => {
    expect(binop(op, x, y)).toBe(want);
  });

  it.each([
    ['div', 7, 2, 3],
    ['div', -7, 2, 0xfffffffd], // rounds toward zero
    ['div', 7, -2, 0xfffffffd],
    ['div', 7, 0, 0xffffffff], // division by zero: all ones
    ['div', MIN, -1, MIN], // overflow: the dividend
    ['divu', 7, 0, 0xffffffff],
    ['divu', -1, 2, 0x7fffffff],
    ['divu', MIN, -1, 0],
    ['rem', -7, 2, 0xffffffff], // sign of the dividend
    ['rem', 7, -2, 1],
    ['rem', 7, 0, 7], // division by zero: the dividend
    ['rem', MIN, -1, 0], // overflow: zero
    ['remu', 7, 0, 7],
    ['remu', -1, 10, 5],
    ['remu', MIN, -1, MIN],
  ])('%s(%s, %s) = %s', (op, x, y, want) => {
    expect(binop(op, x, y)).toBe(want);
  });
});

describe('loads and stores', () => {
  const DATA = `
      .data
    d: .byte 0x80, 0x7f, 0xff, 0x01
       .half 0x8001, 0x7ffe
       .word 0xdeadbeef`;

  it.each([
    ['lb', 0, 0xffffff80],
    ['lb', 1, 0x7f],
    ['lbu', 0, 0x80],
    ['lbu', 2, 0xff],
    ['lh', 4, 0xffff8001],
    ['lh', 6, 0x7ffe],
    ['lhu', 4, 0x8001],
    ['lw', 0, 0x01ff7f80],
    ['lw', 8, 0xdeadbeef],
  ])('%s at offset %d sign- or zero-extends to %s', (op, off, want) => {
    expect(a0(`la t0, d\n ${op} a0, ${off}(t0)` + EXIT + DATA)).toBe(want);
  });

  it('stores write only their width, little-endian, and negative offsets work', () => {
    const { m, r } = exec(
      `
      la t0, d
      li t1, 0x11223344
      sw t1, 0(t0)
      li t1, 0xaabbccdd
      sb t1, 1(t0)
      sh t1, 6(t0)
      addi t2, t0, 8
      sw t1, -4(t2)
      lw a0, 0(t0)
      lw a1, 4(t0)` +
        EXIT +
        DATA,
    );
    expect(r.status).toBe('exited');
    expect(m.regs[10] >>> 0).toBe(0x1122dd44);
    expect(m.regs[11] >>> 0).toBe(0xaabbccdd);
    expect(Array.from(m.readMemory(m.regs[5], 4))).toEqual([0x44, 0xdd, 0x22, 0x11]);
  });

  it('the stack pointer starts at the memory top and the stack is writable', () => {
    const { m, r } = exec('mv a0, sp\n addi sp, sp, -4\n sw a0, 0(sp)\n lw a1, 0(sp)');
    expect(r.status).toBe('exited');
    expect(m.regs[10]).toBe(0x100000);
    expect(m.regs[11]).toBe(0x100000);
  });
});

describe('control flow', () => {
  it.each([
    ['beq', 1, 1, 1],
    ['beq', 1, 2, 0],
    ['bne', 1, 2, 1],
    ['blt', -1, 0, 1],
    ['blt', 0, -1, 0],
    ['bge', 0, 0, 1],
    ['bge', -1, 0, 0],
    ['bltu', 0, -1, 1],
    ['bltu', -1, 0, 0],
    ['bgeu', -1, 0, 1],
    ['bgeu', 0, 1, 0],
  ])('%s %d, %d taken = %d', (op, x, y, taken) => {
    expect(a0(`li a1, ${x}\n li a2, ${y}\n li a0, 1\n ${op} a1, a2, 1f\n li a0, 0\n1:`)).toBe(
      taken,
    );
  });

  it('jal links pc + 4; jalr clears bit 0 of the target and reads rs1 before writing rd', () => {
    const { m, r } = exec(`
      jal ra, 1f
    back:
      j 2f
    1: mv s0, ra
      la t0, back
      addi t0, t0, 1
      jalr t0, 0(t0)
    2: mv a0, s0
      mv a1, t0`);
    expect(r.status).toBe('exited');
    expect(m.regs[10]).toBe(PROGRAM_BASE + 4);
    expect(m.regs[11]).toBe(PROGRAM_BASE + 7 * 4); // link of the jalr
  });

  it('a backward branch loop runs the expected number of instructions', () => {
    const { m, r } = exec(
      'li a0, 0\n li t0, 100\n1: addi a0, a0, 2\n addi t0, t0, -1\n bnez t0, 1b',
    );
    expect(m.regs[10]).toBe(200);
    expect(r.cycles).toBe(2 + 300 + 2);
  });

  it('fence is a no-op', () => {
    expect(a0('li a0, 9\n fence\n fence rw, rw')).toBe(9);
  });
});

describe('faults', () => {
  const hex = (n: number): string => '0x' + n.toString(16).padStart(8, '0');

  it('an illegal instruction names the pc and the word, and retires nothing', () => {
    const { r } = exec('nop\n .word 0x00001073');
    expect(r.status).toBe('fault');
    expect(r.fault!.code).toBe('illegal-instruction');
    expect(r.fault!.pc).toBe(PROGRAM_BASE + 4);
    expect(r.fault!.word).toBe(0x1073);
    expect(r.fault!.message).toBe(
      `Illegal instruction 0x00001073 at pc ${hex(PROGRAM_BASE + 4)}: not an RV32IM instruction.`,
    );
    expect(r.cycles).toBe(1);
  });

  it.each([
    ['lw a0, 2(t0)', 'misaligned-access', 2],
    ['lh a0, 1(t0)', 'misaligned-access', 1],
    ['lhu a0, 3(t0)', 'misaligned-access', 3],
    ['sw a0, 1(t0)', 'misaligned-access', 1],
    ['sh a0, 3(t0)', 'misaligned-access', 3],
  ])('%s faults with %s (misaligned accesses are not emulated)', (insn, code, off) => {
    const { r } = exec(`la t0, d\n ${insn}` + EXIT + '.data\nd: .word 0, 0');
    expect(r.fault!.code).toBe(code);
    expect(r.fault!.address).toBe(0x11000 + off);
    expect(r.fault!.pc).toBe(PROGRAM_BASE + 8);
  });

  it('byte accesses are never misaligned', () => {
    expect(
      a0('la t0, d\n li t1, 0x5a\n sb t1, 3(t0)\n lbu a0, 3(t0)' + EXIT + '.data\nd: .word 0'),
    ).toBe(0x5a);
  });

  it.each([
    ['lw a0, 0(zero)', 0, false],
    ['lb a0, -1(zero)', 0xffffffff, false],
    ['li t0, 0xfffc\n lw a0, 0(t0)', 0xfffc, false],
    ['li t0, 0x100000\n sw a0, 0(t0)', 0x100000, true],
    ['li t0, 0x80000000\n sb a0, 0(t0)', 0x80000000, true],
  ])('%s is outside mapped memory', (insn, addr, write) => {
    const { r } = exec(insn);
    expect(r.fault!.code).toBe('out-of-bounds');
    expect(r.fault!.address).toBe(addr);
    expect(r.fault!.message).toContain(`${write ? 'store' : 'load'} of`);
    expect(r.fault!.message).toContain(hex(addr));
  });

  it('stores into code are write-protected; loads from code are allowed', () => {
    const { m, r } = exec('la t0, _start\n lw a1, 0(t0)\n sw a1, 4(t0)');
    expect(m.regs[11] >>> 0).toBe(
      m.readMemory(PROGRAM_BASE, 4).reduce((w, b, i) => w + b * 2 ** (8 * i), 0),
    );
    expect(r.fault!.code).toBe('write-protected');
    expect(r.fault!.address).toBe(PROGRAM_BASE + 4);
  });

  it('jumping into data faults as a fetch outside executable memory', () => {
    const { r } = exec('la t0, d\n jr t0' + EXIT + '.data\nd: .word 0x13');
    expect(r.fault!.code).toBe('fetch-outside-code');
    expect(r.fault!.pc).toBe(0x11000);
  });

  it('a jump to an address that is 2 mod 4 faults on the jump', () => {
    const { r } = exec('la t0, _start\n addi t0, t0, 2\n jalr ra, 0(t0)');
    expect(r.fault!.code).toBe('misaligned-fetch');
    expect(r.fault!.pc).toBe(PROGRAM_BASE + 12);
    expect(r.fault!.address).toBe(PROGRAM_BASE + 2);
  });

  it('a gap between executable segments is not executable', () => {
    const code = (words: number[]): Uint8Array => new Uint8Array(Uint32Array.from(words).buffer);
    const img: ProgramImage = {
      entry: PROGRAM_BASE,
      segments: [
        {
          vaddr: PROGRAM_BASE,
          memSize: 4,
          data: code([0x0000206f]),
          readable: true,
          writable: false,
          executable: true,
        }, // j +0x2000 ... lands in the gap
        {
          vaddr: PROGRAM_BASE + 0x3000,
          memSize: 4,
          data: code([0x73]),
          readable: true,
          writable: false,
          executable: true,
        },
      ],
    };
    const r = new Machine(img, SMALL).run();
    expect(r.fault!.code).toBe('fetch-outside-code');
    expect(r.fault!.pc).toBe(PROGRAM_BASE + 0x2000);
  });

  it('ebreak stops with status breakpoint at its pc', () => {
    const { r } = exec('nop\n ebreak');
    expect(r.status).toBe('breakpoint');
    expect(r.pc).toBe(PROGRAM_BASE + 4);
  });

  it('an unknown ecall number faults and names it', () => {
    const { r } = exec('li a7, 1234\n ecall');
    expect(r.fault!.code).toBe('unknown-ecall');
    expect(r.fault!.message).toContain('Unknown ecall 1234');
  });
});

describe('cycle limit', () => {
  it('an endless loop stops cleanly at the limit', () => {
    const { r } = exec('1: j 1b', { cycleLimit: 1000 });
    expect(r.status).toBe('cycle-limit');
    expect(r.cycles).toBe(1000);
    expect(r.fault).toBeNull();
    expect(r.pc).toBe(PROGRAM_BASE);
  });

  it('a program that exits on exactly the last allowed cycle has exited', () => {
    const { r } = exec('li a0, 3', { cycleLimit: 3 });
    expect(r.status).toBe('exited');
    expect(r.exitCode).toBe(3);
    expect(exec('li a0, 3', { cycleLimit: 2 }).r.status).toBe('cycle-limit');
  });
});

describe('guest I/O ecalls', () => {
  const READ = (fd: number, len: number, off = 0): string =>
    `li a7, 63\n li a0, ${fd}\n la a1, buf\n addi a1, a1, ${off}\n li a2, ${len}\n ecall\n`;
  const BUF = '\n .data\nbuf: .space 64\n';

  it('reads the public input (fd 0) and the private input (fd 3) independently, in pieces', () => {
    const pub = Uint8Array.from([1, 2, 3, 4, 5]);
    const priv = Uint8Array.from([9, 8, 7]);
    const { m, r } = exec(
      READ(0, 2) +
        'mv s1, a0\n' +
        READ(3, 8, 8) +
        'mv s2, a0\n' +
        READ(0, 10, 2) +
        'mv s3, a0\n' +
        READ(0, 10) +
        'mv s4, a0\n li a0, 0' +
        EXIT +
        BUF,
      { publicInput: pub, privateInput: priv },
    );
    expect(r.status).toBe('exited');
    expect([m.regs[9], m.regs[18], m.regs[19], m.regs[20]]).toEqual([2, 3, 3, 0]);
    expect(Array.from(m.readMemory(0x11000, 12))).toEqual([1, 2, 3, 4, 5, 0, 0, 0, 9, 8, 7, 0]);
  });

  it('reading past the end of an input returns 0 and leaves the buffer alone', () => {
    const { m } = exec(READ(3, 4) + 'mv s1, a0\n' + READ(0, 0) + 'mv s2, a0' + EXIT + BUF);
    expect([m.regs[9], m.regs[18]]).toEqual([0, 0]);
  });

  it('an undefined file descriptor returns -EBADF', () => {
    const { m } = exec(
      READ(7, 4) + 'mv s1, a0\n li a7, 64\n li a0, 9\n ecall\n mv s2, a0' + EXIT + BUF,
    );
    expect([m.regs[9], m.regs[18]]).toEqual([-9, -9]);
  });

  it('writes to fd 1 form the public output and to fd 2 the debug log', () => {
    const { r } = exec(
      `
      li a7, 64
      li a0, 1
      la a1, msg
      li a2, 3
      ecall
      li a0, 2
      li a2, 6
      ecall
      li a0, -5` +
        EXIT +
        '.data\nmsg: .ascii "abc\\nde"',
    );
    expect(Buffer.from(r.publicOutput).toString()).toBe('abc');
    expect(r.debugLog).toBe('abc\nde');
    expect(r.exitCode).toBe(-5);
  });

  it('a read into code or outside memory faults', () => {
    expect(
      exec('li a7, 63\n li a0, 0\n la a1, _start\n li a2, 4\n ecall', {
        publicInput: new Uint8Array(4),
      }).r.fault!.code,
    ).toBe('write-protected');
    expect(
      exec('li a7, 63\n li a0, 0\n li a1, 0xff000\n li a2, 0x2000\n ecall', {
        publicInput: new Uint8Array(0x2000),
      }).r.fault!.code,
    ).toBe('out-of-bounds');
  });

  it('output beyond its limit faults; the debug log is truncated instead', () => {
    const w = (fd: number): string =>
      `li a7, 64\n li a0, ${fd}\n la a1, _start\n li a2, 16\n ecall\n`;
    expect(exec(w(1) + w(1), { maxOutputBytes: 20 }).r.fault!.code).toBe('output-too-large');
    const { r } = exec(w(2) + w(2) + 'li a0, 0', { maxDebugLogBytes: 20 });
    expect(r.status).toBe('exited');
    expect(r.debugLogTruncated).toBe(true);
  });
});
