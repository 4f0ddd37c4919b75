/**
 * Malicious provers (in the manner of Jolt's tests/soundness.rs): each case takes an honest
 * witness of a directed program, changes one row the way a cheater would — keeping every
 * decomposition self-consistent, so the cheat is not caught by a bit check by accident — and
 * checks that the block reports that row, through the constraint that encodes the rule.
 */
import { TraceSegment } from '../../vm/trace';
import { DIRECTED } from './programs';
import { EditableWitness, rowOf, traceAsm } from './spec-helpers';

const K = 6;
const traces = new Map<string, { seg: TraceSegment; pad: number }>();
function trace(program: string): { seg: TraceSegment; pad: number } {
  let t = traces.get(program);
  if (!t) {
    t = traceAsm(DIRECTED[program], K);
    traces.set(program, t);
  }
  return t;
}

interface Case {
  program: string;
  /** Mnemonic of the row to alter, and which occurrence (0 = first). */
  at: string;
  nth?: number;
  cheat: (e: EditableWitness, seg: TraceSegment, r: number) => void;
  label: RegExp;
  /** The step the block reports, relative to the altered row (default 0). */
  dStep?: number;
}

/** Row r recomputed as an honest generator would for a trace that claims `rdVal`. */
const claimResult = (e: EditableWitness, seg: TraceSegment, r: number, rdVal: number): void => {
  e.refill(r, { ...e.input(seg, r), rdVal: rdVal >>> 0 });
};
const offBy = (d: number) => (e: EditableWitness, seg: TraceSegment, r: number) =>
  claimResult(e, seg, r, seg.rdVal[r] + d);

