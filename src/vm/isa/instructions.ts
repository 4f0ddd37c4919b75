/**
 * Every RV32IM instruction, declared once with its encoding (RISC-V Unprivileged ISA, chapter
 * 2 "RV32I" and chapter 13 "M"). The decoder, the assembler and the disassembler all read this
 * table; the semantics live in the executor (src/vm/machine.ts), one switch case per entry.
 */
export type Format = 'R' | 'I' | 'Ishift' | 'S' | 'B' | 'U' | 'J' | 'none';

export interface InstructionSpec {
  name: string;
  format: Format;
  opcode: number;
  funct3?: number;
  funct7?: number;
  /** For the two SYSTEM instructions whose whole word is fixed. */
  word?: number;
}

const r = (name: string, funct3: number, funct7: number): InstructionSpec => ({
  name,
  format: 'R',
  opcode: 0x33,
  funct3,
  funct7,
});

export const INSTRUCTIONS: readonly InstructionSpec[] = [
  { name: 'lui', format: 'U', opcode: 0x37 },
  { name: 'auipc', format: 'U', opcode: 0x17 },
  { name: 'jal', format: 'J', opcode: 0x6f },
  { name: 'jalr', format: 'I', opcode: 0x67, funct3: 0 },
  { name: 'beq', format: 'B', opcode: 0x63, funct3: 0 },
  { name: 'bne', format: 'B', opcode: 0x63, funct3: 1 },
  { name: 'blt', format: 'B', opcode: 0x63, funct3: 4 },
  { name: 'bge', format: 'B', opcode: 0x63, funct3: 5 },
  { name: 'bltu', format: 'B', opcode: 0x63, funct3: 6 },
  { name: 'bgeu', format: 'B', opcode: 0x63, funct3: 7 },
  { name: 'lb', format: 'I', opcode: 0x03, funct3: 0 },
  { name: 'lh', format: 'I', opcode: 0x03, funct3: 1 },
  { name: 'lw', format: 'I', opcode: 0x03, funct3: 2 },
  { name: 'lbu', format: 'I', opcode: 0x03, funct3: 4 },
  { name: 'lhu', format: 'I', opcode: 0x03, funct3: 5 },
  { name: 'sb', format: 'S', opcode: 0x23, funct3: 0 },
  { name: 'sh', format: 'S', opcode: 0x23, funct3: 1 },
  { name: 'sw', format: 'S', opcode: 0x23, funct3: 2 },
  { name: 'addi', format: 'I', opcode: 0x13, funct3: 0 },
  { name: 'slti', format: 'I', opcode: 0x13, funct3: 2 },
  { name: 'sltiu', format: 'I', opcode: 0x13, funct3: 3 },
  { name: 'xori', format: 'I', opcode: 0x13, funct3: 4 },
  { name: 'ori', format: 'I', opcode: 0x13, funct3: 6 },
  { name: 'andi', format: 'I', opcode: 0x13, funct3: 7 },
  { name: 'slli', format: 'Ishift', opcode: 0x13, funct3: 1, funct7: 0x00 },
  { name: 'srli', format: 'Ishift', opcode: 0x13, funct3: 5, funct7: 0x00 },
  { name: 'srai', format: 'Ishift', opcode: 0x13, funct3: 5, funct7: 0x20 },
  r('add', 0, 0x00),
  r('sub', 0, 0x20),
  r('sll', 1, 0x00),
  r('slt', 2, 0x00),
  r('sltu', 3, 0x00),
  r('xor', 4, 0x00),
  r('srl', 5, 0x00),
  r('sra', 5, 0x20),
  r('or', 6, 0x00),
  r('and', 7, 0x00),
  r('mul', 0, 0x01),
  r('mulh', 1, 0x01),
  r('mulhsu', 2, 0x01),
  r('mulhu', 3, 0x01),
  r('div', 4, 0x01),
  r('divu', 5, 0x01),
  r('rem', 6, 0x01),
  r('remu', 7, 0x01),
  // FENCE's pred/succ/fm fields are hints; the VM has one hart and no caches, so any values do.
  { name: 'fence', format: 'none', opcode: 0x0f, funct3: 0 },
  { name: 'ecall', format: 'none', opcode: 0x73, word: 0x00000073 },
  { name: 'ebreak', format: 'none', opcode: 0x73, word: 0x00100073 },
];

export const INSTRUCTION_BY_NAME: ReadonlyMap<string, InstructionSpec> = new Map(
  INSTRUCTIONS.map((s) => [s.name, s]),
);

export const ABI_REGISTER_NAMES = [
  'zero',
  'ra',
  'sp',
  'gp',
  'tp',
  't0',
  't1',
  't2',
  's0',
  's1',
  'a0',
  'a1',
  'a2',
  'a3',
  'a4',
  'a5',
  'a6',
  'a7',
  's2',
  's3',
  's4',
  's5',
  's6',
  's7',
  's8',
  's9',
  's10',
  's11',
  't3',
  't4',
  't5',
  't6',
] as const;

// Encoders: the assembler and the test-program generators build words with these.
const field = (v: number, bits: number, at: number): number => (v & ((1 << bits) - 1)) << at;

export function encodeR(s: InstructionSpec, rd: number, rs1: number, rs2: number): number {
  return (
    (field(s.funct7!, 7, 25) |
      field(rs2, 5, 20) |
      field(rs1, 5, 15) |
      field(s.funct3!, 3, 12) |
      field(rd, 5, 7) |
      s.opcode) >>>
    0
  );
}

export function encodeI(s: InstructionSpec, rd: number, rs1: number, imm: number): number {
  const hi =
    s.format === 'Ishift' ? field(s.funct7!, 7, 25) | field(imm, 5, 20) : field(imm, 12, 20);
  return (hi | field(rs1, 5, 15) | field(s.funct3!, 3, 12) | field(rd, 5, 7) | s.opcode) >>> 0;
}

export function encodeS(s: InstructionSpec, rs1: number, rs2: number, imm: number): number {
  return (
    (field(imm >> 5, 7, 25) |
      field(rs2, 5, 20) |
      field(rs1, 5, 15) |
      field(s.funct3!, 3, 12) |
      field(imm, 5, 7) |
      s.opcode) >>>
    0
  );
}

export function encodeB(s: InstructionSpec, rs1: number, rs2: number, imm: number): number {
  return (
    (field(imm >> 12, 1, 31) |
      field(imm >> 5, 6, 25) |
      field(rs2, 5, 20) |
      field(rs1, 5, 15) |
      field(s.funct3!, 3, 12) |
      field(imm >> 1, 4, 8) |
      field(imm >> 11, 1, 7) |
      s.opcode) >>>
    0
  );
}

/** imm is the 20-bit upper immediate (the value is imm << 12). */
export function encodeU(s: InstructionSpec, rd: number, imm: number): number {
  return (field(imm, 20, 12) | field(rd, 5, 7) | s.opcode) >>> 0;
}

export function encodeJ(s: InstructionSpec, rd: number, imm: number): number {
  return (
    (field(imm >> 20, 1, 31) |
      field(imm >> 1, 10, 21) |
      field(imm >> 11, 1, 20) |
      field(imm >> 12, 8, 12) |
      field(rd, 5, 7) |
      s.opcode) >>>
    0
  );
}

export function encodeFence(): number {
  // fence iorw, iorw: the form compilers emit for a full barrier.
  return 0x0ff0000f;
}
