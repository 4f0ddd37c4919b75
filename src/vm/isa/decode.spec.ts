import fc from 'fast-check';
import { decode, disassemble } from './decode';
import {
  INSTRUCTIONS,
  INSTRUCTION_BY_NAME,
  encodeB,
  encodeI,
  encodeJ,
  encodeR,
  encodeS,
  encodeU,
} from './instructions';

const I = (n: string) => INSTRUCTION_BY_NAME.get(n)!;

describe('decode', () => {
  it('round-trips every instruction through its encoder', () => {
    const reg = fc.integer({ min: 0, max: 31 });
    for (const s of INSTRUCTIONS) {
      fc.assert(
        fc.property(
          reg,
          reg,
          reg,
          fc.integer({ min: -(1 << 20), max: (1 << 20) - 1 }),
          (rd, rs1, rs2, raw) => {
            let word: number;
            let want: { rd: number; rs1: number; rs2: number; imm: number };
            switch (s.format) {
              case 'R':
                word = encodeR(s, rd, rs1, rs2);
                want = { rd, rs1, rs2, imm: 0 };
                break;
              case 'I':
                word = encodeI(s, rd, rs1, raw >> 9);
                want = { rd, rs1, rs2: 0, imm: raw >> 9 };
                break;
              case 'Ishift':
                word = encodeI(s, rd, rs1, raw & 31);
                want = { rd, rs1, rs2: 0, imm: raw & 31 };
                break;
              case 'S':
                word = encodeS(s, rs1, rs2, raw >> 9);
                want = { rd: 0, rs1, rs2, imm: raw >> 9 };
                break;
              case 'B':
                word = encodeB(s, rs1, rs2, (raw >> 8) & ~1);
                want = { rd: 0, rs1, rs2, imm: (raw >> 8) & ~1 };
                break;
              case 'U':
                word = encodeU(s, rd, raw & 0xfffff);
                want = { rd, rs1: 0, rs2: 0, imm: ((raw & 0xfffff) << 12) | 0 };
                break;
              case 'J':
                word = encodeJ(s, rd, raw & ~1);
                want = { rd, rs1: 0, rs2: 0, imm: raw & ~1 };
                break;
              default:
                word = s.word ?? 0x0ff0000f;
                want = { rd: 0, rs1: 0, rs2: 0, imm: 0 };
            }
            const d = decode(word);
            expect(d?.spec.name).toBe(s.name);
            expect({ rd: d!.rd, rs1: d!.rs1, rs2: d!.rs2, imm: d!.imm }).toEqual(want);
          },
        ),
        { numRuns: 50 },
      );
    }
  });

  it.each([
    [0x00000000, 'all zeros (the canonical illegal instruction)'],
    [0xffffffff, 'all ones'],
    [0x00001073, 'csrrw (Zicsr is not part of RV32IM)'],
    [0x0000100f, 'fence.i (Zifencei)'],
    [0x02000013 | (1 << 12), 'slli with shamt[5] set (RV64 only)'],
    [0x40001033, 'sll with funct7 0x20'],
    [0x00003003, 'ld (funct3 3 load, RV64)'],
    [0x00006003, 'lwu (RV64)'],
    [0x00003023, 'sd (RV64)'],
    [0x00002063, 'branch funct3 2'],
    [0x00001067, 'jalr funct3 1'],
    [0x00200073, 'uret'],
    [0x10500073, 'wfi'],
    [0x0000001b, 'addiw (RV64 OP-IMM-32)'],
    [0x00000007, 'flw (F extension)'],
    [0x0000102f, 'AMO (A extension)'],
    [0x80005013, 'srli with funct7 0x40'],
  ])('rejects %s: %s', (word) => {
    expect(decode(word)).toBeNull();
  });

  it('disassembles in GNU syntax with ABI register names', () => {
    expect(disassemble(encodeR(I('mulhsu'), 10, 11, 12), 0)).toBe('mulhsu a0, a1, a2');
    expect(disassemble(encodeI(I('lw'), 5, 2, -4), 0)).toBe('lw t0, -4(sp)');
    expect(disassemble(encodeS(I('sb'), 8, 9, 3), 0)).toBe('sb s1, 3(s0)');
    expect(disassemble(encodeB(I('bne'), 1, 0, -8), 0x10010)).toBe('bne ra, zero, 0x10008');
    expect(disassemble(encodeI(I('srai'), 1, 1, 31), 0)).toBe('srai ra, ra, 31');
    expect(disassemble(0x00000073, 0)).toBe('ecall');
    expect(disassemble(0, 0)).toBe('.word 0x0');
  });
});
