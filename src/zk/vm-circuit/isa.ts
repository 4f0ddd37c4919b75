/**
 * The RV32IM instructions the CPU block knows, each with the bits of its encoding that are
 * fixed (RISC-V Unprivileged ISA, chapter 2 "RV32I Base Integer Instruction Set" and chapter 7
 * "M Standard Extension", version 20191213; docs/vm-circuit.md §2).
 *
 * This table is written from the specification and deliberately does not import the VM's
 * decoder table (src/vm/isa/instructions.ts): the circuit is the second, independent reading
 * of the encodings, and a test checks that the two agree word for word.
 */

/** Instruction formats as the circuit needs them: which bits form rd, rs1, rs2 and imm. */
export type CircuitFormat = 'R' | 'I' | 'S' | 'B' | 'U' | 'J' | 'none';

export interface CircuitInstruction {
  readonly name: string;
  readonly format: CircuitFormat;
  /** Bits of the word that are fixed for this instruction. */
  readonly mask: number;
  /** Their values (pattern & ~mask === 0). */
  readonly pattern: number;
}

const OPCODE = 0x7f;
const FUNCT3 = 0x7 << 12;
const FUNCT7 = 0x7f << 25;

function ins(
  name: string,
  format: CircuitFormat,
  opcode: number,
  funct3?: number,
  funct7?: number,
): CircuitInstruction {
  let mask = OPCODE;
  let pattern = opcode;
  if (funct3 !== undefined) {
    mask |= FUNCT3;
    pattern |= funct3 << 12;
  }
  if (funct7 !== undefined) {
    mask |= FUNCT7;
    pattern |= funct7 << 25;
  }
  return { name, format, mask: mask >>> 0, pattern: pattern >>> 0 };
}

const OP = 0x33;
const OP_IMM = 0x13;
const LOAD = 0x03;
const STORE = 0x23;
const BRANCH = 0x63;

/**
 * The 47 instructions in a fixed order (the order of their flag columns). Shift immediates
 * carry funct7 in bits 25..31 (RV32 has a 5-bit shamt, so SLLI/SRLI/SRAI fix imm[11:5]).
 */
export const CIRCUIT_INSTRUCTIONS: readonly CircuitInstruction[] = [
  ins('lui', 'U', 0x37),
  ins('auipc', 'U', 0x17),
  ins('jal', 'J', 0x6f),
  ins('jalr', 'I', 0x67, 0),
  ins('beq', 'B', BRANCH, 0),
  ins('bne', 'B', BRANCH, 1),
  ins('blt', 'B', BRANCH, 4),
  ins('bge', 'B', BRANCH, 5),
  ins('bltu', 'B', BRANCH, 6),
  ins('bgeu', 'B', BRANCH, 7),
  ins('lb', 'I', LOAD, 0),
  ins('lh', 'I', LOAD, 1),
  ins('lw', 'I', LOAD, 2),
  ins('lbu', 'I', LOAD, 4),
  ins('lhu', 'I', LOAD, 5),
  ins('sb', 'S', STORE, 0),
  ins('sh', 'S', STORE, 1),
  ins('sw', 'S', STORE, 2),
  ins('addi', 'I', OP_IMM, 0),
  ins('slti', 'I', OP_IMM, 2),
  ins('sltiu', 'I', OP_IMM, 3),
  ins('xori', 'I', OP_IMM, 4),
  ins('ori', 'I', OP_IMM, 6),
  ins('andi', 'I', OP_IMM, 7),
  ins('slli', 'I', OP_IMM, 1, 0x00),
  ins('srli', 'I', OP_IMM, 5, 0x00),
  ins('srai', 'I', OP_IMM, 5, 0x20),
  ins('add', 'R', OP, 0, 0x00),
  ins('sub', 'R', OP, 0, 0x20),
  ins('sll', 'R', OP, 1, 0x00),
  ins('slt', 'R', OP, 2, 0x00),
  ins('sltu', 'R', OP, 3, 0x00),
  ins('xor', 'R', OP, 4, 0x00),
  ins('srl', 'R', OP, 5, 0x00),
  ins('sra', 'R', OP, 5, 0x20),
  ins('or', 'R', OP, 6, 0x00),
  ins('and', 'R', OP, 7, 0x00),
  ins('mul', 'R', OP, 0, 0x01),
  ins('mulh', 'R', OP, 1, 0x01),
  ins('mulhsu', 'R', OP, 2, 0x01),
  ins('mulhu', 'R', OP, 3, 0x01),
  ins('div', 'R', OP, 4, 0x01),
  ins('divu', 'R', OP, 5, 0x01),
  ins('rem', 'R', OP, 6, 0x01),
  ins('remu', 'R', OP, 7, 0x01),
  // FENCE's fm/pred/succ/rs1/rd are hints with no effect on one hart: only opcode and funct3.
  ins('fence', 'none', 0x0f, 0),
  // ECALL is the one whole fixed word; EBREAK stops the VM and never retires a row.
  { name: 'ecall', format: 'none', mask: 0xffffffff, pattern: 0x00000073 },
];

export type InstructionName = (typeof CIRCUIT_INSTRUCTIONS)[number]['name'];

export const INSTRUCTION_INDEX: ReadonlyMap<string, number> = new Map(
  CIRCUIT_INSTRUCTIONS.map((s, i) => [s.name, i]),
);

/** Index into CIRCUIT_INSTRUCTIONS of the instruction a word encodes, or −1. */
export function matchInstruction(word: number): number {
  const w = word >>> 0;
  for (let i = 0; i < CIRCUIT_INSTRUCTIONS.length; i++) {
    const s = CIRCUIT_INSTRUCTIONS[i];
    if ((w & s.mask) >>> 0 === s.pattern) return i;
  }
  return -1;
}