const CASES: Record<string, Case> = {
  'ADD with a wrong sum': {
    program: 'register ALU',
    at: 'add ',
    cheat: offBy(1),
    label: /^ADD\/ADDI$/,
  },
  'ADDI that ignores the carry-out': {
    program: 'immediate ALU and upper immediates',
    at: 'addi ',
    cheat: offBy(2 ** 32 - 2 ** 31),
    label: /^ADD\/ADDI$/,
  },
  'SUB with a wrong difference': {
    program: 'register ALU',
    at: 'sub ',
    cheat: offBy(-1),
    label: /^SUB$/,
  },
  'XOR computed as OR': {
    program: 'register ALU',
    at: 'xor ',
    cheat: (e, seg, r) => claimResult(e, seg, r, seg.rs1Val[r] | seg.rs2Val[r]),
    label: /^XOR/,
  },
  'AND with one bit flipped': {
    program: 'register ALU',
    at: 'and ',
    cheat: (e, seg, r) => claimResult(e, seg, r, seg.rdVal[r] ^ 0x100),
    label: /^AND$/,
  },
  'SLL not masking the shift amount to 5 bits': {
    program: 'register ALU',
    at: 'sll ',
    nth: 1,
    cheat: (e, seg, r) => claimResult(e, seg, r, 0),
    label: /MUL\/SLL: res = low word/,
  },
  'SRA shifting in zeros, product rewritten to match': {
    program: 'register ALU',
    at: 'sra ',
    cheat: (e, seg, r) => {
      const wrong = seg.rs1Val[r] >>> (seg.rs2Val[r] & 31);
      claimResult(e, seg, r, wrong);
      e.set(r, e.L.mulHi, wrong);
    },
    label: /^product$/,
  },
  'SLT answering the unsigned comparison': {
    program: 'register ALU',
    at: 'slt ',
    cheat: (e, seg, r) => claimResult(e, seg, r, seg.rdVal[r] ^ 1),
    label: /^SLT\/SLTI$/,
  },
  'SLTU with the carry flipped to match': {
    program: 'register ALU',
    at: 'sltu ',
    cheat: (e, seg, r) => {
      claimResult(e, seg, r, seg.rdVal[r] ^ 1);
      e.set(r, e.L.cSum, 1 - e.get(r, e.L.cSum));
    },
    label: /^compare rs1 − opB$/,
  },
  'MUL with a wrong low word': {
    program: 'M extension',
    at: 'mul ',
    cheat: offBy(1),
    label: /MUL\/SLL: res = low word/,
  },
  'MULH returning the unsigned high word': {
    program: 'M extension',
    at: 'mulh ',
    cheat: (e, seg, r) => {
      const a = BigInt(seg.rs1Val[r]);
      const b = BigInt(seg.rs2Val[r]);
      const hu = Number((a * b) >> 32n);
      claimResult(e, seg, r, hu);
      e.set(r, e.L.mulHi, hu);
    },
    label: /^product$/,
  },
  'DIVU with quotient − 1 and remainder + divisor (q·b + r still equals a)': {
    program: 'M extension',
    at: 'divu ',
    cheat: (e, seg, r) => {
      const a = seg.rs1Val[r];
      const b = seg.rs2Val[r];
      const q = Math.floor(a / b) - 1;
      const rem = a - q * b;
      const L = e.L;
      e.setWord(r, L.res, L.rBits, q).set(r, L.rdVal, q);
      e.setWord(r, L.aux, L.hBits, rem);
      e.set(r, L.qWord, q).set(r, L.absQ, q).set(r, L.rWord, rem).set(r, L.absR, rem);
      e.setSum(r, rem - b + 2 ** 32);
    },
    label: /^\|r\| < \|b\| unless rs2 = 0$/,
  },
  'REM with a wrong remainder': {
    program: 'M extension',
    at: 'rem ',
    cheat: offBy(1),
    label: /^REM: res = r$/,
  },
  'DIV by zero returning 0 instead of −1': {
    program: 'M extension',
    at: 'div ',
    nth: 2,
    cheat: (e, seg, r) => claimResult(e, seg, r, 0),
    label: /^DIV: res = q$/,
  },
  'branch taken although the condition is false (nextPc only)': {
    program: 'branches',
    at: 'beq ',
    nth: 1,
    cheat: (e, seg, r) => {
      const imm = 8;
      e.set(r, e.L.nextPc, seg.pc[r] + imm);
    },
    label: /^nextPc = pc \+ 4$/,
  },
  'branch not taken although the condition holds (nextPc and taken flag)': {
    program: 'branches',
    at: 'bne ',
    cheat: (e, seg, r) => {
      e.set(r, e.L.nextPc, seg.pc[r] + 4).set(r, e.L.taken, 0);
    },
    label: /^taken = cond ⊕ negate$/,
  },
  'BLT decided unsigned (flag and comparison flipped together)': {
    program: 'branches',
    at: 'blt ',
    cheat: (e, seg, r) => {
      e.set(r, e.L.nextPc, seg.pc[r] + 4)
        .set(r, e.L.taken, 0)
        .set(r, e.L.brLt, 0);
    },
    label: /^branch lt condition$/,
  },
  'JAL to the wrong target': {
    program: 'jumps',
    at: 'jal ',
    cheat: (e, seg, r) => e.set(r, e.L.nextPc, seg.nextPc[r] + 4),
    label: /^nextPc = pc \+ imm \(JAL, taken branch\)$/,
  },
  'JAL with a wrong link': {
    program: 'jumps',
    at: 'jal ',
    cheat: offBy(4),
    label: /^link = pc \+ 4$/,
  },
  'JALR not clearing bit 0 of the target': {
    program: 'jumps',
    at: 'jalr ',
    nth: 1,
    cheat: (e, seg, r) => e.set(r, e.L.nextPc, seg.nextPc[r] + 1),
    label: /^JALR nextPc/,
  },
  'skipped instruction: nextPc = pc + 8': {
    program: 'register ALU',
    at: 'xor ',
    cheat: (e, seg, r) => {
      const m = e.m;
      e.wit.values.copyWithin((r + 1) * m, (r + 2) * m);
      e.set(r, e.L.nextPc, seg.pc[r] + 8);
    },
    label: /^nextPc = pc \+ 4$/,
  },
  'skipped instruction: next row starts at pc + 8': {
    program: 'register ALU',
    at: 'xor ',
    cheat: (e, _seg, r) => {
      const m = e.m;
      e.wit.values.copyWithin((r + 1) * m, (r + 2) * m);
    },
    label: /^pc\[t\+1\] = nextPc\[t\]$/,
  },
  'LB without sign extension': {
    program: 'loads and stores',
    at: 'lb ',
    nth: 3,
    cheat: (e, seg, r) => claimResult(e, seg, r, seg.rdVal[r] & 0xff),
    label: /^LB sign-extends$/,
  },
  'LB returning the neighbouring byte': {
    program: 'loads and stores',
    at: 'lb ',
    nth: 1,
    cheat: (e, seg, r) => claimResult(e, seg, r, (seg.memOld[r] >> 16) & 0xff),
    label: /^LB sign-extends$/,
  },
  'LHU returning the other half': {
    program: 'loads and stores',
    at: 'lhu ',
    cheat: (e, seg, r) => claimResult(e, seg, r, seg.memOld[r] & 0xffff),
    label: /^LHU zero-extends$/,
  },
  'LB whose byte mux is rewritten to the wrong byte': {
    program: 'loads and stores',
    at: 'lb ',
    nth: 2,
    cheat: (e, seg, r) => {
      const wrong = seg.memOld[r] & 0xff;
      claimResult(e, seg, r, wrong >>> 7 ? wrong | 0xffffff00 : wrong);
      e.set(r, e.L.selByte, wrong).set(r, e.L.sgnB, wrong >>> 7);
    },
    label: /^selected byte$/,
  },
  'SB that also overwrites the neighbouring byte': {
    program: 'loads and stores',
    at: 'sb ',
    cheat: (e, seg, r) => e.set(r, e.L.memNew, (seg.memNew[r] ^ 0x00ff0000) >>> 0),
    label: /^memNew = memOld with the stored bytes$/,
  },
  'SH storing the wrong half': {
    program: 'loads and stores',
    at: 'sh ',
    cheat: (e, seg, r) => e.set(r, e.L.memNew, (seg.memNew[r] ^ 0x0000ffff) >>> 0),
    label: /^memNew = memOld with the stored bytes$/,
  },
  'LW that changes memory': {
    program: 'loads and stores',
    at: 'lw ',
    cheat: (e, seg, r) => e.set(r, e.L.memNew, seg.memOld[r] + 1),
    label: /^memNew = memOld with the stored bytes$/,
  },
  'LW from a misaligned address': {
    program: 'loads and stores',
    at: 'lw ',
    cheat: (e, seg, r) => e.refill(r, { ...e.input(seg, r), rs1Val: seg.rs1Val[r] + 2 }),
    label: /^word access aligned$/,
  },
  'x0 written with a non-zero value': {
    program: 'register ALU',
    at: 'add zero',
    cheat: (e, _seg, r) => e.set(r, e.L.rdVal, e.get(r, e.L.res)).set(r, e.L.rdIdx, 0),
    label: /^rdVal = res, or 0/,
  },
  'x0 write disguised by clearing the rd = x0 flag': {
    program: 'register ALU',
    at: 'add zero',
    cheat: (e, _seg, r) =>
      e.set(r, e.L.rdVal, e.get(r, e.L.res)).set(r, e.L.rdZero, 0).set(r, e.L.writesX0, 0),
    label: /^rd = x0$/,
  },
  'writing a different register than the word names': {
    program: 'register ALU',
    at: 'add ',
    cheat: (e, _seg, r) => e.set(r, e.L.rdIdx, e.get(r, e.L.rdIdx) ^ 1),
    label: /^rd index$/,
  },
  'reading a different source register than the word names': {
    program: 'register ALU',
    at: 'sub ',
    cheat: (e, _seg, r) => e.set(r, e.L.rs1Idx, e.get(r, e.L.rs1Idx) ^ 4),
    label: /^rs1 index$/,
  },
  'instruction word altered (ADD → SUB) under the ADD flag': {
    program: 'register ALU',
    at: 'add ',
    cheat: (e, _seg, r) => {
      const word = e.get(r, e.L.instr) | (0x20 << 25);
      e.setWord(r, e.L.instr, e.L.ib, word);
    },
    label: /^decode add$/,
  },
  'flag moved to SUB for an ADD word': {
    program: 'register ALU',
    at: 'add ',
    cheat: (e, _seg, r) => e.set(r, e.L.flag.add, 0).set(r, e.L.flag.sub, 1),
    label: /^decode sub$/,
  },
  'two flags set': {
    program: 'register ALU',
    at: 'add ',
    cheat: (e, _seg, r) => e.set(r, e.L.flag.sub, 1),
    label: /^exactly one flag$/,
  },
  'no flag set': {
    program: 'register ALU',
    at: 'and ',
    cheat: (e, _seg, r) => e.set(r, e.L.flag.and, 0),
    label: /^exactly one flag$/,
  },
  'AUIPC with a wrong sum': {
    program: 'immediate ALU and upper immediates',
    at: 'auipc ',
    cheat: offBy(4),
    label: /^AUIPC = pc \+ imm$/,
  },
  'LUI with a wrong value': {
    program: 'immediate ALU and upper immediates',
    at: 'lui ',
    cheat: offBy(1),
    label: /^LUI = imm$/,
  },
  'SRAI with a shift amount not from the word': {
    program: 'immediate ALU and upper immediates',
    at: 'srai ',
    cheat: (e, _seg, r) => e.setWord(r, e.L.opB, e.L.bBits, e.get(r, e.L.opB) ^ 1),
    label: /^opB = rs2Val or the I-type immediate$/,
  },
  'unknown ecall number': {
    program: 'ecalls',
    at: 'ecall',
    cheat: (e, seg, r) => e.refill(r, { ...e.input(seg, r), rs1Val: 65 }),
    label: /^ecall kind one-hot$/,
  },
  'exit that continues to the next instruction': {
    program: 'ecalls',
    at: 'ecall',
    nth: 6,
    cheat: (e, seg, r) => e.set(r, e.L.nextPc, seg.pc[r] + 4),
    label: /^exit\/pad: nextPc = pc$/,
  },
  'exit that writes a0': {
    program: 'ecalls',
    at: 'ecall',
    nth: 6,
    cheat: (e, _seg, r) => e.set(r, e.L.rdVal, 1).set(r, e.L.res, 1).set(r, e.L.rBits[0], 1),
    label: /^rdVal = res, or 0/,
  },
  'a padding row in the middle of execution': {
    program: 'register ALU',
    at: 'or ',
    dStep: -1,
    // An honest padding row at this pc, so only the rule "pad follows exit" can object.
    cheat: (e, seg, r) => e.pad(r, seg.pc[r]),
    label: /^pad\[t\+1\] = pad\[t\] \+ exit\[t\]$/,
  },
  'execution resumed after the exit ecall': {
    program: 'ecalls',
    at: 'ecall',
    nth: 6,
    dStep: 0,
    cheat: (e, seg, r) => {
      // The row after exit claims to be the exit ecall again instead of padding.
      e.refill(r + 1, e.input(seg, r));
    },
    label: /^pad\[t\+1\] = pad\[t\] \+ exit\[t\]$/,
  },
};

describe('malicious prover: one altered row is caught at that row', () => {
  it('the honest witnesses of the programs used here are satisfied', () => {
    for (const p of new Set(Object.values(CASES).map((c) => c.program))) {
      const { seg, pad } = trace(p);
      expect(EditableWitness.of(seg, pad).failure()).toBeNull();
    }
  });

  it.each(Object.keys(CASES))('%s', (name) => {
    const c = CASES[name];
    const { seg, pad } = trace(c.program);
    let r = -1;
    for (let i = 0; i <= (c.nth ?? 0); i++) r = rowOf(seg, c.at, r + 1);
    const e = EditableWitness.of(seg, pad);
    c.cheat(e, seg, r);
    const f = e.failure();
    expect(f).not.toBeNull();
    expect(f!.step).toBe(r + (c.dStep ?? 0));
    expect(f!.label).toMatch(c.label);
  });
});
