/**
 * Generators of differential test programs, built directly as ProgramImages (and ELF files via
 * writeElf) so no toolchain is needed. Each program leaves its results in a data region and
 * writes them to fd 1, then exits 0; the same ELF runs under qemu-riscv32 and under our VM, and
 * the outputs are compared word by word (test/vm/diff/compare.ts).
 *
 * The generators are deterministic in their seed. Changing them changes the programs, which the
 * committed references detect by image digest: then run `npm run vm:refs`.
 */
import { createHash } from 'node:crypto';
import {
  INSTRUCTION_BY_NAME,
  InstructionSpec,
  encodeB,
  encodeFence,
  encodeI,
  encodeJ,
  encodeR,
  encodeS,
  encodeU,
} from '../../../src/vm/isa/instructions';
import { ProgramImage } from '../../../src/vm/program-image';

export const TEXT_BASE = 0x10000;
export const DATA_BASE = 0x40000;
/** x31 holds DATA_BASE in every generated program; the generated code never writes it. */
export const BASE_REG = 31;

const I = (name: string): InstructionSpec => INSTRUCTION_BY_NAME.get(name)!;

/** Mulberry32: a small, fast, well-distributed 32-bit PRNG; enough for test generation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Operand values where RV32IM semantics have edges: signs, overflow, shift widths. */
export const EDGE_VALUES = [
  0, 1, 2, -1, -2, 0x7fffffff, -0x80000000, -0x7fffffff, 31, 32, 33, 0x12345678, -0x789abcdf,
  0xffff, 0x8000, 0x80,
];

export interface TestProgram {
  name: string;
  image: ProgramImage;
  /** Bytes the program writes to fd 1: the whole data region. */
  outputBytes: number;
  /** Instructions under test in this program (not counting setup and epilogue). */
  cases: number;
  /** Per result word, a description of what produced it, for mismatch messages. */
  labels?: string[];
}

class Builder {
  readonly words: number[] = [];
  emit(w: number): void {
    this.words.push(w >>> 0);
  }
  get pc(): number {
    return TEXT_BASE + 4 * this.words.length;
  }
  li(rd: number, value: number): void {
    const v = value | 0;
    const hi = ((v + 0x800) >>> 12) & 0xfffff;
    const lo = (v << 20) >> 20;
    this.emit(encodeU(I('lui'), rd, hi));
    this.emit(encodeI(I('addi'), rd, rd, lo));
  }
  /** Writes the data region [DATA_BASE, DATA_BASE + n) to fd 1 and exits 0. */
  finish(n: number): void {
    this.li(17, 64);
    this.li(10, 1);
    this.emit(encodeI(I('addi'), 11, BASE_REG, 0));
    this.li(12, n);
    this.emit(0x73);
    this.li(10, 0);
    this.li(17, 93);
    this.emit(0x73);
  }
}

function image(words: number[], data: Uint8Array, dataSize: number): ProgramImage {
  return {
    entry: TEXT_BASE,
    segments: [
      {
        vaddr: TEXT_BASE,
        memSize: words.length * 4,
        data: new Uint8Array(Uint32Array.from(words).buffer),
        readable: true,
        writable: false,
        executable: true,
      },
      {
        vaddr: DATA_BASE,
        memSize: dataSize,
        data,
        readable: true,
        writable: true,
        executable: false,
      },
    ],
  };
}

export function imageDigest(img: ProgramImage): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({ entry: img.entry, segs: img.segments.map((s) => [s.vaddr, s.memSize]) }),
  );
  for (const s of img.segments) h.update(s.data);
  return h.digest('hex');
}

const R_OPS = [
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
const I_OPS = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];
const SHIFT_OPS = ['slli', 'srli', 'srai'];
const BRANCH_OPS = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
const IMM_EDGES = [-2048, -1, 0, 1, 2047, 0x555, -0x556, 31];

const hex = (n: number): string => '0x' + (n >>> 0).toString(16);

/**
 * Directed programs: every register-register, register-immediate and branch instruction on
 * every pair of edge values, one result word per case, plus loads of every width at every
 * offset of a patterned window, stores of every width, x0 as destination, LUI/AUIPC.
 */
