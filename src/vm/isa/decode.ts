import { Op } from './opcodes';
import { ABI_REGISTER_NAMES, INSTRUCTIONS, InstructionSpec } from './instructions';

export interface Decoded {
  spec: InstructionSpec;
  op: Op;
  /** Architectural register numbers; 0 where the format has no such operand. */
  rd: number;
  rs1: number;
  rs2: number;
  /** Sign-extended immediate; for U-type the full value (imm20 << 12). */
  imm: number;
}

const OP_BY_NAME: Record<string, Op> = {
  lui: Op.LUI,
  auipc: Op.LUI,
  jal: Op.JAL,
  jalr: Op.JALR,
  beq: Op.BEQ,
  bne: Op.BNE,
  blt: Op.BLT,
  bge: Op.BGE,
  bltu: Op.BLTU,
  bgeu: Op.BGEU,
  lb: Op.LB,
  lh: Op.LH,
  lw: Op.LW,
  lbu: Op.LBU,
  lhu: Op.LHU,
  sb: Op.SB,
  sh: Op.SH,
  sw: Op.SW,
  addi: Op.ADDI,
  slti: Op.SLTI,
  sltiu: Op.SLTIU,
  xori: Op.XORI,
  ori: Op.ORI,
  andi: Op.ANDI,
  slli: Op.SLLI,
  srli: Op.SRLI,
  srai: Op.SRAI,
  add: Op.ADD,
  sub: Op.SUB,
  sll: Op.SLL,
  slt: Op.SLT,
  sltu: Op.SLTU,
  xor: Op.XOR,
  srl: Op.SRL,
  sra: Op.SRA,
  or: Op.OR,
  and: Op.AND,
  mul: Op.MUL,
  mulh: Op.MULH,
  mulhsu: Op.MULHSU,
  mulhu: Op.MULHU,
  div: Op.DIV,
  divu: Op.DIVU,
  rem: Op.REM,
  remu: Op.REMU,
  fence: Op.FENCE,
  ecall: Op.ECALL,
  ebreak: Op.EBREAK,
};

// Lookup keyed by opcode | funct3 << 7 | funct7 << 10, the fields that select an instruction.
const byKey = new Map<number, InstructionSpec>();
const key = (opcode: number, funct3: number, funct7: number): number =>
  opcode | (funct3 << 7) | (funct7 << 10);
for (const s of INSTRUCTIONS) {
  if (s.word !== undefined) continue;
  const f7 = s.format === 'R' || s.format === 'Ishift' ? s.funct7! : 0;
  byKey.set(key(s.opcode, s.funct3 ?? 0, f7), s);
}
const SYSTEM_BY_WORD = new Map(
  INSTRUCTIONS.filter((s) => s.word !== undefined).map((s) => [s.word!, s]),
);

const sext = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);

/** Decodes one 32-bit word, or returns null if it is not an RV32IM instruction. */
export function decode(word: number): Decoded | null {
  word >>>= 0;
  const opcode = word & 0x7f;
  const rd = (word >>> 7) & 31;
  const funct3 = (word >>> 12) & 7;
  const rs1 = (word >>> 15) & 31;
  const rs2 = (word >>> 20) & 31;
  const funct7 = word >>> 25;
  let spec: InstructionSpec | undefined;
  switch (opcode) {
    case 0x37:
    case 0x17:
    case 0x6f:
      spec = byKey.get(key(opcode, 0, 0));
      break;
    case 0x33:
      spec = byKey.get(key(opcode, funct3, funct7));
      break;
    case 0x13:
      spec =
        funct3 === 1 || funct3 === 5
          ? byKey.get(key(opcode, funct3, funct7))
          : byKey.get(key(opcode, funct3, 0));
      break;
    case 0x73:
      spec = SYSTEM_BY_WORD.get(word);
      break;
    default:
      spec = byKey.get(key(opcode, funct3, 0));
  }
  if (!spec) return null;
  const op = OP_BY_NAME[spec.name];
  switch (spec.format) {
    case 'R':
      return { spec, op, rd, rs1, rs2, imm: 0 };
    case 'I':
      return { spec, op, rd, rs1, rs2: 0, imm: (word | 0) >> 20 };
    case 'Ishift':
      return { spec, op, rd, rs1, rs2: 0, imm: rs2 };
    case 'S':
      return { spec, op, rd: 0, rs1, rs2, imm: (((word | 0) >> 25) << 5) | rd };
    case 'B': {
      const imm =
        (((word >>> 31) & 1) << 12) |
        (((word >>> 7) & 1) << 11) |
        (((word >>> 25) & 0x3f) << 5) |
        (((word >>> 8) & 0xf) << 1);
      return { spec, op, rd: 0, rs1, rs2, imm: sext(imm, 13) };
    }
    case 'U':
      return { spec, op, rd, rs1: 0, rs2: 0, imm: (word & 0xfffff000) | 0 };
    case 'J': {
      const imm =
        (((word >>> 31) & 1) << 20) |
        (((word >>> 12) & 0xff) << 12) |
        (((word >>> 20) & 1) << 11) |
        (((word >>> 21) & 0x3ff) << 1);
      return { spec, op, rd, rs1: 0, rs2: 0, imm: sext(imm, 21) };
    }
    default:
      return { spec, op, rd: 0, rs1: 0, rs2: 0, imm: 0 };
  }
}

const reg = (n: number): string => ABI_REGISTER_NAMES[n];
const h = (n: number): string => '0x' + (n >>> 0).toString(16);

/** GNU-style text of one instruction, for trace dumps and error messages. */
export function disassemble(word: number, pc: number): string {
  const d = decode(word);
  if (!d) return `.word ${h(word)}`;
  const { spec, rd, rs1, rs2, imm } = d;
  switch (spec.format) {
    case 'R':
      return `${spec.name} ${reg(rd)}, ${reg(rs1)}, ${reg(rs2)}`;
    case 'Ishift':
      return `${spec.name} ${reg(rd)}, ${reg(rs1)}, ${imm}`;
    case 'I':
      if (spec.opcode === 0x03 || spec.name === 'jalr') {
        return `${spec.name} ${reg(rd)}, ${imm}(${reg(rs1)})`;
      }
      return `${spec.name} ${reg(rd)}, ${reg(rs1)}, ${imm}`;
    case 'S':
      return `${spec.name} ${reg(rs2)}, ${imm}(${reg(rs1)})`;
    case 'B':
      return `${spec.name} ${reg(rs1)}, ${reg(rs2)}, ${h(pc + imm)}`;
    case 'U':
      return `${spec.name} ${reg(rd)}, ${h(imm >>> 12)}`;
    case 'J':
      return `${spec.name} ${reg(rd)}, ${h(pc + imm)}`;
    default:
      return spec.name;
  }
}