export function directedPrograms(): TestProgram[] {
  const out: TestProgram[] = [];
  const rs1 = 5;
  const rs2 = 6;
  const rd = 7;

  for (const op of R_OPS) {
    const b = new Builder();
    b.li(BASE_REG, DATA_BASE);
    const labels: string[] = [];
    for (const x of EDGE_VALUES) {
      for (const y of EDGE_VALUES) {
        b.li(rs1, x);
        b.li(rs2, y);
        b.emit(encodeR(I(op), rd, rs1, rs2));
        b.emit(encodeS(I('sw'), BASE_REG, rd, 0));
        b.emit(encodeI(I('addi'), BASE_REG, BASE_REG, 4));
        labels.push(`${op} ${hex(x)}, ${hex(y)}`);
      }
    }
    // rd = x0 must be ignored; rs1 = rs2 = rd aliasing must read before writing.
    b.li(rs1, 0x7654321);
    b.emit(encodeR(I(op), 0, rs1, rs1));
    b.emit(encodeS(I('sw'), BASE_REG, 0, 0));
    b.emit(encodeI(I('addi'), BASE_REG, BASE_REG, 4));
    b.emit(encodeR(I(op), rs1, rs1, rs1));
    b.emit(encodeS(I('sw'), BASE_REG, rs1, 0));
    b.emit(encodeI(I('addi'), BASE_REG, BASE_REG, 4));
    labels.push(`${op} x0, ...`, `${op} x5, x5, x5`);
    b.li(BASE_REG, DATA_BASE);
    const n = labels.length * 4;
    b.finish(n);
    out.push({
      name: `directed-${op}`,
      image: image(b.words, new Uint8Array(0), n),
      outputBytes: n,
      cases: labels.length,
      labels,
    });
  }

  {
    const b = new Builder();
    b.li(BASE_REG, DATA_BASE);
    const labels: string[] = [];
    const result = (label: string): void => {
      b.emit(encodeS(I('sw'), BASE_REG, rd, 0));
      b.emit(encodeI(I('addi'), BASE_REG, BASE_REG, 4));
      labels.push(label);
    };
    for (const op of I_OPS) {
      for (const x of EDGE_VALUES) {
        for (const imm of IMM_EDGES) {
          b.li(rs1, x);
          b.emit(encodeI(I(op), rd, rs1, imm));
          result(`${op} ${hex(x)}, ${imm}`);
        }
      }
    }
    for (const op of SHIFT_OPS) {
      for (const x of EDGE_VALUES) {
        for (const sh of [0, 1, 15, 31]) {
          b.li(rs1, x);
          b.emit(encodeI(I(op), rd, rs1, sh));
          result(`${op} ${hex(x)}, ${sh}`);
        }
      }
    }
    for (const op of BRANCH_OPS) {
      for (const x of EDGE_VALUES) {
        for (const y of EDGE_VALUES) {
          b.li(rs1, x);
          b.li(rs2, y);
          b.li(rd, 0);
          b.emit(encodeB(I(op), rs1, rs2, 8)); // taken: skip the next instruction
          b.li(rd, 1);
          result(`${op} ${hex(x)}, ${hex(y)} (0 = taken)`);
        }
      }
    }
    for (const imm of [0, 1, 0x800, 0xfffff, 0x80000, 0x12345]) {
      b.emit(encodeU(I('lui'), rd, imm));
      result(`lui ${hex(imm)}`);
      b.emit(encodeU(I('auipc'), rd, imm));
      result(`auipc ${hex(imm)}`);
    }
    // jal and jalr link values and jalr's cleared low bit
    b.emit(encodeJ(I('jal'), rd, 8));
    b.emit(0x00100073); // skipped ebreak
    result('jal link');
    b.emit(encodeU(I('auipc'), rs1, 0));
    b.emit(encodeI(I('jalr'), rd, rs1, 13)); // target auipc + 12 (bit 0 cleared)
    b.emit(0x00100073);
    result('jalr link');
    b.emit(encodeFence());
    b.li(BASE_REG, DATA_BASE);
    const n = labels.length * 4;
    b.finish(n);
    out.push({
      name: 'directed-imm-branch-upper',
      image: image(b.words, new Uint8Array(0), n),
      outputBytes: n,
      cases: labels.length,
      labels,
    });
  }

  {
    // Loads of every width and signedness at every offset of a 16-byte pattern window, and
    // stores of every width at every aligned offset, each followed by a word reload.
    const b = new Builder();
    const pattern = Uint8Array.from([
      0x80, 0x7f, 0xff, 0x00, 0x01, 0xfe, 0x81, 0x7e, 0x55, 0xaa, 0xc3, 0x3c, 0xf0, 0x0f, 0x99,
      0x66,
    ]);
    const RESULTS = 64;
    b.li(BASE_REG, DATA_BASE);
    b.li(8, DATA_BASE + RESULTS); // results pointer in s0
    const labels: string[] = [];
    const result = (label: string, reg = rd): void => {
      b.emit(encodeS(I('sw'), 8, reg, 0));
      b.emit(encodeI(I('addi'), 8, 8, 4));
      labels.push(label);
    };
    for (const [op, size] of [
      ['lb', 1],
      ['lbu', 1],
      ['lh', 2],
      ['lhu', 2],
      ['lw', 4],
    ] as const) {
      for (let off = 0; off < 16; off += size) {
        b.emit(encodeI(I(op), rd, BASE_REG, off));
        result(`${op} pattern+${off}`);
      }
    }
    b.emit(encodeI(I('lw'), 0, BASE_REG, 0));
    result('lw x0 (ignored)', 0);
    let k = 0;
    for (const [op, size] of [
      ['sb', 1],
      ['sh', 2],
      ['sw', 4],
    ] as const) {
      for (let off = 0; off < 8; off += size) {
        b.li(rs2, EDGE_VALUES[k++ % EDGE_VALUES.length] ^ 0x5a5a5a5a);
        b.emit(encodeS(I(op), BASE_REG, rs2, 16 + off));
        b.emit(encodeI(I('lw'), rd, BASE_REG, 16 + (off & ~3)));
        result(`${op} at +${16 + off} then lw`);
      }
    }
    // negative offsets from a base in the middle of the window
    b.emit(encodeI(I('addi'), 9, BASE_REG, 8));
    for (const off of [-8, -7, -6, -4, -1]) {
      b.emit(encodeI(I('lb'), rd, 9, off));
      result(`lb base+8${off}`);
    }
    b.li(BASE_REG, DATA_BASE);
    const n = RESULTS + labels.length * 4;
    b.finish(n);
    const data = new Uint8Array(16);
    data.set(pattern);
    out.push({
      name: 'directed-load-store',
      image: image(b.words, data, n),
      outputBytes: n,
      cases: labels.length,
      labels,
    });
  }
  return out;
}

const DATA_SIZE = 256;
const DUMP = DATA_SIZE; // register dump follows the data window

/**
 * A random program: random register values, then `length` random instructions (ALU, M,
 * immediates, shifts, upper immediates, loads and stores into the data window, forward
 * branches and jumps, fences), then a dump of x0..x30 after the data window. With loops > 0
 * the body runs that many times, counted down in x30 by a backward branch, so later passes
 * start from the state earlier passes left.
 */
export function randomProgram(seed: number, length: number, loops = 0): TestProgram {
  const LOOP_REG = 30;
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rnd() % xs.length];
  const value = (): number => (rnd() % 3 === 0 ? pick(EDGE_VALUES) : rnd() | 0);
  // destinations: never the base register x31, nor the loop counter
  const reg = (): number => (loops > 0 ? rnd() % 30 : rnd() % 31);
  const anyReg = (): number => rnd() % 32;
  const b = new Builder();
  b.li(BASE_REG, DATA_BASE);
  for (let r = 1; r < 31; r++) b.li(r, value());
  if (loops > 0) b.li(LOOP_REG, loops);
  const loopStart = b.pc;
  // Each entry knows its size up front; jumps name a later entry (or the dump) by how many
  // entries they skip, and `to` turns that into a byte offset from the entry's first word.
  type To = (skip: number) => number;
  const body: { size: number; make: (to: To) => number[] }[] = [];
  const one = (make: (to: To) => number): void =>
    void body.push({ size: 1, make: (to) => [make(to)] });
  for (let i = 0; i < length; i++) {
    const kind = rnd() % 20;
    if (kind < 6) {
      const op = pick(R_OPS);
      const rd = reg(),
        a = anyReg(),
        c = anyReg();
      one(() => encodeR(I(op), rd, a, c));
    } else if (kind < 9) {
      const op = pick(I_OPS);
      const rd = reg(),
        a = anyReg();
      const imm = rnd() % 2 ? pick(IMM_EDGES) : (rnd() << 20) >> 20;
      one(() => encodeI(I(op), rd, a, imm));
    } else if (kind < 10) {
      const op = pick(SHIFT_OPS);
      const rd = reg(),
        a = anyReg(),
        sh = rnd() % 32;
      one(() => encodeI(I(op), rd, a, sh));
    } else if (kind < 11) {
      const op = pick(['lui', 'auipc']);
      const rd = reg(),
        imm = rnd() & 0xfffff;
      one(() => encodeU(I(op), rd, imm));
    } else if (kind < 14) {
      const [op, size] = pick([
        ['lb', 1],
        ['lbu', 1],
        ['lh', 2],
        ['lhu', 2],
        ['lw', 4],
      ] as const);
      const rd = reg(),
        off = (rnd() % DATA_SIZE) & ~(size - 1);
      one(() => encodeI(I(op), rd, BASE_REG, off));
    } else if (kind < 16) {
      const [op, size] = pick([
        ['sb', 1],
        ['sh', 2],
        ['sw', 4],
      ] as const);
      const src = anyReg(),
        off = (rnd() % DATA_SIZE) & ~(size - 1);
      one(() => encodeS(I(op), BASE_REG, src, off));
    } else if (kind < 18) {
      const op = pick(BRANCH_OPS);
      const a = anyReg(),
        c = anyReg(),
        skip = rnd() % 4;
      one((to) => encodeB(I(op), a, c, to(skip)));
    } else if (kind < 19) {
      const rd = reg(),
        skip = rnd() % 3;
      one((to) => encodeJ(I('jal'), rd, to(skip)));
    } else if (rnd() % 2) {
      // auipc t, 0; jalr rd, t, offset (+1 sometimes: jalr clears the low bit)
      const t = 1 + (rnd() % (loops > 0 ? 29 : 30)),
        rd = reg(),
        skip = rnd() % 2,
        odd = rnd() % 2;
      body.push({
        size: 2,
        make: (to) => [encodeU(I('auipc'), t, 0), encodeI(I('jalr'), rd, t, to(skip) + odd)],
      });
    } else {
      one(() => encodeFence());
    }
  }
  const starts: number[] = [];
  let at = 0;
  for (const e of body) {
    starts.push(at);
    at += 4 * e.size;
  }
  starts.push(at); // the loop tail, or the dump
  body.forEach((e, i) => {
    const to: To = (skip) => starts[Math.min(i + 1 + skip, body.length)] - starts[i];
    for (const w of e.make(to)) b.emit(w);
  });
  if (loops > 0) {
    b.emit(encodeI(I('addi'), LOOP_REG, LOOP_REG, -1));
    b.emit(encodeB(I('bne'), LOOP_REG, 0, loopStart - b.pc));
  }
  for (let r = 0; r < 31; r++) b.emit(encodeS(I('sw'), BASE_REG, r, DUMP + 4 * r));
  const n = DATA_SIZE + 31 * 4;
  b.finish(n);
  const data = new Uint8Array(DATA_SIZE);
  for (let i = 0; i < DATA_SIZE; i++) data[i] = rnd() & 0xff;
  const labels: string[] = [];
  for (let i = 0; i < DATA_SIZE; i += 4) labels.push(`mem[${hex(DATA_BASE + i)}]`);
  for (let r = 0; r < 31; r++) labels.push(`x${r}`);
  return {
    name: loops > 0 ? `random-loop-${seed}` : `random-${seed}`,
    image: image(b.words, data, n),
    outputBytes: n,
    cases: length * Math.max(1, loops),
    labels,
  };
}
